/**
 * How the feedback form looks and what it asks, per feedback type: a versioned storage
 * item of its own, parsed field by field on read so that a hand edit, an older build or a
 * half-written value never reaches the panel unchecked.
 */
import { storage } from 'wxt/utils/storage';
import {
  FEEDBACK_TYPES,
  FIELD_MODES,
  FORM_FIELDS,
  FORM_LIMITS,
  RATING_STYLES,
  type FeedbackType,
  type FieldMode,
  type FormField,
  type RatingStyle,
} from '../feedback/form-fields';
import { dedupe, TEXT_CHECKS, validateFormSettings, type FormTextKey } from './form-check';

/** What one feedback type asks: each field hidden, optional or mandatory; how the rating looks; the categories offered. */
export type TypeForm = {
  fields: Record<FormField, FieldMode>;
  ratingStyle: RatingStyle;
  categories: string[];
};

/** Which side of the page the panel sits on (at the bottom). */
export type PanelSide = 'left' | 'right';

/** The whole form configuration. */
export type FormSettings = {
  types: Record<FeedbackType, TypeForm>;
  /** Prefilled in the panel ('' leaves the field empty). */
  reporterName: string;
  reporterEmail: string;
  position: PanelSide;
  /** `#rrggbb`, or '' for the theme's own accent (which follows light and dark mode). */
  accentColour: string;
  /** '' shows the built-in text, in the browser's language. */
  panelTitle: string;
  commentPlaceholder: string;
};

const fields = (shown: Partial<Record<FormField, FieldMode>>): Record<FormField, FieldMode> =>
  Object.fromEntries(FORM_FIELDS.map((field) => [field, shown[field] ?? 'hidden'])) as Record<FormField, FieldMode>;

/** General is the panel as it always was; Bug and Idea ask for a title and a comment instead of a rating. */
export const DEFAULT_FORM_SETTINGS: FormSettings = {
  types: {
    general: {
      fields: fields({ rating: 'optional', comment: 'optional', email: 'optional', screenshots: 'optional' }),
      ratingStyle: 'emoji',
      categories: [],
    },
    bug: {
      fields: fields({ title: 'optional', comment: 'required', email: 'optional', screenshots: 'optional' }),
      ratingStyle: 'emoji',
      categories: [],
    },
    idea: {
      fields: fields({ title: 'optional', comment: 'required', email: 'optional' }),
      ratingStyle: 'emoji',
      categories: [],
    },
  },
  reporterName: '',
  reporterEmail: '',
  position: 'right',
  accentColour: '',
  panelTitle: '',
  commentPlaceholder: '',
};

/** The form settings item; bump `version` and add a migration whenever its shape changes. */
export const formSettingsItem = storage.defineItem<FormSettings>('local:form-settings', {
  version: 1,
  fallback: DEFAULT_FORM_SETTINGS,
});

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {});
const oneOf = <T extends string>(allowed: readonly T[], value: unknown, fallback: T): T =>
  (allowed as readonly unknown[]).includes(value) ? (value as T) : fallback;

/** Reads one type, field by field; then makes sure the panel can always send it and has categories to offer. */
function parseTypeForm(raw: unknown, fallback: TypeForm): TypeForm {
  const stored = asRecord(raw);
  const storedFields = asRecord(stored.fields);
  const form: TypeForm = {
    fields: fields(Object.fromEntries(FORM_FIELDS.map((field) => [field, oneOf(FIELD_MODES, storedFields[field], fallback.fields[field])]))),
    ratingStyle: oneOf(RATING_STYLES, stored.ratingStyle, fallback.ratingStyle),
    categories: Array.isArray(stored.categories)
      ? dedupe(stored.categories.filter((item): item is string => typeof item === 'string'))
          .filter((category) => category.length <= FORM_LIMITS.categoryMaxChars)
          .slice(0, FORM_LIMITS.categoriesMax)
      : [...fallback.categories],
  };
  // Neither a rating nor a comment: the server would refuse every report of this type.
  if (form.fields.rating === 'hidden' && form.fields.comment === 'hidden') form.fields.comment = 'required';
  // Nothing to choose from: a category field could never be answered.
  if (form.categories.length === 0) form.fields.category = 'hidden';
  return form;
}

/** Turns whatever is stored into valid settings, each field falling back to its default when missing or invalid. */
export function parseFormSettings(raw: unknown): FormSettings {
  const stored = asRecord(raw);
  const types = asRecord(stored.types);
  const settings: FormSettings = {
    ...DEFAULT_FORM_SETTINGS,
    types: Object.fromEntries(
      FEEDBACK_TYPES.map((type) => [type, parseTypeForm(types[type], DEFAULT_FORM_SETTINGS.types[type])]),
    ) as Record<FeedbackType, TypeForm>,
    position: oneOf(['left', 'right'], stored.position, DEFAULT_FORM_SETTINGS.position),
  };
  for (const key of Object.keys(TEXT_CHECKS) as FormTextKey[]) {
    const value = stored[key];
    if (typeof value !== 'string') continue;
    const check = TEXT_CHECKS[key](value);
    if (!check.issue) settings[key] = check.value;
  }
  return settings;
}

/** Reads the form settings (defaults for anything missing or invalid). */
export async function loadFormSettings(): Promise<FormSettings> {
  return parseFormSettings(await formSettingsItem.getValue());
}

/** Validates and stores; nothing is written when anything is invalid. */
export async function saveFormSettings(input: FormSettings): Promise<ReturnType<typeof validateFormSettings>> {
  const result = validateFormSettings(input);
  if (result.ok) await formSettingsItem.setValue(result.value);
  return result;
}

/** Which side the panel opens on; read by the page's content script before the panel has loaded. */
export async function loadPanelSide(): Promise<PanelSide> {
  return (await loadFormSettings()).position;
}
