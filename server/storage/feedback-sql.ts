/**
 * The read API's list, count and cursor paging as SQL, for every engine: what differs
 * between SQLite and PostgreSQL (a few operators' spelling) is a dialect, the rest (which
 * filters, which index order, how a page and its neighbours are found) is written once here.
 * SQL text is built only from the fixed names below; every value travels as a `?` parameter.
 */
import type {
  FeedbackFilter,
  FeedbackFilterField,
  FeedbackFilterValue,
  FeedbackPage,
  FeedbackQuery,
  FeedbackRow,
} from './types.ts';

/** A statement's text (`?` placeholders) and its parameters, in order. */
export interface Sql {
  text: string;
  params: FeedbackFilterValue[];
}

/** How an engine spells the operators that are not standard SQL. */
export interface SqlDialect {
  /** A time column filtered while the list is read in the other time column's order. */
  unordered(column: string): string;
  /** Not equal, where NULL (absent) is a value like any other: "not staging" includes the default. */
  notEqual(column: string): string;
  /** Contains the parameter (already a LIKE pattern), ignoring the case of ASCII letters only. */
  containsLike(column: string): string;
  /** Starts with the prefix: exact and case-sensitive. */
  startsWith(column: string, prefix: string): Sql;
}

// The only column names that ever reach SQL text. `feedback_counts` has the first three too.
// `label` is not a column: its filters ask the `feedback_labels` table (labelSql).
const COLUMNS: Record<Exclude<FeedbackFilterField, 'label'>, string> = {
  state: 'state',
  rating: 'rating',
  environment: 'environment',
  userEmail: 'user_email',
  pageUrl: 'page_url',
  comment: 'comment',
  created_at: 'created_at',
  updated_at: 'updated_at',
  assignee: 'assignee_id',
  priority: 'priority',
};

/** Fields the `feedback_counts` table is kept by: a count filtered on these only reads it. */
const COUNTED_FIELDS: ReadonlySet<FeedbackFilterField> = new Set(['state', 'rating', 'environment']);

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

const TIME_FIELDS: ReadonlySet<FeedbackFilterField> = new Set(['created_at', 'updated_at']);

/** LIKE's wildcards (and the escape itself, `\`) in a search text match only themselves. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function one(filter: FeedbackFilter): FeedbackFilterValue {
  if (Array.isArray(filter.value)) throw new Error(`${filter.operator} takes one value`);
  return filter.value as FeedbackFilterValue;
}

/** Has the label (`eq`) or any of them (`in`): one lookup per item in the label's primary key. */
function labelSql(filter: FeedbackFilter): Sql {
  const values = Array.isArray(filter.value) ? (filter.value as FeedbackFilterValue[]) : [one(filter)];
  const test = values.length === 1 ? 'label_id = ?' : `label_id IN (${values.map(() => '?').join(', ')})`;
  return { text: `EXISTS (SELECT 1 FROM feedback_labels WHERE feedback_id = feedback.id AND ${test})`, params: values };
}

/** One filter as SQL; `null` (absent) compares with IS NULL. */
export function filterSql(dialect: SqlDialect, filter: FeedbackFilter, orderBy?: FeedbackFilterField): Sql {
  if (filter.field === 'label') return labelSql(filter);
  const unordered = orderBy !== undefined && TIME_FIELDS.has(filter.field) && filter.field !== orderBy;
  const column = unordered ? dialect.unordered(COLUMNS[filter.field]) : COLUMNS[filter.field];
  switch (filter.operator) {
    case 'eq': {
      const value = one(filter);
      return value === null ? { text: `${column} IS NULL`, params: [] } : { text: `${column} = ?`, params: [value] };
    }
    case 'neq':
      return { text: dialect.notEqual(column), params: [one(filter)] };
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
      return { text: dialect.containsLike(column), params: [likeContains(String(one(filter)))] };
    case 'starts_with':
      return dialect.startsWith(column, String(one(filter)));
  }
}

/** `client_id = ?` and every filter, ANDed; `orderBy` for a list read in that order. */
export function whereSql(
  dialect: SqlDialect,
  clientId: string,
  filters: readonly FeedbackFilter[],
  orderBy?: FeedbackFilterField,
): Sql {
  const parts = filters.map((filter) => filterSql(dialect, filter, orderBy));
  return {
    text: ['client_id = ?', ...parts.map((part) => part.text)].join(' AND '),
    params: [clientId, ...parts.flatMap((part) => part.params)],
  };
}

/** The count's statement: the kept counts when every filter is on a counted field, else the rows. */
export function countSql(dialect: SqlDialect, clientId: string, filters: readonly FeedbackFilter[]): Sql {
  const where = whereSql(dialect, clientId, filters);
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
export function scanSql(dialect: SqlDialect, spec: ScanSpec): Sql {
  const where = whereSql(dialect, spec.clientId, spec.filters, spec.orderBy);
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

/** Finds the cursor item of a query (parameters: its id, the client). */
export const CURSOR_SQL = 'SELECT id, created_at, updated_at FROM feedback WHERE id = ? AND client_id = ?';

/** The cursor item as CURSOR_SQL reads it. */
export interface CursorRecord {
  id: string;
  created_at: string;
  updated_at: string;
}

/** Where the query's page starts: its cursor item's place in the list order. */
export function cursorPosition(query: FeedbackQuery, cursor: CursorRecord): Position {
  return { key: cursor[query.order.by], id: cursor.id };
}

/** The page's own scan: from the cursor in the direction of travel, one item more than the page. */
export function pageScan(query: FeedbackQuery, from: Position | undefined): ScanSpec {
  const listAscending = query.order.direction === 'asc';
  // Backward pages read nearest-first (the list's reverse order), then turn around.
  const ascending = query.before !== undefined ? !listAscending : listAscending;
  return { clientId: query.clientId, filters: query.filters, orderBy: query.order.by, ascending, from, limit: query.limit + 1, columns: '*' };
}

/** A page read by pageScan, and the one probe of its far side that says whether items lie there. */
export interface PageInProgress {
  /** `SELECT 1 … LIMIT 1` beyond the page opposite to travel; none when the page is empty. */
  probe?: ScanSpec;
  /** The page, given whether the probe found anything. */
  finish(probeFound: boolean): FeedbackPage;
}

/** Turns pageScan's rows into the page and says what to probe. */
export function pageFrom(query: FeedbackQuery, rows: FeedbackRow[]): PageInProgress {
  const listAscending = query.order.direction === 'asc';
  const backward = query.before !== undefined;
  const hasMore = rows.length > query.limit;
  const items = rows.slice(0, query.limit);
  if (backward) items.reverse();
  const first = items[0];
  const last = items.at(-1);
  const positionOf = (row: FeedbackRow): Position => ({
    key: query.order.by === 'created_at' ? row.createdAt : row.updatedAt,
    id: row.id,
  });
  // Forward, the far side is before the first item; backward, after the last.
  const edge = backward ? last : first;
  const probe: ScanSpec | undefined = edge && {
    ...pageScan(query, positionOf(edge)),
    ascending: backward ? listAscending : !listAscending,
    limit: 1,
    columns: '1',
  };
  return {
    probe,
    finish(probeFound) {
      const moreAfter = backward ? probeFound : hasMore;
      const moreBefore = backward ? hasMore : probeFound;
      return {
        items,
        next: moreAfter && last ? last.id : null,
        previous: moreBefore && first ? first.id : null,
        hasMore,
      };
    },
  };
}
