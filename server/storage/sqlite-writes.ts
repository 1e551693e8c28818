/**
 * The SQLite ingest writes: each row commits in one transaction with the answer that is
 * remembered for its Idempotency-Key, so a crash leaves both or neither (the transaction is
 * shared with the other writes of the same moment: sqlite-group-commit.ts).
 */
import type Database from 'better-sqlite3';
import { prepared } from './sqlite-statements.ts';
import type { FeedbackRow, RememberedAnswer, ReplayRow, ScreenshotRow, StoredAnswer } from './types.ts';

type Db = Database.Database;

/** The live answer of a scope at `nowIso`, if any. */
export function liveAnswer(db: Db, scope: RememberedAnswer['scope'], nowIso: string): StoredAnswer | undefined {
  return prepared(
    db,
    `SELECT status, body_json AS bodyJson FROM idempotency_keys
     WHERE route = ? AND client_id = ? AND key = ? AND expires_at > ?`,
  ).get(scope.route, scope.clientId, scope.key, nowIso) as StoredAnswer | undefined;
}

function putAnswer(db: Db, r: RememberedAnswer): void {
  // Only an expired record gives way; a live one was ruled out above, in this transaction.
  prepared(
    db,
    `INSERT INTO idempotency_keys (route, client_id, key, status, body_json, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (route, client_id, key) DO UPDATE SET
       status = excluded.status, body_json = excluded.body_json,
       created_at = excluded.created_at, expires_at = excluded.expires_at`,
  ).run(r.scope.route, r.scope.clientId, r.scope.key, r.answer.status, r.answer.bodyJson, r.createdAtIso, r.expiresAtIso);
}

/**
 * Runs `insert` and remembers the answer; the caller runs this inside an IMMEDIATE
 * transaction (server/storage/sqlite-group-commit.ts), so the write lock is taken before the
 * check and of two processes racing on one key exactly one writes. A live answer already
 * there (committed, or earlier in the same transaction) wins and nothing is written.
 */
export function writeRemembered(db: Db, remember: RememberedAnswer | undefined, insert: () => void): StoredAnswer | undefined {
  if (remember) {
    const earlier = liveAnswer(db, remember.scope, remember.createdAtIso);
    if (earlier) return earlier;
  }
  insert();
  if (remember) putAnswer(db, remember);
  return undefined;
}

/**
 * INSERT of one feedback row, JSON columns serialized. Positional parameters, read from the
 * row's fields: binding by name from a spread copy of the row took about three times as long.
 */
export function insertFeedbackRow(db: Db, row: FeedbackRow): void {
  prepared(
    db,
    `INSERT INTO feedback (id, client_id, rating, comment, user_email, page_url, page_title,
       referrer, environment, screenshots, metadata, session_replay_id, replay_offset_ms,
       state, assignee_id, priority, user_agent, origin, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run([
    row.id,
    row.clientId,
    row.rating,
    row.comment,
    row.userEmail,
    row.pageUrl,
    row.pageTitle,
    row.referrer,
    row.environment,
    row.screenshots === null ? null : JSON.stringify(row.screenshots),
    row.metadata === null ? null : JSON.stringify(row.metadata),
    row.sessionReplayId,
    row.replayOffsetMs,
    row.state,
    row.assigneeId,
    row.priority,
    row.userAgent,
    row.origin,
    row.createdAt,
    row.updatedAt,
  ]);
}

/** INSERT of one replay row. */
export function insertReplayRow(db: Db, row: ReplayRow): void {
  prepared(
    db,
    `INSERT INTO replays (id, client_id, file_name, file_size, duration_ms, event_count, started_at, created_at)
     VALUES (@id, @clientId, @fileName, @fileSize, @durationMs, @eventCount, @startedAt, @createdAt)`,
  ).run(row);
}

/** INSERT of one screenshot row. */
export function insertScreenshotRow(db: Db, row: ScreenshotRow): void {
  prepared(
    db,
    `INSERT INTO screenshots (file_name, client_id, file_size, mime_type, width, height, created_at)
     VALUES (@fileName, @clientId, @fileSize, @mimeType, @width, @height, @createdAt)`,
  ).run(row);
}

/** The screenshot rows of one client among these names. */
export function selectScreenshots(db: Db, clientId: string, fileNames: readonly string[]): ScreenshotRow[] {
  if (fileNames.length === 0) return [];
  return prepared(
    db,
    `SELECT file_name AS fileName, client_id AS clientId, file_size AS fileSize, mime_type AS mimeType,
       width, height, created_at AS createdAt
     FROM screenshots WHERE client_id = ? AND file_name IN (SELECT value FROM json_each(?))`,
  ).all(clientId, JSON.stringify(fileNames)) as ScreenshotRow[];
}

/** Which of these names a screenshot or replay row names. */
export function selectRecordedFiles(db: Db, fileNames: readonly string[]): string[] {
  if (fileNames.length === 0) return [];
  const rows = prepared(
    db,
    `SELECT value AS name FROM json_each(?) WHERE value IN (SELECT file_name FROM screenshots)
       OR value IN (SELECT file_name FROM replays)`,
  ).all(JSON.stringify(fileNames)) as { name: string }[];
  return rows.map((r) => r.name);
}
