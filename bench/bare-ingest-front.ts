/**
 * The HTTP front both bare ingest servers share (bench/bare-ingest-server.ts on SQLite,
 * bench/bare-pg-ingest-server.ts on PostgreSQL): parse the body into the feedback row as
 * Loupe would store it, commit it through the engine's store (one per request, or every body
 * of one event-loop turn in one commit), answer only after the commit, print the ready line
 * bench/bench-child.ts waits for, and stop on SIGTERM, SIGINT or the parent's exit.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `per-request`: each request commits its own row; `group`: a turn's requests share one commit. */
export type BareMode = 'per-request' | 'group';

/** Columns of a row, in the order `rowOf` gives its values. */
export const FEEDBACK_COLUMNS = [
  'id', 'client_id', 'rating', 'comment', 'user_email', 'page_url', 'page_title', 'referrer', 'environment',
  'screenshots', 'metadata', 'session_replay_id', 'replay_offset_ms', 'state', 'user_agent', 'origin', 'created_at', 'updated_at',
] as const;

/** What an engine gives the front: durable inserts, resolved (or returned) after their commit. */
export interface BareStore {
  insertOne(row: unknown[]): Promise<unknown> | void;
  /** Every row in one commit. */
  insertMany(rows: unknown[][]): Promise<unknown> | void;
  close(): Promise<unknown> | void;
}

export function isBareMode(mode: string | undefined): mode is BareMode {
  return mode === 'per-request' || mode === 'group';
}

interface Pending {
  row: unknown[];
  id: string;
  res: ServerResponse;
}

/** The row's values from a body, as Loupe would store it (absent fields NULL), in FEEDBACK_COLUMNS order. */
function rowOf(body: Record<string, unknown>, userAgent: string | undefined, origin: string | undefined): unknown[] {
  const at = new Date().toISOString();
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  return [
    `fb_${randomBytes(18).toString('base64url')}`, body.clientId, body.rating ?? null, body.comment ?? null,
    body.userEmail ?? null, body.pageUrl ?? null, body.pageTitle ?? null, body.referrer ?? null, body.environment ?? null,
    json(body.screenshots), json(body.metadata), body.sessionReplayId ?? null, body.replayOffsetMs ?? null, 'new',
    userAgent ?? null, origin ?? null, at, at,
  ];
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Commits `batch` with `write`, then answers each: 200 with its id, or 500 for all when the commit failed. */
async function commit(batch: Pending[], write: () => Promise<unknown> | void): Promise<void> {
  try {
    await write();
  } catch (error) {
    for (const p of batch) answer(p.res, 500, { error: String(error) });
    return;
  }
  for (const p of batch) answer(p.res, 200, { success: true, feedbackId: p.id });
}

/** Listens on 127.0.0.1:0 and prints `{"url","clientId","databaseFile"}` once it does. */
export function serveBareIngest(mode: BareMode, store: BareStore, ready: { clientId: string; databaseFile: string }): void {
  let queue: Pending[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    void commit(batch, () => store.insertMany(batch.map((p) => p.row)));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let row: unknown[];
      try {
        row = rowOf(JSON.parse(Buffer.concat(chunks).toString('utf8')), req.headers['user-agent'], req.headers.origin);
      } catch {
        answer(res, 400, { error: 'invalid JSON' });
        return;
      }
      const pending = { row, id: row[0] as string, res };
      if (mode === 'per-request') {
        void commit([pending], () => store.insertOne(row));
        return;
      }
      // After the I/O callbacks of this turn: every body that arrived now shares the commit.
      if (queue.length === 0) setImmediate(flush);
      queue.push(pending);
    });
  });
  server.keepAliveTimeout = 60_000;

  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, ...ready })}\n`);
  });

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    server.close(() => void Promise.resolve().then(() => store.close()).finally(() => process.exit(0)));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // An orphaned child would keep its port: the parent's exit closes our stdin, which stops us.
  process.stdin.on('end', stop).resume();
}
