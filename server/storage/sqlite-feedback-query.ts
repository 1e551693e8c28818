/**
 * The read API's list, count and cursor paging in SQLite. SQL text is built only from the
 * fixed names below; every value travels as a bound parameter.
 */
import type Database from 'better-sqlite3';
import { prepared } from './sqlite-statements.ts';
import { toFeedback, type FeedbackRecord } from './sqlite-rows.ts';
import type {
  FeedbackFilter,
  FeedbackFilterField,
  FeedbackFilterValue,
  FeedbackPage,
  FeedbackQuery,
} from './types.ts';

/** A statement's text and its parameters, in order. */
export interface Sql {
  text: string;
  params: FeedbackFilterValue[];
}

// The only column names that ever reach SQL text. `feedback_counts` has the first three too.
const COLUMNS: Record<FeedbackFilterField, string> = {
  state: 'state',
  rating: 'rating',
  environment: 'environment',
  userEmail: 'user_email',
  pageUrl: 'page_url',
  comment: 'comment',
  created_at: 'created_at',
  updated_at: 'updated_at',
};

/** Fields the `feedback_counts` table is kept by: a count filtered on these only reads it. */
const COUNTED_FIELDS: ReadonlySet<FeedbackFilterField> = new Set(['state', 'rating', 'environment']);

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

// LIKE's wildcards (and the escape itself) in a search text match only themselves.
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function one(filter: FeedbackFilter): FeedbackFilterValue {
  if (Array.isArray(filter.value)) throw new Error(`${filter.operator} takes one value`);
  return filter.value as FeedbackFilterValue;
}

const TIME_FIELDS: ReadonlySet<FeedbackFilterField> = new Set(['created_at', 'updated_at']);

/**
 * One filter as SQL; `null` (absent) compares with IS so that "not staging" includes the
 * default. A time filter on the other time column than the list's order is written `+column`,
 * which keeps SQLite from reading that column's index and sorting every match: the page is
 * read in order from the order's own index and stops after `limit` matches.
 */
