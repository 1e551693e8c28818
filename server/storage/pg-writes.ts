/**
 * The PostgreSQL ingest writes: each row commits in one transaction with the answer that is
 * remembered for its Idempotency-Key, so a crash leaves both or neither, and of any number
 * of instances racing on one key exactly one commits its row.
 */
import type pg from 'pg';
import { inTransaction, type Queryable } from './pg-pool.ts';
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

/**
 * Claims the scope first: the unique key makes a second transaction on it wait for the
 * first, then see its row. Only an answer expired by this one's time gives way; a live one
 * is left as it is (no row returned) and read once its writer has committed.
 */
async function claimScope(client: pg.PoolClient, remember: RememberedAnswer): Promise<boolean> {
  const claimed = await client.query(
    `${INSERT_ANSWER}
     ON CONFLICT ON CONSTRAINT idempotency_scope DO UPDATE SET
       status = excluded.status, body_json = excluded.body_json,
       created_at = excluded.created_at, expires_at = excluded.expires_at
     WHERE k.expires_at <= excluded.created_at`,
    answerValues(remember),
  );
  return claimed.rowCount === 1;
}

/**
 * Runs `insert` and remembers the answer in one transaction. When another transaction holds
 * a live answer for the scope (committed, or committing while this one waited), nothing is
 * written and that answer is returned.
 */
export function writeRemembered(
  pool: pg.Pool,
  remember: RememberedAnswer | undefined,
  insert: (client: pg.PoolClient) => Promise<void>,
): Promise<StoredAnswer | undefined> {
  return inTransaction(pool, async (client) => {
    if (remember && !(await claimScope(client, remember))) {
      // Read committed: this statement sees the winner's commit that the claim waited for.
      const { scope } = remember;
      const { rows } = await client.query<StoredAnswer>(
        `SELECT ${ANSWER_COLUMNS} FROM idempotency_keys WHERE route = $1 AND client_id = $2 AND key = $3`,
        [scope.route, scope.clientId, scope.key],
      );
      return rows[0];
    }
    await insert(client);
    return undefined;
  });
}

/** INSERT of one feedback row, JSON columns serialized. */
export async function insertFeedbackRow(db: Queryable, row: FeedbackRow): Promise<void> {
  await db.query(
    `INSERT INTO feedback (id, client_id, rating, comment, user_email, page_url, page_title,
       referrer, environment, screenshots, metadata, session_replay_id, replay_offset_ms,
       state, user_agent, origin, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      row.id, row.clientId, row.rating, row.comment, row.userEmail, row.pageUrl, row.pageTitle,
      row.referrer, row.environment,
      row.screenshots === null ? null : JSON.stringify(row.screenshots),
      row.metadata === null ? null : JSON.stringify(row.metadata),
      row.sessionReplayId, row.replayOffsetMs, row.state, row.userAgent, row.origin, row.createdAt, row.updatedAt,
    ],
  );
}

/** INSERT of one replay row. */
export async function insertReplayRow(db: Queryable, row: ReplayRow): Promise<void> {
  await db.query(
    `INSERT INTO replays (id, client_id, file_name, file_size, duration_ms, event_count, started_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.id, row.clientId, row.fileName, row.fileSize, row.durationMs, row.eventCount, row.startedAt, row.createdAt],
  );
}

/** INSERT of one screenshot row. */
export async function insertScreenshotRow(db: Queryable, row: ScreenshotRow): Promise<void> {
  await db.query(
    `INSERT INTO screenshots (file_name, client_id, file_size, mime_type, width, height, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.fileName, row.clientId, row.fileSize, row.mimeType, row.width, row.height, row.createdAt],
  );
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
