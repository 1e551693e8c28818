/**
 * The read API's list, count and cursor paging in PostgreSQL: the shared builder
 * (feedback-sql.ts) in PostgreSQL's spelling, and a page read in one snapshot.
 */
import type pg from 'pg';
import * as shared from './feedback-sql.ts';
import { inTransaction, numbered, type Queryable } from './pg-pool.ts';
import { toFeedback, type FeedbackRecord } from './rows.ts';
import type { FeedbackFilter, FeedbackPage, FeedbackQuery } from './types.ts';

/**
 * PostgreSQL's spelling. The columns are `COLLATE "C"` (pg-schema.ts), under which ILIKE
 * folds ASCII letters only, exactly as SQLite's LIKE does; `\` is LIKE's escape as there.
 */
export const PG_DIALECT: shared.SqlDialect = {
  // The planner reads the order's own index without being told.
  unordered: (column) => column,
  notEqual: (column) => `${column} IS DISTINCT FROM ?`,
  containsLike: (column) => `${column} ILIKE ? ESCAPE '\\'`,
  startsWith: (column, prefix) => ({ text: `starts_with(${column}, ?)`, params: [prefix] }),
};

/** The count's statement, numbered. */
export function pgCountSql(clientId: string, filters: readonly FeedbackFilter[]): shared.Sql {
  const sql = shared.countSql(PG_DIALECT, clientId, filters);
  return { text: numbered(sql.text), params: sql.params };
}

/** A scan's statement, numbered. */
export function pgScanSql(spec: shared.ScanSpec): shared.Sql {
  const sql = shared.scanSql(PG_DIALECT, spec);
  return { text: numbered(sql.text), params: sql.params };
}

/** How many of a client's items match every filter. */
export async function countFeedback(db: Queryable, clientId: string, filters: readonly FeedbackFilter[]): Promise<number> {
  const sql = pgCountSql(clientId, filters);
  const { rows } = await db.query<{ n: string | number }>(sql.text, sql.params);
  // sum() of bigint is numeric, which node-postgres leaves as text.
  return Number(rows[0]!.n);
}

/** Runs a page query in one repeatable-read snapshot, so the page and its neighbours agree. */
export function readFeedbackPage(pool: pg.Pool, query: FeedbackQuery): Promise<FeedbackPage | undefined> {
  return inTransaction(
    pool,
    async (client): Promise<FeedbackPage | undefined> => {
      const cursorId = query.before ?? query.after;
      let from: shared.Position | undefined;
      if (cursorId !== undefined) {
        const { rows } = await client.query<shared.CursorRecord>(numbered(shared.CURSOR_SQL), [cursorId, query.clientId]);
        if (!rows[0]) return undefined;
        from = shared.cursorPosition(query, rows[0]);
      }
      const run = async (spec: shared.ScanSpec) => {
        const sql = pgScanSql(spec);
        return (await client.query(sql.text, sql.params)).rows;
      };
      const page = shared.pageFrom(query, ((await run(shared.pageScan(query, from))) as FeedbackRecord[]).map(toFeedback));
      return page.finish(page.probe !== undefined && (await run(page.probe)).length > 0);
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}
