/** The SQLite implementation of Storage (better-sqlite3, WAL, migrated by user_version). */
import Database from 'better-sqlite3';
import { prepared } from './sqlite-statements.ts';
import { countSql, readFeedbackPage } from './sqlite-feedback-query.ts';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts';
import { createGroupCommit, type GroupCommit } from './sqlite-group-commit.ts';
import * as keys from './sqlite-keys.ts';
import { toClient, toFeedback, toReplay, type ClientRecord, type FeedbackRecord, type ReplayRecord } from './rows.ts';
import { SQLITE_MIGRATIONS } from './sqlite-schema.ts';
import { createOutboxStore } from './outbox-store.ts';
import type { OutboxStore } from './outbox-types.ts';
import { sqliteTeamSql } from './sqlite-team.ts';
import { createTeamStore } from './team-store.ts';
import type { TeamStore } from './team-types.ts';
import * as transfer from './sqlite-transfer.ts';
import * as writes from './sqlite-writes.ts';
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

type Db = Database.Database;

/** Applies the migrations the file has not seen yet, all in one transaction. */
export function migrateSqlite(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_MIGRATIONS.length) {
    throw new Error(
      `Database schema version ${version} is newer than this server understands (${SQLITE_MIGRATIONS.length})`,
    );
  }
  db.transaction(() => {
    for (const sql of SQLITE_MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
  })();
}

/** Opens (creating if needed) the database file and returns it as Storage. */
export function openSqliteStorage(filePath: string): Storage {
  const db = new Database(filePath);
  // WAL lets the inbox read while ingest writes; the busy timeout rides out a truncating checkpoint.
  db.pragma('journal_mode = WAL');
  // NORMAL: a commit is answered once it is in the WAL, which is synced at each checkpoint,
  // not at each commit. A process crash loses nothing; a power cut may lose the last commits
  // (never corrupts). better-sqlite3's build defaults WAL connections to it, but only on a
  // file that is already in WAL mode when opened: a fresh database ran FULL until a restart.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);
  return new SqliteStorage(db, startCheckpointer(db));
}

class SqliteStorage implements Storage {
  readonly #db: Db;
  readonly #commits: GroupCommit;
  readonly #checkpointer: Checkpointer;
  readonly team: TeamStore;
  readonly outbox: OutboxStore;

