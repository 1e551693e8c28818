/**
 * The PostgreSQL implementation of Storage (node-postgres pool), for several server
 * instances on one database. Migrated at open under an advisory lock; everything here only
 * stores: ids, times and rules are the caller's, as for SQLite (sqlite.ts).
 */
import type pg from 'pg';
import { POSTGRES } from '../constants.ts';
import { countFeedback, readFeedbackPage } from './pg-feedback-query.ts';
import * as keys from './pg-keys.ts';
import { createPool, describeDatabase, inTransaction, reasonOf } from './pg-pool.ts';
import { PG_MIGRATIONS } from './pg-schema.ts';
import { createOutboxStore } from './outbox-store.ts';
import type { OutboxStore } from './outbox-types.ts';
import { pgTeamSql } from './pg-team.ts';
import { createTeamStore } from './team-store.ts';
import type { TeamStore } from './team-types.ts';
import * as transfer from './pg-transfer.ts';
import * as writes from './pg-writes.ts';
import { toClient, toFeedback, toReplay, type ClientRecord, type FeedbackRecord, type ReplayRecord } from './rows.ts';
import type {
  Client,
  ClientChange,
  FeedbackFilter,
  FeedbackPage,
  FeedbackQuery,
  FeedbackRow,
  IdempotencyScope,
  ProjectKey,
  RememberedAnswer,
  ReplayRow,
  ScreenshotRow,
  Storage,
  StoredAnswer,
} from './types.ts';

/**
 * Applies the migrations the database has not seen yet, in one transaction under an
 * advisory lock: instances starting together take turns, and the later ones find it done.
 * Returns the schema version now in place.
 */
