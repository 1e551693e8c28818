/**
 * What the read API accepts (api-contract.md section 2), validated with zod/mini: the list's
 * query string and the filter body (triage changes: triage-schemas.ts). Every failure names its place, e.g.
 * `{"query.0.operator": ["rating cannot use starts_with"]}`.
 */
import * as z from 'zod/mini';
import type { FieldIssues } from '../../lib/api/schemas.ts';
import { READ_API_LIMITS } from '../constants.ts';
import { storableText } from '../storable-text.ts';
import type {
  FeedbackFilter,
  FeedbackFilterField,
  FeedbackFilterOperator,
  FeedbackFilterValue,
  FeedbackOrder,
  FeedbackState,
} from '../storage/types.ts';
import type { Priority } from '../storage/team-types.ts';

/** The workflow states, in the order a team moves through them. */
export const FEEDBACK_STATES = ['new', 'in_progress', 'done'] as const satisfies readonly FeedbackState[];

/** The priorities, most urgent first. */
export const PRIORITIES = ['urgent', 'high', 'neutral', 'low'] as const satisfies readonly Priority[];

/** The environment name that means "absent" (feedback sent without one). */
export const DEFAULT_ENVIRONMENT = 'default';

/** A time as answers carry it: `toISOString()` text, always UTC (`2024-06-07T10:00:00.000Z`). */
export const timestampSchema = z.iso.datetime();

/** A parse result: the value, or the `issues` of a 400. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssues };

const { maxPage, defaultPage, maxFilters, maxInValues, maxFilterChars } = READ_API_LIMITS;
const LIMIT_MESSAGE = `Must be an integer from 1 to ${maxPage}`;
const CURSOR_MESSAGE = 'Must be the id of a feedback item';
/** What a wrong state is told. */
export const STATE_MESSAGE = `Must be one of ${FEEDBACK_STATES.join(', ')}`;
/** What a wrong priority is told. */
export const PRIORITY_MESSAGE = `Must be one of ${PRIORITIES.join(', ')}`;
const text = (what: string) =>
  z.string({ error: `Must be ${what}` }).check(
    z.minLength(1, { error: 'Must not be empty' }),
    z.maxLength(maxFilterChars, { error: `Must be at most ${maxFilterChars} characters` }),
  );
const cursor = z.string().check(z.minLength(1, { error: CURSOR_MESSAGE }), z.maxLength(200, { error: CURSOR_MESSAGE }));

/** The query string of a list: `limit` (as text, 1 to 100), and the cursors. */
export const listQuerySchema = z.object({
  limit: z.optional(z.string().check(z.regex(new RegExp(`^(?:${maxPage}|[1-9][0-9]?)$`), { error: LIMIT_MESSAGE }))),
  after: z.optional(cursor),
  before: z.optional(cursor),
});

/** Paging of a list: page size and at most one cursor. */
export interface Paging {
  limit: number;
  after?: string;
  before?: string;
}

// zod/mini has no locale: checks without their own message say "Invalid input". A library that
// loads the full zod (jira.js) installs its English locale for every schema in the process; a
// custom error comes before any locale, so this keeps every answer's wording ours.
z.config({ customError: () => 'Invalid input' });

