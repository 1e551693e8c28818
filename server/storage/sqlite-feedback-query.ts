/**
 * The read API's list, count and cursor paging in SQLite: the shared builder
 * (feedback-sql.ts) in SQLite's spelling, and a page read in one transaction.
 */
import type Database from 'better-sqlite3';
import * as shared from './feedback-sql.ts';
import { prepared } from './sqlite-statements.ts';
import { toFeedback, type FeedbackRecord } from './rows.ts';
import type { FeedbackFilter, FeedbackFilterField, FeedbackPage, FeedbackQuery } from './types.ts';

export type { Position, ScanSpec, Sql } from './feedback-sql.ts';

/** SQLite's spelling of the operators that differ between engines. */
export const SQLITE_DIALECT: shared.SqlDialect = {
  // `+column` keeps SQLite from reading that column's index and sorting every match: the
  // page is read in order from the order's own index and stops after `limit` matches.
  unordered: (column) => `+${column}`,
  notEqual: (column) => `${column} IS NOT ?`,
  // SQLite's LIKE ignores case for ASCII letters only (no ICU in better-sqlite3's build).
  containsLike: (column) => `${column} LIKE ? ESCAPE '\\'`,
  // Exact and case-sensitive, unlike LIKE; a scan bounded by the client's index order.
  startsWith: (column, prefix) => ({ text: `substr(${column}, 1, length(?)) = ?`, params: [prefix, prefix] }),
};

/** One filter as SQLite SQL. */
export const filterSql = (filter: FeedbackFilter, orderBy?: FeedbackFilterField): shared.Sql =>
  shared.filterSql(SQLITE_DIALECT, filter, orderBy);

/** `client_id = ?` and every filter, ANDed. */
export const whereSql = (clientId: string, filters: readonly FeedbackFilter[], orderBy?: FeedbackFilterField): shared.Sql =>
  shared.whereSql(SQLITE_DIALECT, clientId, filters, orderBy);

/** The count's statement: the kept counts when every filter is on a counted field, else the rows. */
export const countSql = (clientId: string, filters: readonly FeedbackFilter[]): shared.Sql =>
  shared.countSql(SQLITE_DIALECT, clientId, filters);

/** A scan in one direction from a position: one range of the (client, key, id) index. */
export const scanSql = (spec: shared.ScanSpec): shared.Sql => shared.scanSql(SQLITE_DIALECT, spec);

/** Runs a page query in one read transaction, so the page and its neighbours agree. */
export function readFeedbackPage(db: Database.Database, query: FeedbackQuery): FeedbackPage | undefined {
  return db.transaction((): FeedbackPage | undefined => {
    const cursorId = query.before ?? query.after;
    let from: shared.Position | undefined;
    if (cursorId !== undefined) {
      const row = prepared(db, shared.CURSOR_SQL).get(cursorId, query.clientId) as shared.CursorRecord | undefined;
      if (!row) return undefined;
      from = shared.cursorPosition(query, row);
    }
    const run = (spec: shared.ScanSpec) => {
      const sql = scanSql(spec);
      return prepared(db, sql.text).all(...sql.params);
    };
    const page = shared.pageFrom(query, (run(shared.pageScan(query, from)) as FeedbackRecord[]).map(toFeedback));
    return page.finish(page.probe !== undefined && run(page.probe).length > 0);
  })();
}