export async function migratePg(pool: pg.Pool): Promise<number> {
  const { rows: versionRows } = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
  const serverVersion = Number(versionRows[0]!.server_version_num);
  if (serverVersion < POSTGRES.minVersionNum) {
    throw new Error(`PostgreSQL ${POSTGRES.minVersion} or later is needed (the server is version ${Math.floor(serverVersion / 10_000)})`);
  }
  return inTransaction(pool, async (client) => {
    // Another instance may hold the lock for as long as its migrations take: wait them out.
    await client.query('SET LOCAL lock_timeout = 0');
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query('SELECT pg_advisory_xact_lock($1)', [POSTGRES.migrationLockKey]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const version = rows[0]!.version ?? 0;
    if (version > PG_MIGRATIONS.length) {
      throw new Error(`Database schema version ${version} is newer than this server understands (${PG_MIGRATIONS.length}): upgrade the server`);
    }
    for (let next = version; next < PG_MIGRATIONS.length; next++) {
      await client.query(PG_MIGRATIONS[next]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [next + 1]);
    }
    return PG_MIGRATIONS.length;
  });
}

/**
 * Connects to `url`, migrates, and returns it as Storage. A bad URL or a database that
 * cannot be reached or migrated is one error naming the database (never its password) and why.
 */
export async function openPgStorage(url: string): Promise<Storage> {
  const pool = createPool(url);
  try {
    await migratePg(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL at ${describeDatabase(url)}: ${reasonOf(error)}`);
  }
  return new PgStorage(pool);
}

class PgStorage implements Storage {
  readonly #pool: pg.Pool;
  #closed: Promise<void> | undefined;
  readonly team: TeamStore;
  readonly outbox: OutboxStore;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    const shared = pgTeamSql(pool);
    this.team = createTeamStore(shared);
    this.outbox = createOutboxStore(shared);
  }

  async insertClient(client: Client): Promise<void> {
    await this.#pool.query(
      'INSERT INTO clients (id, name, allowed_origins, notify_reporter_on_done, created_at) VALUES ($1, $2, $3, $4, $5)',
      [client.id, client.name, JSON.stringify(client.allowedOrigins), client.notifyReporterOnDone, client.createdAt],
    );
  }

  async updateClient(id: string, change: ClientChange): Promise<Client | undefined> {
    const origins = change.allowedOrigins === undefined ? null : JSON.stringify(change.allowedOrigins);
    const { rows } = await this.#pool.query<ClientRecord>(
      `UPDATE clients SET name = coalesce($1, name), allowed_origins = coalesce($2, allowed_origins),
         notify_reporter_on_done = coalesce($3, notify_reporter_on_done) WHERE id = $4 RETURNING *`,
      [change.name ?? null, origins, change.notifyReporterOnDone ?? null, id],
    );
    return rows[0] && toClient(rows[0]);
  }

  async listClients(): Promise<Client[]> {
    const { rows } = await this.#pool.query<ClientRecord>('SELECT * FROM clients ORDER BY created_at, id');
    return rows.map(toClient);
  }

  async getClient(id: string): Promise<Client | undefined> {
    const { rows } = await this.#pool.query<ClientRecord>('SELECT * FROM clients WHERE id = $1', [id]);
    return rows[0] && toClient(rows[0]);
  }

  insertFeedback(row: FeedbackRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined> {
    return writes.writeRemembered(this.#pool, remember, writes.feedbackInsert(row));
  }

  async getFeedback(id: string): Promise<FeedbackRow | undefined> {
    const { rows } = await this.#pool.query<FeedbackRecord>('SELECT * FROM feedback WHERE id = $1', [id]);
    return rows[0] && toFeedback(rows[0]);
  }

  async listFeedback(clientId: string): Promise<FeedbackRow[]> {
    const { rows } = await this.#pool.query<FeedbackRecord>(
      'SELECT * FROM feedback WHERE client_id = $1 ORDER BY updated_at DESC, id DESC',
      [clientId],
    );
    return rows.map(toFeedback);
  }

  insertReplay(row: ReplayRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined> {
    return writes.writeRemembered(this.#pool, remember, writes.replayInsert(row));
  }

  async getReplay(id: string): Promise<ReplayRow | undefined> {
    const { rows } = await this.#pool.query<ReplayRecord>('SELECT * FROM replays WHERE id = $1', [id]);
    return rows[0] && toReplay(rows[0]);
  }

  insertScreenshot(row: ScreenshotRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined> {
    return writes.writeRemembered(this.#pool, remember, writes.screenshotInsert(row));
  }

  getScreenshots(clientId: string, fileNames: readonly string[]): Promise<ScreenshotRow[]> {
    return writes.selectScreenshots(this.#pool, clientId, fileNames);
  }

  recordedFiles(fileNames: readonly string[]): Promise<string[]> {
    return writes.selectRecordedFiles(this.#pool, fileNames);
  }

  getIdempotent(scope: IdempotencyScope, nowIso: string): Promise<StoredAnswer | undefined> {
    return writes.liveAnswer(this.#pool, scope, nowIso);
  }

  async pruneIdempotent(nowIso: string): Promise<number> {
    return (await this.#pool.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [nowIso])).rowCount ?? 0;
  }

  insertProjectKey(key: ProjectKey): Promise<void> {
    return keys.insertProjectKey(this.#pool, key);
  }

  getProjectKey(kid: string): Promise<ProjectKey | undefined> {
    return keys.getProjectKey(this.#pool, kid);
  }

  listProjectKeys(clientId: string): Promise<ProjectKey[]> {
    return keys.listProjectKeys(this.#pool, clientId);
  }

  revokeProjectKey(kid: string, revokedAtIso: string): Promise<ProjectKey | undefined> {
    return keys.revokeProjectKey(this.#pool, kid, revokedAtIso);
  }

  queryFeedback(query: FeedbackQuery): Promise<FeedbackPage | undefined> {
    return readFeedbackPage(this.#pool, query);
  }

  countFeedback(clientId: string, filters: readonly FeedbackFilter[]): Promise<number> {
    return countFeedback(this.#pool, clientId, filters);
  }

  async getRateBucket(key: string): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ tat_ms: number }>('SELECT tat_ms FROM rate_buckets WHERE key = $1', [key]);
    return rows[0]?.tat_ms;
  }

  async setRateBucket(key: string, tatMs: number, expected: number | undefined): Promise<boolean> {
    const result =
      expected === undefined
        ? await this.#pool.query('INSERT INTO rate_buckets (key, tat_ms) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, tatMs])
        : await this.#pool.query('UPDATE rate_buckets SET tat_ms = $1 WHERE key = $2 AND tat_ms = $3', [tatMs, key, expected]);
    return result.rowCount === 1;
  }

  async pruneRateBuckets(nowMs: number): Promise<number> {
    return (await this.#pool.query('DELETE FROM rate_buckets WHERE tat_ms <= $1', [nowMs])).rowCount ?? 0;
  }

  async getReplays(ids: readonly string[]): Promise<ReplayRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.#pool.query<ReplayRecord>('SELECT * FROM replays WHERE id = ANY($1::text[])', [ids]);
    return rows.map(toReplay);
  }

  pageFeedback(after: string | undefined, limit: number): Promise<FeedbackRow[]> {
    return transfer.pageFeedback(this.#pool, after, limit);
  }

  pageReplays(after: string | undefined, limit: number): Promise<ReplayRow[]> {
    return transfer.pageReplays(this.#pool, after, limit);
  }

  pageScreenshots(after: string | undefined, limit: number): Promise<ScreenshotRow[]> {
    return transfer.pageScreenshots(this.#pool, after, limit);
  }

  pageProjectKeys(after: string | undefined, limit: number): Promise<ProjectKey[]> {
    return transfer.pageProjectKeys(this.#pool, after, limit);
  }

  pageIdempotent(after: IdempotencyScope | undefined, limit: number): Promise<RememberedAnswer[]> {
    return transfer.pageIdempotent(this.#pool, after, limit);
  }

  insertIdempotent(record: RememberedAnswer): Promise<void> {
    return transfer.insertIdempotent(this.#pool, record);
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  close(): Promise<void> {
    this.#closed ??= this.#pool.end();
    return this.#closed;
  }
}
