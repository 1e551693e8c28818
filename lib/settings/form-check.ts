/** The rules a form configuration must meet before it is saved, each worded for the options page. */
import { FEEDBACK_TYPES, FORM_LIMITS, type FeedbackType } from '../feedback/form-fields';
import { STRINGS } from '../strings';
import type { FormSettings, TypeForm } from './form';

/** The free-text settings, each checked on its own. */
export type FormTextKey = 'reporterName' | 'reporterEmail' | 'accentColour' | 'panelTitle' | 'commentPlaceholder';
/** Where a problem is: a text setting, or one type's field choices or categories. */
export type FormIssueKey = FormTextKey | `${FeedbackType}.fields` | `${FeedbackType}.categories`;
/** One message per place that needs fixing. */
export type FormSettingsIssues = Partial<Record<FormIssueKey, string>>;

type Check = { value: string; issue?: string };

// Deliberately loose: the server checks the address for real; this only catches typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a string looks like an email address (something@somewhere.tld). */
export function looksLikeEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

/** `#ABC` or `#AABBCC` -> `#aabbcc`; '' (the theme's own colour) stays ''; undefined when not a colour. */
export function normaliseColour(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '' || /^#[0-9a-f]{6}$/.test(value)) return value;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(value);
  return short ? `#${short[1]!.repeat(2)}${short[2]!.repeat(2)}${short[3]!.repeat(2)}` : undefined;
}

const limited = (max: number) => (raw: string): Check => {
  const value = raw.trim();
  return value.length > max ? { value, issue: STRINGS.tooLong(max) } : { value };
};

/** One check per free-text setting: the normalised value and, when invalid, why. */
export const TEXT_CHECKS: Record<FormTextKey, (raw: string) => Check> = {
  reporterName: limited(FORM_LIMITS.nameMaxChars),
  reporterEmail(raw) {
    const value = raw.trim();
    if (value === '') return { value };
    if (value.length > FORM_LIMITS.emailMaxChars) return { value, issue: STRINGS.tooLong(FORM_LIMITS.emailMaxChars) };
    return looksLikeEmail(value) ? { value } : { value, issue: STRINGS.emailInvalid };
  },
  accentColour(raw) {
    const value = normaliseColour(raw);
    return value === undefined ? { value: raw, issue: STRINGS.colourInvalid } : { value };
  },
  panelTitle: limited(FORM_LIMITS.panelTitleMaxChars),
  commentPlaceholder: limited(FORM_LIMITS.placeholderMaxChars),
};

/** Splits "one per line" text into categories: trimmed, without blank lines or repeats. */
export function splitCategories(text: string): string[] {
  return dedupe(text.split('\n'));
}

/** Trims and drops blanks and repeats (ignoring case), keeping the first spelling. */
export function dedupe(values: readonly string[]): string[] {
  const kept = new Map<string, string>();
  for (const raw of values) {
    const value = raw.trim();
    if (value !== '' && !kept.has(value.toLowerCase())) kept.set(value.toLowerCase(), value);
  }
  return [...kept.values()];
}

/** Checks one type's configuration: something the server accepts can always be sent, and a shown category list is not empty. */
export function checkTypeForm(form: TypeForm): { value: TypeForm; fields?: string; categories?: string } {
  const categories = dedupe(form.categories);
  const value = { ...form, fields: { ...form.fields }, categories };
  const result: { value: TypeForm; fields?: string; categories?: string } = { value };
  // The wire contract refuses feedback with neither a rating nor a comment.
  if (form.fields.rating === 'hidden' && form.fields.comment === 'hidden') result.fields = STRINGS.needsRatingOrComment;
  if (categories.length > FORM_LIMITS.categoriesMax) result.categories = STRINGS.categoriesTooMany(FORM_LIMITS.categoriesMax);
  else if (categories.some((category) => category.length > FORM_LIMITS.categoryMaxChars)) {
    result.categories = STRINGS.categoryTooLong(FORM_LIMITS.categoryMaxChars);
  } else if (form.fields.category !== 'hidden' && categories.length === 0) result.categories = STRINGS.categoriesEmpty;
  return result;
}

/** Checks and normalises a whole configuration; returns the clean value or a message per place to fix. */
export function validateFormSettings(
  input: FormSettings,
): { ok: true; value: FormSettings } | { ok: false; issues: FormSettingsIssues } {
  const value: FormSettings = { ...input, types: { ...input.types } };
  const issues: FormSettingsIssues = {};
  for (const key of Object.keys(TEXT_CHECKS) as FormTextKey[]) {
    const check = TEXT_CHECKS[key](input[key]);
    value[key] = check.value;
    if (check.issue) issues[key] = check.issue;
  }
  for (const type of FEEDBACK_TYPES) {
    const check = checkTypeForm(input.types[type]);
    value.types[type] = check.value;
    if (check.fields) issues[`${type}.fields`] = check.fields;
    if (check.categories) issues[`${type}.categories`] = check.categories;
  }
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, value };
}
