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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite } from '../server/storage/sqlite.ts';
import { FEEDBACK_COLUMNS, isBareMode, serveBareIngest } from './bare-ingest-front.ts';

const mode = process.argv[2];
if (!isBareMode(mode)) throw new Error(`Usage: bare-ingest-server.ts per-request|group (got ${mode})`);

const dataDir = mkdtempSync(join(tmpdir(), `loupe-bench-bare-${mode}-`));
const databaseFile = join(dataDir, 'bare.db');
const db = new Database(databaseFile);
db.pragma('journal_mode = WAL');
// As Loupe: a commit is in the WAL when it is answered; a power cut may lose the last ones.
db.pragma('synchronous = NORMAL');
migrateSqlite(db);

const clientId = `client_${randomBytes(15).toString('base64url')}`;
db.prepare('INSERT INTO clients (id, name, created_at) VALUES (?, ?, ?)').run(clientId, 'bench', new Date().toISOString());

const insert = db.prepare(`INSERT INTO feedback (${FEEDBACK_COLUMNS.join(', ')}) VALUES (${FEEDBACK_COLUMNS.map(() => '?').join(', ')})`);
const insertMany = db.transaction((rows: unknown[][]) => {
  for (const row of rows) insert.run(row);
});

serveBareIngest(
  mode,
  {
    insertOne: (row) => void insert.run(row),
    insertMany,
    close() {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  },
  { clientId, databaseFile },
);
