/**
 * The panel's form rules for one feedback type: which fields show, which must be filled
 * in, what blocks Send, and what the report carries. Pure, so it is tested without a page.
 */
import type { TypeForm } from '../settings/form';
import { looksLikeEmail } from '../settings/form-check';
import { STRINGS } from '../strings';
import { FORM_FIELDS, type FeedbackType, type FormField, type Priority } from './form-fields';

/** What the user has entered so far (kept across type changes; only what a type shows is sent). */
export type Answers = {
  rating?: number;
  title: string;
  comment: string;
  category: string;
  priority?: Priority;
  name: string;
  email: string;
  shareEmail: boolean;
  screenshots: number;
};

/** A field that blocks Send, and what to do about it. */
export type FieldIssue = { field: FormField; message: string };

/** The `form` part of a report: the type and the answers beyond rating, comment and email. */
export type FormDraft = { type: FeedbackType; title?: string; name?: string; category?: string; priority?: Priority };

/** The fields a type shows, in panel order. */
export function shownFields(form: TypeForm): FormField[] {
  return FORM_FIELDS.filter((field) => form.fields[field] !== 'hidden');
}

/** Whether a field must be answered: set mandatory, or the only one of rating and comment shown (the server needs one). */
export function isRequired(form: TypeForm, field: FormField): boolean {
  const mode = form.fields[field];
  if (mode === 'hidden') return false;
  if (mode === 'required') return true;
  if (field === 'comment') return form.fields.rating === 'hidden';
  if (field === 'rating') return form.fields.comment === 'hidden';
  return false;
}

const shown = (form: TypeForm, field: FormField) => form.fields[field] !== 'hidden';

/** Whether there is something to send yet: a rating or a comment, among the fields shown. */
export function hasSomethingToSend(form: TypeForm, answers: Answers): boolean {
  return (shown(form, 'rating') && answers.rating !== undefined) || (shown(form, 'comment') && answers.comment.trim() !== '');
}

/** What to say while Send waits for a first answer. */
export function sendHint(form: TypeForm): string {
  if (isRequired(form, 'rating')) return STRINGS.sendHintRating;
  if (isRequired(form, 'comment')) return STRINGS.sendHintComment;
  return STRINGS.sendHint;
}

// Whether each field has an answer; email counts only when it goes with the report.
const ANSWERED: Record<FormField, (answers: Answers, form: TypeForm) => boolean> = {
  title: (a) => a.title.trim() !== '',
  rating: (a) => a.rating !== undefined,
  comment: (a) => a.comment.trim() !== '',
  category: (a) => a.category !== '',
  priority: (a) => a.priority !== undefined,
  name: (a) => a.name.trim() !== '',
  email: (a, form) => a.email.trim() !== '' && (form.fields.email === 'required' || a.shareEmail),
  screenshots: (a) => a.screenshots > 0,
};

/** Every shown field that blocks Send, in panel order: mandatory and unanswered, or an email that cannot be one. */
export function checkAnswers(form: TypeForm, answers: Answers): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of shownFields(form)) {
    if (isRequired(form, field) && !ANSWERED[field](answers, form)) {
      issues.push({ field, message: STRINGS.formRequired[field] });
    } else if (field === 'email' && ANSWERED.email(answers, form) && !looksLikeEmail(answers.email.trim())) {
      issues.push({ field, message: STRINGS.emailInvalid });
    }
  }
  return issues;
}

/** What the report carries for these answers: only the fields the type shows, blank ones left out. */
export function reportAnswers(
  type: FeedbackType,
  form: TypeForm,
  answers: Answers,
): { rating?: number; comment: string; userEmail?: string; form: FormDraft } {
  const text = (field: 'title' | 'name', value: string) => (shown(form, field) && value.trim() !== '' ? value.trim() : undefined);
  const draft: FormDraft = { type };
  const title = text('title', answers.title);
  const name = text('name', answers.name);
  if (title !== undefined) draft.title = title;
  if (name !== undefined) draft.name = name;
  if (shown(form, 'category') && answers.category !== '') draft.category = answers.category;
  if (shown(form, 'priority') && answers.priority !== undefined) draft.priority = answers.priority;
  const rating = shown(form, 'rating') ? answers.rating : undefined;
  const userEmail = ANSWERED.email(answers, form) && shown(form, 'email') ? answers.email.trim() : undefined;
  return {
    ...(rating !== undefined && { rating }),
    comment: shown(form, 'comment') ? answers.comment : '',
    ...(userEmail !== undefined && { userEmail }),
    form: draft,
  };
}
