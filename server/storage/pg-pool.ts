/**
 * The PostgreSQL connection pool of the storage (node-postgres): 64-bit integers read as
 * numbers, `?` placeholders numbered, transactions on one pooled connection, and errors
 * that name the database without its password.
 */
import pg from 'pg';
import { POSTGRES } from '../constants.ts';
import { storableText } from '../storable-text.ts';

/** A pool or one of its connections: anything that runs a query. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

// bigint (int8) columns hold ms times, sizes and counts, all far below 2^53: numbers, as SQLite gives.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** `user@host:port/database` of a URL: where it points, never its password. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  return `${user}${parsed.host || 'localhost'}${parsed.pathname || '/'}`;
}

/** Throws a clear error unless `url` is a postgres:// (or postgresql://) URL; says nothing of its contents. */
export function checkDatabaseUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error(`${POSTGRES.envVar} is not a URL (expected postgres://user:password@host:port/database)`);
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new Error(`${POSTGRES.envVar} must be a postgres:// URL, not ${protocol}//`);
  }
}

/** Why a connection or query failed, in one line (node's AggregateError has no message of its own). */
export function reasonOf(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: { message?: string }[] };
  const message = e.message || e.errors?.map((inner) => inner.message).join('; ') || e.code || String(error);
  return message.replace(/\s+/g, ' ').trim();
}

function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  return Array.isArray(value) ? value.map(storableValue) : value;
}

/**
 * A connection whose text parameters never hold U+0000, which PostgreSQL's text refuses with
 * an error: what the server stores was made storable above the engine (storable-text.ts), and
 * a lookup by a name with a NUL in it (a path, a token's kid, a cursor) is looked up with
 * U+FFFD in its place (no id, key or name the server makes holds either), instead of failing
 * with a 500.
 */
class StorableTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    if (Array.isArray(args[1])) args[1] = args[1].map(storableValue);
    return (super.query as (...all: unknown[]) => never)(...args);
  }
}

/** A pool on `url`; no connection is made until the first query. */
export function createPool(url: string): pg.Pool {
  checkDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES.poolMax,
    connectionTimeoutMillis: POSTGRES.connectTimeoutMs,
    idleTimeoutMillis: POSTGRES.idleTimeoutMs,
    // TCP keep-alive notices a database host that vanished; the timeouts bound the rest.
    keepAlive: true,
    statement_timeout: POSTGRES.statementTimeoutMs,
    lock_timeout: POSTGRES.lockTimeoutMs,
    idle_in_transaction_session_timeout: POSTGRES.idleInTransactionTimeoutMs,
    types,
    Client: StorableTextClient,
  });
  // An idle connection the server dropped is only removed from the pool: the next query
  // takes a fresh one and fails on its own if the database is really gone.
  pool.on('error', () => undefined);
  return pool;
}

/** `?` placeholders as PostgreSQL's `$1`, `$2`… (the shared SQL builders write `?`). */
export function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back
 * when it throws. A connection whose rollback failed is discarded, not returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