// zod/mini has no locale: checks without their own message say "Invalid input".
function describe(issue: z.core.$ZodIssue): string {
  if (issue.message !== 'Invalid input') return issue.message;
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'Required';
    const expected = issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`;
    return `Must be ${expected}`;
  }
  if (issue.code === 'too_big') return `Must have at most ${issue.maximum} entries`;
  return 'Invalid value';
}

// Places are built from the caller's keys: on a plain object, `constructor` or `__proto__`
// would find Object.prototype's members instead of an empty slot (a 500, or a lost issue).
/** An empty issues map that a caller's key cannot collide with. */
export const noIssues = (): FieldIssues => Object.create(null) as FieldIssues;

/** A zod error as `issues`, each under its place (after `prefix`). */
export function issuesOf(error: z.core.$ZodError, prefix: (string | number)[] = []): FieldIssues {
  const issues = noIssues();
  const add = (path: PropertyKey[], message: string) => {
    const place = [...prefix, ...path].map(String).join('.') || 'body';
    (issues[place] ??= []).push(message);
  };
  for (const issue of error.issues) {
    // An unknown key is a typo that would otherwise be silently ignored: name each one.
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], 'Unknown field');
    else add(issue.path, describe(issue));
  }
  return issues;
}

/** A body's issues; one that is not an object at all gets one clear issue instead of one per missing field. */
export function bodyIssuesOf(error: z.core.$ZodError): FieldIssues {
  const notObject = error.issues.some((issue) => issue.path.length === 0 && issue.code === 'invalid_type');
  return notObject ? { body: ['Body must be a JSON object'] } : issuesOf(error);
}

/** The query string of a list: `limit` (default 10), `after` or `before`. */
export function parsePaging(query: Record<string, string>): Parsed<Paging> {
  const result = listQuerySchema.safeParse(query, { reportInput: true });
  if (!result.success) return { ok: false, issues: issuesOf(result.error) };
  const { limit, after, before } = result.data;
  if (after !== undefined && before !== undefined) {
    return { ok: false, issues: { before: ['Use after or before, not both'] } };
  }
  return { ok: true, value: { limit: limit === undefined ? defaultPage : Number(limit), after, before } };
}

const ratingSchema = z.int({ error: 'Must be an integer from 1 to 4' }).check(
  z.minimum(1, { error: 'Must be an integer from 1 to 4' }),
  z.maximum(4, { error: 'Must be an integer from 1 to 4' }),
);
const dateTime = z.iso.datetime({ offset: true, error: 'Must be an ISO 8601 date-time, e.g. 2024-06-07T10:00:00Z' });

type WireValue = string | number | null;
type FilterSpec = {
  operators: readonly FeedbackFilterOperator[];
  value: z.ZodMiniType<WireValue>;
  /** Turns a valid wire value into what storage compares (null for "default", UTC times). */
  stored?: (value: WireValue) => FeedbackFilterValue;
};
const times: FilterSpec = {
  operators: ['eq', 'gt', 'gte', 'lt', 'lte'],
  value: dateTime,
  // Stored times are `toISOString()` text; any offset or precision becomes that form.
  stored: (value) => new Date(value as string).toISOString(),
};

/** Each filter type: its operators and its values. */
const FILTERS: Record<FeedbackFilterField, FilterSpec> = {
  state: { operators: ['eq', 'neq', 'in'], value: z.enum(FEEDBACK_STATES, { error: STATE_MESSAGE }) },
  rating: { operators: ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'], value: ratingSchema },
  environment: {
    operators: ['eq', 'neq', 'in'],
    value: text('an environment name'),
    stored: (value) => (value === DEFAULT_ENVIRONMENT ? null : value),
  },
  userEmail: { operators: ['eq', 'contains'], value: text('a string') },
  pageUrl: { operators: ['eq', 'starts_with'], value: text('a string') },
  comment: { operators: ['contains'], value: text('a string') },
  created_at: times,
  updated_at: times,
  // `null` is "unassigned"; an id no member has matches nothing, as an unknown label does.
  assignee: { operators: ['eq', 'neq', 'in'], value: z.nullable(text('a user id or null')) },
  label: { operators: ['eq', 'in'], value: text('a label id') },
  priority: { operators: ['eq', 'neq', 'in'], value: z.enum(PRIORITIES, { error: PRIORITY_MESSAGE }) },
};
const FILTER_TYPES = Object.keys(FILTERS) as FeedbackFilterField[];

// The body's shape; each query item is then checked against FILTERS by parseOne.
const filterBodySchema = z.strictObject({
  order_by: z.optional(
    z.strictObject({
      direction: z.enum(['asc', 'desc'], { error: 'Must be "asc" or "desc"' }),
      order_by_type: z.enum(['created_at', 'updated_at'], { error: 'Must be "created_at" or "updated_at"' }),
    }),
  ),
  query: z.optional(
    z.array(
      z.strictObject({ filter_type: z.string(), operator: z.string(), value: z.unknown() }),
    ).check(z.maxLength(maxFilters, { error: `At most ${maxFilters} filters` })),
  ),
});

/** A filter body, validated: the order (default updated_at, newest first) and the filters. */
export interface FilterRequest {
  order: FeedbackOrder;
  filters: FeedbackFilter[];
}

/** The value of an `in` filter: a list of the filter type's values. */
const inList = (value: z.ZodMiniType<WireValue>) =>
  z.array(value).check(
    z.minLength(1, { error: 'Must be a list of at least one value' }),
    z.maxLength(maxInValues, { error: `Must be a list of at most ${maxInValues} values` }),
  );

function parseOne(item: { filter_type: string; operator: string; value: unknown }, at: number): Parsed<FeedbackFilter> {
  const place = `query.${at}`;
  if (!Object.hasOwn(FILTERS, item.filter_type)) {
    const message = `Unknown filter type ${item.filter_type} (use ${FILTER_TYPES.join(', ')})`;
    return { ok: false, issues: { [`${place}.filter_type`]: [message] } };
  }
  const field = item.filter_type as FeedbackFilterField;
  const spec = FILTERS[field];
  const operator = item.operator as FeedbackFilterOperator;
  if (!spec.operators.includes(operator)) {
    return { ok: false, issues: { [`${place}.operator`]: [`${field} cannot use ${item.operator}`] } };
  }
  const schema = operator === 'in' ? inList(spec.value) : spec.value;
  const result = schema.safeParse(item.value, { reportInput: true });
  if (!result.success) return { ok: false, issues: issuesOf(result.error, [place, 'value']) };
  // Text compares as it was stored (storable-text.ts): a NUL searched for is the U+FFFD kept for it.
  const stored = (value: WireValue) => {
    const kept = spec.stored ? spec.stored(value) : value;
    return typeof kept === 'string' ? storableText(kept) : kept;
  };
  const value = Array.isArray(result.data) ? result.data.map(stored) : stored(result.data as WireValue);
  return { ok: true, value: { field, operator, value } };
}

/** The body of `.../feedbacks/filter` and `.../filter/count`; `{}` is every item. */
export function parseFilterBody(body: unknown): Parsed<FilterRequest> {
  const result = filterBodySchema.safeParse(body, { reportInput: true });
  if (!result.success) return { ok: false, issues: bodyIssuesOf(result.error) };
  const issues = noIssues();
  const filters: FeedbackFilter[] = [];
  (result.data.query ?? []).forEach((item, at) => {
    const parsed = parseOne(item, at);
    if (parsed.ok) filters.push(parsed.value);
    else Object.assign(issues, parsed.issues);
  });
  if (Object.keys(issues).length > 0) return { ok: false, issues };
  const order = result.data.order_by;
  return {
    ok: true,
    value: {
      order: order ? { by: order.order_by_type, direction: order.direction } : { by: 'updated_at', direction: 'desc' },
      filters,
    },
  };
}

/**
 * What filterBodySchema and parseOne accept together, as one schema for the OpenAPI document:
 * each query item is one filter type with its operators and its values (a list of them for `in`).
 */
export function filterBodyDocSchema() {
  const items = FILTER_TYPES.flatMap((type) => {
    const { operators, value } = FILTERS[type];
    const single = operators.filter((operator) => operator !== 'in') as [FeedbackFilterOperator, ...FeedbackFilterOperator[]];
    const filter_type = z.literal(type);
    const one = z.strictObject({ filter_type, operator: z.enum(single), value });
    return operators.includes('in') ? [one, z.strictObject({ filter_type, operator: z.literal('in'), value: inList(value) })] : [one];
  });
  const query = z.array(z.union(items)).check(z.maxLength(maxFilters));
  return z.strictObject({ order_by: filterBodySchema.shape.order_by, query: z.optional(query) });
}

/** Parses a JSON body with a zod schema into a value or the issues of a 400 (the team routes' bodies). */
export function parseBodyWith<T>(schema: z.ZodMiniType<T>, body: unknown): Parsed<T> {
  const result = schema.safeParse(body, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: bodyIssuesOf(result.error) };
}