export function filterSql(filter: FeedbackFilter, orderBy?: FeedbackFilterField): Sql {
  const unordered = orderBy !== undefined && TIME_FIELDS.has(filter.field) && filter.field !== orderBy;
  const column = (unordered ? '+' : '') + COLUMNS[filter.field];
  switch (filter.operator) {
    case 'eq': {
      const value = one(filter);
      return value === null ? { text: `${column} IS NULL`, params: [] } : { text: `${column} = ?`, params: [value] };
    }
    case 'neq':
      return { text: `${column} IS NOT ?`, params: [one(filter)] };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { text: `${column} ${COMPARISONS[filter.operator]} ?`, params: [one(filter)] };
    case 'in': {
      const values = Array.isArray(filter.value) ? (filter.value as FeedbackFilterValue[]) : [one(filter)];
      const present = values.filter((value) => value !== null);
      const parts = present.length > 0 ? [`${column} IN (${present.map(() => '?').join(', ')})`] : [];
      if (present.length < values.length) parts.push(`${column} IS NULL`);
      return { text: parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`, params: present };
    }
    case 'contains':
      // SQLite's LIKE ignores case for ASCII letters only (no ICU in better-sqlite3's build).
      return { text: `${column} LIKE ? ESCAPE '\\'`, params: [likeContains(String(one(filter)))] };
    case 'starts_with': {
      // Exact and case-sensitive, unlike LIKE; a scan bounded by the client's index order.
      const prefix = String(one(filter));
      return { text: `substr(${column}, 1, length(?)) = ?`, params: [prefix, prefix] };
    }
  }
}

/** `client_id = ?` and every filter, ANDed; `orderBy` for a list read in that order. */
export function whereSql(clientId: string, filters: readonly FeedbackFilter[], orderBy?: FeedbackFilterField): Sql {
  const parts = filters.map((filter) => filterSql(filter, orderBy));
  return {
    text: ['client_id = ?', ...parts.map((part) => part.text)].join(' AND '),
    params: [clientId, ...parts.flatMap((part) => part.params)],
  };
}

/** The count's statement: the kept counts when every filter is on a counted field, else the rows. */
export function countSql(clientId: string, filters: readonly FeedbackFilter[]): Sql {
  const where = whereSql(clientId, filters);
  return filters.every((filter) => COUNTED_FIELDS.has(filter.field))
    ? { text: `SELECT coalesce(sum(n), 0) AS n FROM feedback_counts WHERE ${where.text}`, params: where.params }
    : { text: `SELECT count(*) AS n FROM feedback WHERE ${where.text}`, params: where.params };
}

/** Where a scan starts (exclusive): the cursor item's sort key and id. */
export interface Position {
  key: string;
  id: string;
}

/** What one scan of the list reads. */
export interface ScanSpec {
  clientId: string;
  filters: readonly FeedbackFilter[];
  orderBy: FeedbackQuery['order']['by'];
  ascending: boolean;
  from?: Position;
  limit: number;
  /** `SELECT *` for a page, `SELECT 1` to ask whether anything is there. */
  columns: '*' | '1';
}

/** A scan in one direction from a position: one range of the (client, key, id) index. */
export function scanSql(spec: ScanSpec): Sql {
  const where = whereSql(spec.clientId, spec.filters, spec.orderBy);
  const key = COLUMNS[spec.orderBy];
  const direction = spec.ascending ? 'ASC' : 'DESC';
  const text = [where.text];
  const params = [...where.params];
  if (spec.from) {
    // A row value comparison is one index range; ties on the key fall back to the id.
    text.push(`(${key}, id) ${spec.ascending ? '>' : '<'} (?, ?)`);
    params.push(spec.from.key, spec.from.id);
  }
  params.push(spec.limit);
  return {
    text: `SELECT ${spec.columns} FROM feedback WHERE ${text.join(' AND ')} ORDER BY ${key} ${direction}, id ${direction} LIMIT ?`,
    params,
  };
}

/** Runs a page query in one read transaction, so the page and its neighbours agree. */
export function readFeedbackPage(db: Database.Database, query: FeedbackQuery): FeedbackPage | undefined {
  return db.transaction((): FeedbackPage | undefined => {
    const cursorId = query.before ?? query.after;
    let from: Position | undefined;
    if (cursorId !== undefined) {
      const row = prepared(db, 'SELECT id, created_at, updated_at FROM feedback WHERE id = ? AND client_id = ?')
        .get(cursorId, query.clientId) as { id: string; created_at: string; updated_at: string } | undefined;
      if (!row) return undefined;
      from = { key: row[query.order.by], id: row.id };
    }
    const listAscending = query.order.direction === 'asc';
    const backward = query.before !== undefined;
    const scan = (ascending: boolean, start: Position | undefined, limit: number, columns: '*' | '1') => {
      const { clientId, filters } = query;
      const sql = scanSql({ clientId, filters, orderBy: query.order.by, ascending, from: start, limit, columns });
      return prepared(db, sql.text).all(...sql.params);
    };
    const positionOf = (row: { id: string; createdAt: string; updatedAt: string }): Position => ({
      key: query.order.by === 'created_at' ? row.createdAt : row.updatedAt,
      id: row.id,
    });

    // Backward pages read nearest-first (the list's reverse order), then turn around.
    const records = scan(backward ? !listAscending : listAscending, from, query.limit + 1, '*') as FeedbackRecord[];
    const rows = records.map(toFeedback);
    const hasMore = rows.length > query.limit;
    const items = rows.slice(0, query.limit);
    if (backward) items.reverse();
    const first = items[0];
    const last = items.at(-1);
    // The far side of the page, opposite to travel: one index probe asking "anything there?".
    const anyBefore = () => first !== undefined && scan(!listAscending, positionOf(first), 1, '1').length > 0;
    const anyAfter = () => last !== undefined && scan(listAscending, positionOf(last), 1, '1').length > 0;
    const moreAfter = backward ? anyAfter() : hasMore;
    const moreBefore = backward ? hasMore : anyBefore();
    return {
      items,
      next: moreAfter && last ? last.id : null,
      previous: moreBefore && first ? first.id : null,
      hasMore,
    };
  })();
}
