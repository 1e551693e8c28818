/**
 * The PostgreSQL ingest writes: each row commits in one statement, so one transaction, with
 * the answer that is remembered for its Idempotency-Key, so a crash leaves both or neither,
 * and of any number of instances racing on one key exactly one commits its row.
 */
import type { Queryable } from './pg-pool.ts';
import type { FeedbackRow, RememberedAnswer, ReplayRow, ScreenshotRow, StoredAnswer } from './types.ts';

const ANSWER_COLUMNS = 'status, body_json AS "bodyJson"';

/** The live answer of a scope at `nowIso`, if any. */
export async function liveAnswer(db: Queryable, scope: RememberedAnswer['scope'], nowIso: string): Promise<StoredAnswer | undefined> {
  const { rows } = await db.query<StoredAnswer>(
    `SELECT ${ANSWER_COLUMNS} FROM idempotency_keys WHERE route = $1 AND client_id = $2 AND key = $3 AND expires_at > $4`,
    [scope.route, scope.clientId, scope.key, nowIso],
  );
  return rows[0];
}

/** The values of an idempotency_keys row, in INSERT_ANSWER's order. */
export function answerValues(r: RememberedAnswer): unknown[] {
  return [r.scope.route, r.scope.clientId, r.scope.key, r.answer.status, r.answer.bodyJson, r.createdAtIso, r.expiresAtIso];
}

