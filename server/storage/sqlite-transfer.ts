/** Export paging and import writes in SQLite: every row of a table in key order, a page at a time. */
import type Database from 'better-sqlite3';
import {
  toFeedback,
  toProjectKey,
  toRemembered,
  toReplay,
  type FeedbackRecord,
  type IdempotencyRecord,
  type ProjectKeyRecord,
  type ReplayRecord,
} from './rows.ts';
import { prepared } from './sqlite-statements.ts';
import type { FeedbackRow, IdempotencyScope, ProjectKey, RememberedAnswer, ReplayRow, ScreenshotRow } from './types.ts';

type Db = Database.Database;

// `after` undefined starts at the beginning: '' sorts before every id SQLite holds.
const from = (after: string | undefined) => after ?? '';

/** Feedback of every client, by id. */
export function pageFeedback(db: Db, after: string | undefined, limit: number): FeedbackRow[] {
  const rows = prepared(db, 'SELECT * FROM feedback WHERE id > ? ORDER BY id LIMIT ?').all(from(after), limit);
  return (rows as FeedbackRecord[]).map(toFeedback);
}

/** Replays of every client, by id. */
export function pageReplays(db: Db, after: string | undefined, limit: number): ReplayRow[] {
  const rows = prepared(db, 'SELECT * FROM replays WHERE id > ? ORDER BY id LIMIT ?').all(from(after), limit);
  return (rows as ReplayRecord[]).map(toReplay);
}

/** Screenshots of every client, by file name. */
export function pageScreenshots(db: Db, after: string | undefined, limit: number): ScreenshotRow[] {
  return prepared(
    db,
    `SELECT file_name AS fileName, client_id AS clientId, file_size AS fileSize, mime_type AS mimeType,
       width, height, created_at AS createdAt
     FROM screenshots WHERE file_name > ? ORDER BY file_name LIMIT ?`,
  ).all(from(after), limit) as ScreenshotRow[];
}

/** Project keys of every client, by kid. */
export function pageProjectKeys(db: Db, after: string | undefined, limit: number): ProjectKey[] {
  const rows = prepared(db, 'SELECT * FROM project_keys WHERE kid > ? ORDER BY kid LIMIT ?').all(from(after), limit);
  return (rows as ProjectKeyRecord[]).map(toProjectKey);
}

/** Remembered answers, live or expired, by scope. */
export function pageIdempotent(db: Db, after: IdempotencyScope | undefined, limit: number): RememberedAnswer[] {
  const start = after ?? { route: '', clientId: '', key: '' };
  const rows = prepared(
    db,
    `SELECT * FROM idempotency_keys WHERE (route, client_id, key) > (?, ?, ?)
     ORDER BY route, client_id, key LIMIT ?`,
  ).all(start.route, start.clientId, start.key, limit) as IdempotencyRecord[];
  return rows.map(toRemembered);
}

/** Stores a remembered answer as given; its scope must be new. */
export function insertIdempotent(db: Db, r: RememberedAnswer): void {
  prepared(
    db,
    `INSERT INTO idempotency_keys (route, client_id, key, status, body_json, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.scope.route, r.scope.clientId, r.scope.key, r.answer.status, r.answer.bodyJson, r.createdAtIso, r.expiresAtIso);
}
