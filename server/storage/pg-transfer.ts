/** Export paging and import writes in PostgreSQL: every row of a table in key order, a page at a time. */
import type { Queryable } from './pg-pool.ts';
import { INSERT_ANSWER, SCREENSHOT_COLUMNS, answerValues } from './pg-writes.ts';
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
import type { FeedbackRow, IdempotencyScope, ProjectKey, RememberedAnswer, ReplayRow, ScreenshotRow } from './types.ts';

// `after` undefined starts at the beginning: '' sorts before every id (COLLATE "C").
const from = (after: string | undefined) => after ?? '';

/** Feedback of every client, by id. */
export async function pageFeedback(db: Queryable, after: string | undefined, limit: number): Promise<FeedbackRow[]> {
  const { rows } = await db.query<FeedbackRecord>('SELECT * FROM feedback WHERE id > $1 ORDER BY id LIMIT $2', [from(after), limit]);
  return rows.map(toFeedback);
}

/** Replays of every client, by id. */
export async function pageReplays(db: Queryable, after: string | undefined, limit: number): Promise<ReplayRow[]> {
  const { rows } = await db.query<ReplayRecord>('SELECT * FROM replays WHERE id > $1 ORDER BY id LIMIT $2', [from(after), limit]);
  return rows.map(toReplay);
}

/** Screenshots of every client, by file name. */
export async function pageScreenshots(db: Queryable, after: string | undefined, limit: number): Promise<ScreenshotRow[]> {
  const { rows } = await db.query<ScreenshotRow>(
    `SELECT ${SCREENSHOT_COLUMNS} FROM screenshots WHERE file_name > $1 ORDER BY file_name LIMIT $2`,
    [from(after), limit],
  );
  return rows;
}

/** Project keys of every client, by kid. */
export async function pageProjectKeys(db: Queryable, after: string | undefined, limit: number): Promise<ProjectKey[]> {
  const { rows } = await db.query<ProjectKeyRecord>('SELECT * FROM project_keys WHERE kid > $1 ORDER BY kid LIMIT $2', [from(after), limit]);
  return rows.map(toProjectKey);
}

/** Remembered answers, live or expired, by scope. */
export async function pageIdempotent(db: Queryable, after: IdempotencyScope | undefined, limit: number): Promise<RememberedAnswer[]> {
  const start = after ?? { route: '', clientId: '', key: '' };
  const { rows } = await db.query<IdempotencyRecord>(
    `SELECT * FROM idempotency_keys WHERE (route, client_id, key) > ($1, $2, $3)
     ORDER BY route, client_id, key LIMIT $4`,
    [start.route, start.clientId, start.key, limit],
  );
  return rows.map(toRemembered);
}

/** Stores a remembered answer as given; its scope must be new. */
export async function insertIdempotent(db: Queryable, r: RememberedAnswer): Promise<void> {
  await db.query(INSERT_ANSWER, answerValues(r));
}
