/**
 * The PostgreSQL bench's yardstick for POST /api/feedback: a bare `node:http` + `pg` server
 * doing the same durable insert as Loupe on PostgreSQL (Loupe's own schema, triggers and
 * indexes, one row per request, answered only after its COMMIT) and nothing else: no
 * validation, no routing, no limits. A pool as large as Loupe's (POSTGRES.poolMax). Modes,
 * the first argument, the database URL the second, the client id the third:
 * - `per-request`: each request is one autocommitted INSERT (its own transaction);
 * - `group`: requests whose bodies arrive in the same event-loop turn share one multi-row
 *   INSERT, so one commit.
 * Runs in its own process (bench/bench-child.ts) and prints `{"url","clientId","databaseFile"}`
 * (databaseFile empty: the database is PostgreSQL's).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { POSTGRES } from '../server/constants.ts';

const [mode, databaseUrl, clientId] = process.argv.slice(2);
if ((mode !== 'per-request' && mode !== 'group') || !databaseUrl || !clientId) {
  throw new Error(`Usage: bare-pg-ingest-server.ts per-request|group DATABASE_URL CLIENT_ID (got ${process.argv.slice(2).join(' ')})`);
}

const pool = new pg.Pool({ connectionString: databaseUrl, max: POSTGRES.poolMax });
const COLUMNS = `id, client_id, rating, comment, user_email, page_url, page_title, referrer, environment,
  screenshots, metadata, session_replay_id, replay_offset_ms, state, user_agent, origin, created_at, updated_at`;
const PER_ROW = 18;

interface Pending {
  params: unknown[];
  id: string;
  res: ServerResponse;
}

/** The row's parameters from a body, as Loupe would store it (absent fields NULL). */
function rowOf(body: Record<string, unknown>, userAgent: string | undefined, origin: string | undefined): unknown[] {
  const id = `fb_${randomBytes(18).toString('base64url')}`;
  const at = new Date().toISOString();
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  return [
    id, body.clientId, body.rating ?? null, body.comment ?? null, body.userEmail ?? null, body.pageUrl ?? null,
    body.pageTitle ?? null, body.referrer ?? null, body.environment ?? null, json(body.screenshots), json(body.metadata),
    body.sessionReplayId ?? null, body.replayOffsetMs ?? null, 'new', userAgent ?? null, origin ?? null, at, at,
  ];
}

/** INSERT of `rows` rows in one statement ($1.. in row order). */
function insertSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: PER_ROW }, (_, c) => `$${r * PER_ROW + c + 1}`).join(', ')})`);
  return `INSERT INTO feedback (${COLUMNS}) VALUES ${tuples.join(', ')}`;
}
const INSERT_ONE = insertSql(1);

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

let queue: Pending[] = [];

async function flush(): Promise<void> {
  const batch = queue;
  queue = [];
  try {
    await pool.query(insertSql(batch.length), batch.flatMap((p) => p.params));
  } catch (error) {
    for (const p of batch) answer(p.res, 500, { error: String(error) });
    return;
  }
  for (const p of batch) answer(p.res, 200, { success: true, feedbackId: p.id });
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let params: unknown[];
    try {
      params = rowOf(JSON.parse(Buffer.concat(chunks).toString('utf8')), req.headers['user-agent'], req.headers.origin);
    } catch {
      answer(res, 400, { error: 'invalid JSON' });
      return;
    }
    const id = params[0] as string;
    if (mode === 'per-request') {
      pool.query(INSERT_ONE, params).then(
        () => answer(res, 200, { success: true, feedbackId: id }),
        (error: unknown) => answer(res, 500, { error: String(error) }),
      );
      return;
    }
    if (queue.length === 0) setImmediate(() => void flush());
    queue.push({ params, id, res });
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, clientId, databaseFile: '' })}\n`);
});

let stopped = false;
function stop(): void {
  if (stopped) return;
  stopped = true;
  server.closeAllConnections();
  server.close(() => void pool.end().finally(() => process.exit(0)));
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// An orphaned child would keep its port: the parent's exit closes our stdin, which stops us.
process.stdin.on('end', stop).resume();
