import { For, Show } from 'solid-js';
import { FIELD_MODES, FORM_FIELDS, RATING_STYLES, type FeedbackType, type FieldMode, type FormField, type RatingStyle } from '@/lib/feedback/form-fields';
import type { TypeForm } from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';

export type Props = {
  type: FeedbackType;
  form: TypeForm;
  /** The categories as typed, one per line (blank lines are dropped on save). */
  categoriesText: string;
  onField: (field: FormField, mode: FieldMode) => void;
  onRatingStyle: (style: RatingStyle) => void;
  onCategories: (text: string) => void;
  /** Why the field choices cannot be saved (neither rating nor comment shown). */
  fieldsIssue?: string;
  categoriesIssue?: string;
};

/** One feedback type: hidden / optional / mandatory for each field, the rating style, and the categories offered. */
export default function TypeFormEditor(props: Props) {
  const id = (part: string) => `${props.type}-${part}`;
  // The fields issue is about rating and comment together: both selects point at it.
  const fieldIssue = (field: FormField) => (props.fieldsIssue !== undefined && (field === 'rating' || field === 'comment'));

  return (
    <fieldset class="type-form">
      <legend>{STRINGS.feedbackType[props.type]}</legend>
      <div class="field-modes">
        <For each={FORM_FIELDS}>
          {(field) => (
            <div class="field">
              <label for={id(field)}>{STRINGS.formField[field]}</label>
              <select
                id={id(field)}
                aria-invalid={fieldIssue(field) ? 'true' : undefined}
                aria-describedby={fieldIssue(field) ? id('fields-error') : undefined}
                onChange={(event) => props.onField(field, event.currentTarget.value as FieldMode)}
              >
                <For each={FIELD_MODES}>
                  {(mode) => (
                    <option value={mode} selected={props.form.fields[field] === mode}>
                      {STRINGS.fieldMode[mode]}
                    </option>
                  )}
                </For>
              </select>
            </div>
          )}
        </For>
      </div>
      <Show when={props.fieldsIssue}>
        {(message) => (
          <p id={id('fields-error')} class="field-error">
            {message()}
          </p>
        )}
      </Show>
      <div class="field">
        <label for={id('rating-style')}>{STRINGS.ratingStyleLabel}</label>
        <select
          id={id('rating-style')}
          disabled={props.form.fields.rating === 'hidden'}
          onChange={(event) => props.onRatingStyle(event.currentTarget.value as RatingStyle)}
        >
          <For each={RATING_STYLES}>
            {(style) => (
              <option value={style} selected={props.form.ratingStyle === style}>
                {STRINGS.ratingStyle[style]}
              </option>
            )}
          </For>
        </select>
      </div>
      <div class="field">
        <label for={id('categories')}>{STRINGS.categoriesLabel}</label>
        <textarea
          id={id('categories')}
          rows={3}
          value={props.categoriesText}
          aria-invalid={props.categoriesIssue ? 'true' : undefined}
          aria-describedby={props.categoriesIssue ? id('categories-error') : undefined}
          onInput={(event) => props.onCategories(event.currentTarget.value)}
        />
        <Show when={props.categoriesIssue}>
          {(message) => (
            <p id={id('categories-error')} class="field-error">
              {message()}
            </p>
          )}
        </Show>
      </div>
    </fieldset>
  );
}
