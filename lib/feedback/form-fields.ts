/**
 * The vocabulary of the feedback form, shared by the settings, the panel, the message
 * schema and the worker: feedback types, fields, priorities, rating styles and limits.
 */

/** The kinds of report a user can choose at the top of the panel; `metadata.type` holds one. */
export const FEEDBACK_TYPES = ['general', 'bug', 'idea'] as const;
/** One kind of report. */
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

/** Every field the form can show, in the order the panel shows them. */
export const FORM_FIELDS = ['title', 'rating', 'comment', 'category', 'priority', 'name', 'email', 'screenshots'] as const;
/** One field of the form. */
export type FormField = (typeof FORM_FIELDS)[number];

/** Whether a type leaves a field out, offers it, or insists on it. */
export const FIELD_MODES = ['hidden', 'optional', 'required'] as const;
/** How a type treats one field. */
export type FieldMode = (typeof FIELD_MODES)[number];

/** Priorities, most pressing first; `metadata.priority` holds one. */
export const PRIORITIES = ['urgent', 'high', 'neutral', 'low'] as const;
/** One priority. */
export type Priority = (typeof PRIORITIES)[number];

/** How the rating is drawn. Whatever the style, the wire's rating is 1..4. */
export const RATING_STYLES = ['emoji', 'stars', 'thumbs'] as const;
/** One rating style. */
export type RatingStyle = (typeof RATING_STYLES)[number];

/**
 * Thumbs take the two ends of the 1..4 scale, so the average of thumbs-only ratings is
 * 1 + 3 x (share of thumbs up) and a thumbs down sorts with "Terrible", not with "Bad".
 */
export const THUMB_RATINGS = { down: 1, up: 4 } as const;

/** Lengths and counts the panel, the options page and the message schema all hold to. */
export const FORM_LIMITS = {
  titleMaxChars: 200,
  nameMaxChars: 100,
  emailMaxChars: 320,
  categoryMaxChars: 60,
  categoriesMax: 20,
  panelTitleMaxChars: 60,
  placeholderMaxChars: 200,
} as const;
