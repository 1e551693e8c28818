/**
 * The bench's yardstick for POST /api/feedback: a bare `node:http` + `better-sqlite3` server
 * doing the same durable insert as Loupe (same schema, triggers and indexes, same pragmas,
 * one row per request, answered only after its commit) and nothing else: no validation,
 * no routing, no limits. Two modes, the first argument:
 * - `per-request`: each request commits its own transaction;
 * - `group`: requests whose bodies arrive in the same event-loop turn share one commit.
 * Runs in its own process (bench/bench-child.ts) and prints `{"url","clientId","databaseFile"}`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite } from '../server/storage/sqlite.ts';

const mode = process.argv[2];
if (mode !== 'per-request' && mode !== 'group') throw new Error(`Usage: bare-ingest-server.ts per-request|group (got ${mode})`);

const dataDir = mkdtempSync(join(tmpdir(), `loupe-bench-bare-${mode}-`));
const databaseFile = join(dataDir, 'bare.db');
const db = new Database(databaseFile);
db.pragma('journal_mode = WAL');
// As Loupe: a commit is in the WAL when it is answered; a power cut may lose the last ones.
db.pragma('synchronous = NORMAL');
migrateSqlite(db);

const clientId = `client_${randomBytes(15).toString('base64url')}`;
const now = () => new Date().toISOString();
db.prepare('INSERT INTO clients (id, name, created_at) VALUES (?, ?, ?)').run(clientId, 'bench', now());

const insert = db.prepare(
  `INSERT INTO feedback (id, client_id, rating, comment, user_email, page_url, page_title,
     referrer, environment, screenshots, metadata, session_replay_id, replay_offset_ms,
     state, user_agent, origin, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)`,
);

interface Pending {
  params: unknown[];
  id: string;
  res: ServerResponse;
}

/** The row's parameters from a body, as Loupe would store it (absent fields NULL). */
function rowOf(body: Record<string, unknown>, userAgent: string | undefined, origin: string | undefined): Pending['params'] {
  const id = `fb_${randomBytes(18).toString('base64url')}`;
  const at = now();
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  return [
    id,
    body.clientId,
    body.rating ?? null,
    body.comment ?? null,
    body.userEmail ?? null,
    body.pageUrl ?? null,
    body.pageTitle ?? null,
    body.referrer ?? null,
    body.environment ?? null,
    json(body.screenshots),
    json(body.metadata),
    body.sessionReplayId ?? null,
    body.replayOffsetMs ?? null,
    userAgent ?? null,
    origin ?? null,
    at,
    at,
  ];
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

let queue: Pending[] = [];
const commitQueued = db.transaction((batch: Pending[]) => {
  for (const p of batch) insert.run(p.params);
});

function flush(): void {
  const batch = queue;
  queue = [];
  try {
    commitQueued(batch);
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
      try {
        insert.run(params);
      } catch (error) {
        answer(res, 500, { error: String(error) });
        return;
      }
      answer(res, 200, { success: true, feedbackId: id });
      return;
    }
    if (queue.length === 0) setImmediate(flush);
    queue.push({ params, id, res });
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, clientId, databaseFile })}\n`);
});

let stopped = false;
function stop(): void {
  if (stopped) return;
  stopped = true;
  server.closeAllConnections();
  server.close(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// An orphaned child would keep its port: the parent's exit closes our stdin, which stops us.
process.stdin.on('end', stop).resume();