/** INSERT of one remembered answer ($1..$7 as answerValues). */
export const INSERT_ANSWER = `INSERT INTO idempotency_keys AS k (route, client_id, key, status, body_json, created_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

/** A row to insert: its table, its columns with their types, and its values in that order. */
export interface RowInsert {
  table: string;
  columns: readonly (readonly [name: string, type: 'text' | 'bigint'])[];
  values: unknown[];
}

/**
 * The row's INSERT … SELECT, its parameters numbered from `first`, with `where` after: cast,
 * since a parameter in a SELECT list has no column to take its type from.
 */
function insertSql(row: RowInsert, first: number, where = ''): string {
  const names = row.columns.map(([name]) => name).join(', ');
  const casts = row.columns.map(([, type], i) => `$${first + i}::${type}`).join(', ');
  return `INSERT INTO ${row.table} (${names}) SELECT ${casts} ${where}`;
}

/**
 * Claims the scope and inserts the row in one statement, so one transaction and one round
 * trip: the unique key makes a second claim of the scope wait for the first's commit, then
 * see its row. Only an answer expired by this one's time gives way; a live one is left as
 * it is, the claim returns nothing and the row is not inserted. True when this one stored.
 */
async function claimAndInsert(db: Queryable, remember: RememberedAnswer, row: RowInsert): Promise<boolean> {
  const inserted = await db.query(
    `WITH claim AS (
       ${INSERT_ANSWER}
       ON CONFLICT ON CONSTRAINT idempotency_scope DO UPDATE SET
         status = excluded.status, body_json = excluded.body_json,
         created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE k.expires_at <= excluded.created_at
       RETURNING 1
     )
     ${insertSql(row, 8, 'WHERE EXISTS (SELECT 1 FROM claim)')}`,
    [...answerValues(remember), ...row.values],
  );
  return inserted.rowCount === 1;
}

/**
 * Inserts the row and remembers the answer in one statement (its own transaction: no BEGIN
 * and COMMIT round trips). When another transaction holds a live answer for the scope
 * (committed, or committing while this one waited), nothing is written and that answer is
 * returned.
 */
export async function writeRemembered(db: Queryable, remember: RememberedAnswer | undefined, row: RowInsert): Promise<StoredAnswer | undefined> {
  if (!remember) {
    await db.query(insertSql(row, 1), row.values);
    return undefined;
  }
  if (await claimAndInsert(db, remember, row)) return undefined;
  // A statement of its own, so its snapshot holds the winner's commit that the claim waited for.
  const { scope } = remember;
  const { rows } = await db.query<StoredAnswer>(
    `SELECT ${ANSWER_COLUMNS} FROM idempotency_keys WHERE route = $1 AND client_id = $2 AND key = $3`,
    [scope.route, scope.clientId, scope.key],
  );
  return rows[0];
}

const FEEDBACK_COLUMNS = [
  ['id', 'text'], ['client_id', 'text'], ['rating', 'bigint'], ['comment', 'text'], ['user_email', 'text'],
  ['page_url', 'text'], ['page_title', 'text'], ['referrer', 'text'], ['environment', 'text'], ['screenshots', 'text'],
  ['metadata', 'text'], ['session_replay_id', 'text'], ['replay_offset_ms', 'bigint'], ['state', 'text'],
  ['assignee_id', 'text'], ['priority', 'text'], ['user_agent', 'text'], ['origin', 'text'], ['created_at', 'text'], ['updated_at', 'text'],
] as const;

/** One feedback row to insert, JSON columns serialized. */
export function feedbackInsert(row: FeedbackRow): RowInsert {
  return {
    table: 'feedback',
    columns: FEEDBACK_COLUMNS,
    values: [
      row.id, row.clientId, row.rating, row.comment, row.userEmail, row.pageUrl, row.pageTitle,
      row.referrer, row.environment,
      row.screenshots === null ? null : JSON.stringify(row.screenshots),
      row.metadata === null ? null : JSON.stringify(row.metadata),
      row.sessionReplayId, row.replayOffsetMs, row.state, row.assigneeId, row.priority, row.userAgent, row.origin, row.createdAt, row.updatedAt,
    ],
  };
}

const REPLAY_COLUMNS = [
  ['id', 'text'], ['client_id', 'text'], ['file_name', 'text'], ['file_size', 'bigint'], ['duration_ms', 'bigint'],
  ['event_count', 'bigint'], ['started_at', 'text'], ['created_at', 'text'],
] as const;

/** One replay row to insert. */
export function replayInsert(row: ReplayRow): RowInsert {
  return {
    table: 'replays',
    columns: REPLAY_COLUMNS,
    values: [row.id, row.clientId, row.fileName, row.fileSize, row.durationMs, row.eventCount, row.startedAt, row.createdAt],
  };
}

const SCREENSHOT_INSERT_COLUMNS = [
  ['file_name', 'text'], ['client_id', 'text'], ['file_size', 'bigint'], ['mime_type', 'text'], ['width', 'bigint'],
  ['height', 'bigint'], ['created_at', 'text'],
] as const;

/** One screenshot row to insert. */
export function screenshotInsert(row: ScreenshotRow): RowInsert {
  return {
    table: 'screenshots',
    columns: SCREENSHOT_INSERT_COLUMNS,
    values: [row.fileName, row.clientId, row.fileSize, row.mimeType, row.width, row.height, row.createdAt],
  };
}

/** The screenshots table's columns under the Storage type's names. */
export const SCREENSHOT_COLUMNS = `file_name AS "fileName", client_id AS "clientId", file_size AS "fileSize",
  mime_type AS "mimeType", width, height, created_at AS "createdAt"`;

/** The screenshot rows of one client among these names. */
export async function selectScreenshots(db: Queryable, clientId: string, fileNames: readonly string[]): Promise<ScreenshotRow[]> {
  if (fileNames.length === 0) return [];
  const { rows } = await db.query<ScreenshotRow>(
    `SELECT ${SCREENSHOT_COLUMNS} FROM screenshots WHERE client_id = $1 AND file_name = ANY($2::text[])`,
    [clientId, fileNames],
  );
  return rows;
}

/** Which of these names a screenshot or replay row names. */
export async function selectRecordedFiles(db: Queryable, fileNames: readonly string[]): Promise<string[]> {
  if (fileNames.length === 0) return [];
  const { rows } = await db.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) AS name
     WHERE name IN (SELECT file_name FROM screenshots) OR name IN (SELECT file_name FROM replays)`,
    [fileNames],
  );
  return rows.map((r) => r.name);
}
