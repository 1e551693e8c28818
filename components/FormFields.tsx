import { For, Show, type JSX } from 'solid-js';
import { FORM_LIMITS, PRIORITIES, type FormField } from '@/lib/feedback/form-fields';
import { shownFields } from '@/lib/feedback/form-rules';
import type { PanelForm } from '@/lib/panel/panel-form';
import { STRINGS } from '@/lib/strings';
import ChoiceGroup from './ChoiceGroup';
import RatingGroup from './RatingGroup';
import RequiredMark from './RequiredMark';

export type Props = {
  form: PanelForm;
  /** The comment's placeholder ('' for the built-in one). */
  commentPlaceholder: string;
  disabled: boolean;
};

type TypedField = Exclude<FormField, 'screenshots'>;

const controlId = (field: FormField) => `loupe-field-${field}`;
/** The id of the message under a field that blocks Send. */
export const errorIdOf = (field: FormField) => `loupe-field-${field}-error`;

/** The fields of the chosen type but screenshots, in order; mandatory ones marked, blocking ones explained under them. */
export default function FormFields(props: Props) {
  const form = () => props.form;
  const issue = (field: FormField) => form().issueOf(field);
  // What every control carries besides its id: mandatory state, and the message while it blocks Send.
  const required = (field: FormField) => (form().required(field) ? 'true' : undefined);
  const invalid = (field: FormField) => (issue(field) ? 'true' : undefined);
  const describedBy = (field: FormField) => (issue(field) ? errorIdOf(field) : undefined);
  const error = (field: FormField) => (
    <Show when={issue(field)}>
      {(message) => (
        <p id={errorIdOf(field)} class="field-error">
          {message()}
        </p>
      )}
    </Show>
  );
  const label = (field: FormField, text: string) => (
    <label for={controlId(field)}>
      {text}
      <RequiredMark when={form().required(field)} />
    </label>
  );
  const textField = (field: 'title' | 'name', placeholder: string, maxLength: number, autocomplete: string) => (
    <div class="field">
      {label(field, STRINGS.formField[field])}
      <input
        id={controlId(field)}
        aria-required={required(field)}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field)}
        type="text"
        autocomplete={autocomplete}
        maxLength={maxLength}
        placeholder={placeholder}
        value={form().answers()[field]}
        disabled={props.disabled}
        onInput={(event) => form().set(field, event.currentTarget.value)}
      />
      {error(field)}
    </div>
  );

  const VIEWS: Record<TypedField, () => JSX.Element> = {
    title: () => textField('title', STRINGS.titlePlaceholder, FORM_LIMITS.titleMaxChars, 'off'),
    rating: () => (
      <>
        <RatingGroup
          value={form().answers().rating}
          onChange={(value) => form().set('rating', value)}
          style={form().typeForm().ratingStyle}
          disabled={props.disabled}
          required={form().required('rating')}
          errorId={issue('rating') ? errorIdOf('rating') : undefined}
        />
        {error('rating')}
      </>
    ),
    comment: () => (
      <div class="field">
        {label('comment', STRINGS.commentLabel)}
        <textarea
          id={controlId('comment')}
          aria-required={required('comment')}
          aria-invalid={invalid('comment')}
          aria-describedby={describedBy('comment')}
          rows={4}
          placeholder={props.commentPlaceholder || STRINGS.commentPlaceholder}
          value={form().answers().comment}
          disabled={props.disabled}
          onInput={(event) => form().set('comment', event.currentTarget.value)}
        />
        {error('comment')}
      </div>
    ),
    category: () => (
      <div class="field">
        {label('category', STRINGS.formField.category)}
        <select
          id={controlId('category')}
          aria-required={required('category')}
          aria-invalid={invalid('category')}
          aria-describedby={describedBy('category')}
          disabled={props.disabled}
          onChange={(event) => form().set('category', event.currentTarget.value)}
        >
          <option value="" selected={form().answers().category === ''}>
            {STRINGS.categoryChoose}
          </option>
          <For each={form().typeForm().categories}>
            {(category) => (
              <option value={category} selected={form().answers().category === category}>
                {category}
              </option>
            )}
          </For>
        </select>
        {error('category')}
      </div>
    ),
    priority: () => (
      <>
        <ChoiceGroup
          name="loupe-priority"
          legend={STRINGS.formField.priority}
          options={PRIORITIES.map((priority) => ({ value: priority, label: STRINGS.priority[priority] }))}
          value={form().answers().priority}
          onChange={(value) => form().set('priority', value)}
          disabled={props.disabled}
          required={form().required('priority')}
          errorId={issue('priority') ? errorIdOf('priority') : undefined}
        />
        {error('priority')}
      </>
    ),
    name: () => textField('name', STRINGS.namePlaceholder, FORM_LIMITS.nameMaxChars, 'name'),
    email: () => (
      <>
        <div class="field">
          {label('email', STRINGS.emailLabel)}
          <input
            id={controlId('email')}
            aria-required={required('email')}
            aria-invalid={invalid('email')}
            aria-describedby={describedBy('email')}
            type="email"
            autocomplete="email"
            maxLength={FORM_LIMITS.emailMaxChars}
            placeholder={STRINGS.emailPlaceholder}
            value={form().answers().email}
            disabled={props.disabled}
            onInput={(event) => {
              form().set('email', event.currentTarget.value);
              form().set('shareEmail', event.currentTarget.value.trim() !== '');
            }}
          />
          {error('email')}
        </div>
        {/* A mandatory email always goes with the report: nothing to choose. */}
        <Show when={!form().required('email')}>
          <label class="check">
            <input
              type="checkbox"
              checked={form().answers().shareEmail}
              disabled={props.disabled}
              onChange={(event) => form().set('shareEmail', event.currentTarget.checked)}
            />
            <span>{STRINGS.shareEmail}</span>
          </label>
        </Show>
      </>
    ),
  };

  const fields = () => shownFields(form().typeForm()).filter((field): field is TypedField => field !== 'screenshots');
  return (
    <>
      <Show when={shownFields(form().typeForm()).some((field) => form().required(field))}>
        <p class="hint">{STRINGS.requiredNote}</p>
      </Show>
      <For each={fields()}>{(field) => VIEWS[field]()}</For>
    </>
  );
}