  constructor(db: Db, checkpointer: Checkpointer) {
    this.#db = db;
    this.#commits = createGroupCommit(db, { beforeTransaction: () => checkpointer.beforeWrite() });
    this.#checkpointer = checkpointer;
    const shared = sqliteTeamSql(db, this.#commits);
    this.team = createTeamStore(shared);
    this.outbox = createOutboxStore(shared);
  }

  async insertClient(client: Client): Promise<void> {
    prepared(this.#db, 'INSERT INTO clients (id, name, allowed_origins, notify_reporter_on_done, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(client.id, client.name, JSON.stringify(client.allowedOrigins), client.notifyReporterOnDone ? 1 : 0, client.createdAt);
  }

  async updateClient(id: string, change: ClientChange): Promise<Client | undefined> {
    const origins = change.allowedOrigins === undefined ? null : JSON.stringify(change.allowedOrigins);
    const notify = change.notifyReporterOnDone === undefined ? null : change.notifyReporterOnDone ? 1 : 0;
    const row = prepared(
      this.#db,
      `UPDATE clients SET name = coalesce(?, name), allowed_origins = coalesce(?, allowed_origins),
         notify_reporter_on_done = coalesce(?, notify_reporter_on_done) WHERE id = ? RETURNING *`,
    ).get(change.name ?? null, origins, notify, id);
    return row === undefined ? undefined : toClient(row as ClientRecord);
  }

  async listClients(): Promise<Client[]> {
    const rows = prepared(this.#db, 'SELECT * FROM clients ORDER BY created_at, id').all();
    return (rows as ClientRecord[]).map(toClient);
  }

  async getClient(id: string): Promise<Client | undefined> {
    const row = prepared(this.#db, 'SELECT * FROM clients WHERE id = ?').get(id);
    return row === undefined ? undefined : toClient(row as ClientRecord);
  }

  async insertFeedback(row: FeedbackRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined> {
    return this.#commits.run(() => writes.writeRemembered(this.#db, remember, () => writes.insertFeedbackRow(this.#db, row)));
  }

  async getFeedback(id: string): Promise<FeedbackRow | undefined> {
    const row = prepared(this.#db, 'SELECT * FROM feedback WHERE id = ?').get(id);
    return row === undefined ? undefined : toFeedback(row as FeedbackRecord);
  }

  async listFeedback(clientId: string): Promise<FeedbackRow[]> {
    const rows = prepared(this.#db, 'SELECT * FROM feedback WHERE client_id = ? ORDER BY updated_at DESC, id DESC').all(clientId);
    return (rows as FeedbackRecord[]).map(toFeedback);
  }

  async insertReplay(row: ReplayRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined> {
    return this.#commits.run(() => writes.writeRemembered(this.#db, remember, () => writes.insertReplayRow(this.#db, row)));
  }

  async getReplay(id: string): Promise<ReplayRow | undefined> {
    const row = prepared(this.#db, 'SELECT * FROM replays WHERE id = ?').get(id);
    return row === undefined ? undefined : toReplay(row as ReplayRecord);
  }

  async insertScreenshot(row: ScreenshotRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined> {
    return this.#commits.run(() => writes.writeRemembered(this.#db, remember, () => writes.insertScreenshotRow(this.#db, row)));
  }

  async getScreenshots(clientId: string, fileNames: readonly string[]): Promise<ScreenshotRow[]> {
    return writes.selectScreenshots(this.#db, clientId, fileNames);
  }

  async recordedFiles(fileNames: readonly string[]): Promise<string[]> {
    return writes.selectRecordedFiles(this.#db, fileNames);
  }

  async getIdempotent(scope: IdempotencyScope, nowIso: string): Promise<StoredAnswer | undefined> {
    return writes.liveAnswer(this.#db, scope, nowIso);
  }

  async pruneIdempotent(nowIso: string): Promise<number> {
    return prepared(this.#db, 'DELETE FROM idempotency_keys WHERE expires_at <= ?').run(nowIso).changes;
  }

  async insertProjectKey(key: ProjectKey): Promise<void> {
    keys.insertProjectKey(this.#db, key);
  }

  async getProjectKey(kid: string): Promise<ProjectKey | undefined> {
    return keys.getProjectKey(this.#db, kid);
  }

  async listProjectKeys(clientId: string): Promise<ProjectKey[]> {
    return keys.listProjectKeys(this.#db, clientId);
  }

  async revokeProjectKey(kid: string, revokedAtIso: string): Promise<ProjectKey | undefined> {
    return keys.revokeProjectKey(this.#db, kid, revokedAtIso);
  }

  async queryFeedback(query: FeedbackQuery): Promise<FeedbackPage | undefined> {
    return readFeedbackPage(this.#db, query);
  }

  async countFeedback(clientId: string, filters: readonly FeedbackFilter[]): Promise<number> {
    const sql = countSql(clientId, filters);
    return (prepared(this.#db, sql.text).get(...sql.params) as { n: number }).n;
  }

  async getRateBucket(key: string): Promise<number | undefined> {
    const row = prepared(this.#db, 'SELECT tat_ms FROM rate_buckets WHERE key = ?').get(key) as { tat_ms: number } | undefined;
    return row?.tat_ms;
  }

  async setRateBucket(key: string, tatMs: number, expected: number | undefined): Promise<boolean> {
    const result =
      expected === undefined
        ? prepared(this.#db, 'INSERT INTO rate_buckets (key, tat_ms) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, tatMs)
        : prepared(this.#db, 'UPDATE rate_buckets SET tat_ms = ? WHERE key = ? AND tat_ms = ?').run(tatMs, key, expected);
    return result.changes === 1;
  }

  async pruneRateBuckets(nowMs: number): Promise<number> {
    return prepared(this.#db, 'DELETE FROM rate_buckets WHERE tat_ms <= ?').run(nowMs).changes;
  }

  async getReplays(ids: readonly string[]): Promise<ReplayRow[]> {
    if (ids.length === 0) return [];
    // One statement whatever the count: the ids travel as one JSON array parameter.
    const rows = prepared(this.#db, 'SELECT * FROM replays WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids));
    return (rows as ReplayRecord[]).map(toReplay);
  }

  async pageFeedback(after: string | undefined, limit: number): Promise<FeedbackRow[]> {
    return transfer.pageFeedback(this.#db, after, limit);
  }

  async pageReplays(after: string | undefined, limit: number): Promise<ReplayRow[]> {
    return transfer.pageReplays(this.#db, after, limit);
  }

  async pageScreenshots(after: string | undefined, limit: number): Promise<ScreenshotRow[]> {
    return transfer.pageScreenshots(this.#db, after, limit);
  }

  async pageProjectKeys(after: string | undefined, limit: number): Promise<ProjectKey[]> {
    return transfer.pageProjectKeys(this.#db, after, limit);
  }

  async pageIdempotent(after: IdempotencyScope | undefined, limit: number): Promise<RememberedAnswer[]> {
    return transfer.pageIdempotent(this.#db, after, limit);
  }

  async insertIdempotent(record: RememberedAnswer): Promise<void> {
    transfer.insertIdempotent(this.#db, record);
  }

  async ping(): Promise<void> {
    prepared(this.#db, 'SELECT 1').get();
  }

  async close(): Promise<void> {
    this.#commits.close();
    // The thread's connection first: the last connection to close checkpoints and removes the WAL.
    await this.#checkpointer.close();
    if (this.#db.open) this.#db.close();
  }
}
