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
import pg from 'pg';
import { POSTGRES } from '../server/constants.ts';
import { FEEDBACK_COLUMNS, isBareMode, serveBareIngest } from './bare-ingest-front.ts';

const [mode, databaseUrl, clientId] = process.argv.slice(2);
if (!isBareMode(mode) || !databaseUrl || !clientId) {
  throw new Error(`Usage: bare-pg-ingest-server.ts per-request|group DATABASE_URL CLIENT_ID (got ${process.argv.slice(2).join(' ')})`);
}

const pool = new pg.Pool({ connectionString: databaseUrl, max: POSTGRES.poolMax });
const PER_ROW = FEEDBACK_COLUMNS.length;

/** INSERT of `rows` rows in one statement ($1.. in row order). */
function insertSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: PER_ROW }, (_, c) => `$${r * PER_ROW + c + 1}`).join(', ')})`);
  return `INSERT INTO feedback (${FEEDBACK_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
}
const INSERT_ONE = insertSql(1);

serveBareIngest(
  mode,
  {
    insertOne: (row) => pool.query(INSERT_ONE, row),
    insertMany: (rows) => pool.query(insertSql(rows.length), rows.flat()),
    close: () => pool.end(),
  },
  { clientId, databaseFile: '' },
);
