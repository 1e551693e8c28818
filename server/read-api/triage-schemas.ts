/**
 * What triage accepts (docs/team-api.md "Triage"), validated with zod/mini as the read API's
 * filters are, with the same issue places: a change of one report, a bulk change, a label.
 * Whether ids name the project's members, labels and reports is the routes' check.
 */
import * as z from 'zod/mini';
import { TRIAGE_ERRORS, TRIAGE_LIMITS } from '../constants.ts';
import type { Priority } from '../storage/team-types.ts';
import type { FeedbackState } from '../storage/types.ts';
import { bodyIssuesOf, FEEDBACK_STATES, PRIORITIES, PRIORITY_MESSAGE, STATE_MESSAGE, type Parsed } from './schemas.ts';

const { maxBulkIds, maxLabelsPerItem, maxLabelNameChars, maxIdChars } = TRIAGE_LIMITS;

const id = (what: string) =>
  z.string({ error: `Must be ${what}` }).check(
    z.minLength(1, { error: `Must be ${what}` }),
    z.maxLength(maxIdChars, { error: `Must be ${what}` }),
  );
const ids = (what: string, max: number) =>
  z.array(id(what)).check(z.maxLength(max, { error: `Must be a list of at most ${max} ids` }));

const state = z.optional(z.enum(FEEDBACK_STATES, { error: STATE_MESSAGE }));
const priority = z.optional(z.enum(PRIORITIES, { error: PRIORITY_MESSAGE }));
const assigneeId = z.optional(z.nullable(id('a user id or null')));

/** A report's change: absent fields stay as they are; `labelIds` is the whole new set. */
export interface TriageChange {
  state?: FeedbackState;
  assigneeId?: string | null;
  priority?: Priority;
  labelIds?: string[];
}

/** A bulk change: labels are added and taken off rather than set. */
export interface BulkChange {
  state?: FeedbackState;
  assigneeId?: string | null;
  priority?: Priority;
  addLabelIds?: string[];
  removeLabelIds?: string[];
}

/** The body of `PATCH .../feedbacks/:id` (parseTriageChange also wants one field at least). */
export const changeSchema = z.strictObject({ state, assigneeId, priority, labelIds: z.optional(ids('a label id', maxLabelsPerItem)) });

/** The body of `POST .../feedbacks/bulk` (parseBulkChange also wants one field of `change` at least). */
export const bulkSchema = z.strictObject({
  ids: ids('a feedback id', maxBulkIds).check(z.minLength(1, { error: 'Must be a list of at least one id' })),
  change: z.strictObject({
    state,
    assigneeId,
    priority,
    addLabelIds: z.optional(ids('a label id', maxLabelsPerItem)),
    removeLabelIds: z.optional(ids('a label id', maxLabelsPerItem)),
  }),
});

const COLOR = /^#[0-9a-fA-F]{6}$/;
const labelName = z.string({ error: 'Must be a string' }).check(
  z.trim(),
  z.minLength(1, { error: 'Must not be empty' }),
  z.maxLength(maxLabelNameChars, { error: `Must be at most ${maxLabelNameChars} characters` }),
);
const color = z.string({ error: 'Must be a colour like #1a7f37' }).check(z.regex(COLOR, { error: 'Must be a colour like #1a7f37' }));

/** The body of `POST .../labels`. */
export const newLabelSchema = z.strictObject({ name: labelName, color });
/** The body of `PATCH .../labels/:labelId` (one field at least). */
export const labelChangeSchema = z.strictObject({ name: z.optional(labelName), color: z.optional(color) });

// Without a field a change would do nothing: say so rather than answer as if it had.
function parseChange<T extends object>(
  schema: z.ZodMiniType<T>,
  body: unknown,
  nonEmpty: (value: T) => boolean,
  emptyPlace = 'body',
): Parsed<T> {
  const result = schema.safeParse(body, { reportInput: true });
  if (!result.success) return { ok: false, issues: bodyIssuesOf(result.error) };
  if (!nonEmpty(result.data)) return { ok: false, issues: { [emptyPlace]: [TRIAGE_ERRORS.noChange] } };
  return { ok: true, value: result.data };
}

const someField = (value: object) => Object.values(value).some((field) => field !== undefined);

/** The body of `PATCH .../feedbacks/:id`. */
export function parseTriageChange(body: unknown): Parsed<TriageChange> {
  return parseChange(changeSchema, body, someField);
}

/** The body of `POST .../feedbacks/bulk`; ids are deduplicated, in their first order. */
export function parseBulkChange(body: unknown): Parsed<{ ids: string[]; change: BulkChange }> {
  const parsed = parseChange(bulkSchema, body, (value) => someField(value.change), 'change');
  return parsed.ok ? { ok: true, value: { ...parsed.value, ids: [...new Set(parsed.value.ids)] } } : parsed;
}

/** The body of `POST .../labels`; the colour is kept lower-cased. */
export function parseNewLabel(body: unknown): Parsed<{ name: string; color: string }> {
  const parsed = parseChange(newLabelSchema, body, () => true);
  return parsed.ok ? { ok: true, value: { ...parsed.value, color: parsed.value.color.toLowerCase() } } : parsed;
}

/** The body of `PATCH .../labels/:labelId`. */
export function parseLabelChange(body: unknown): Parsed<{ name?: string; color?: string }> {
  const parsed = parseChange(labelChangeSchema, body, someField);
  if (!parsed.ok || parsed.value.color === undefined) return parsed;
  return { ok: true, value: { ...parsed.value, color: parsed.value.color.toLowerCase() } };
}
