import { createSignal, For, Show } from 'solid-js';
import { createStore, unwrap } from 'solid-js/store';
import { FEEDBACK_TYPES, type FeedbackType } from '@/lib/feedback/form-fields';
import { normaliseColour, splitCategories, type FormIssueKey, type FormSettingsIssues, type FormTextKey } from '@/lib/settings/form-check';
import { saveFormSettings, type FormSettings, type PanelSide } from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';
import ChoiceGroup from './ChoiceGroup';
import SaveRow from './SaveRow';
import ShortcutNote from './ShortcutNote';
import TypeFormEditor from './TypeFormEditor';

type TextField = { key: FormTextKey; label: string; type: string; hint?: string; autocomplete?: string };

const REPORTER_FIELDS: TextField[] = [
  { key: 'reporterName', label: STRINGS.reporterNameLabel, type: 'text', autocomplete: 'name' },
  { key: 'reporterEmail', label: STRINGS.reporterEmailLabel, type: 'email', autocomplete: 'email' },
];
const LOOK_FIELDS: TextField[] = [
  { key: 'accentColour', label: STRINGS.accentColourLabel, type: 'text', hint: STRINGS.accentColourHint },
  { key: 'panelTitle', label: STRINGS.panelTitleLabel, type: 'text', hint: STRINGS.blankForDefault(STRINGS.panelTitle) },
  { key: 'commentPlaceholder', label: STRINGS.commentPlaceholderLabel, type: 'text', hint: STRINGS.blankForDefault(STRINGS.commentPlaceholder) },
];

/** Where an issue is, for the summary: the field's label, or the name of the type it is in. */
function issueLabel(key: FormIssueKey): string {
  const text = [...REPORTER_FIELDS, ...LOOK_FIELDS].find((field) => field.key === key);
  return text ? text.label : STRINGS.feedbackType[key.split('.')[0] as FeedbackType];
}

export type Props = {
  /** The settings as stored when the page opened. */
  initial: FormSettings;
};

/**
 * The options page: the reporter's defaults, the panel's look, the fields of each feedback
 * type, Save (what stops it is shown at each field and summed up), and the shortcut.
 */
export default function FormOptions(props: Props) {
  const [draft, setDraft] = createStore<FormSettings>(structuredClone(props.initial));
  const [categories, setCategories] = createStore(
    Object.fromEntries(FEEDBACK_TYPES.map((type) => [type, props.initial.types[type].categories.join('\n')])) as Record<FeedbackType, string>,
  );
  const [issues, setIssues] = createSignal<FormSettingsIssues>({});
  const [saved, setSaved] = createSignal(false);
  let form!: HTMLFormElement;

  const edit = (change: () => void) => {
    setSaved(false);
    change();
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = structuredClone(unwrap(draft));
    for (const type of FEEDBACK_TYPES) input.types[type].categories = splitCategories(categories[type]);
    const result = await saveFormSettings(input);
    setSaved(result.ok);
    if (!result.ok) {
      setIssues(result.issues);
      queueMicrotask(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setIssues({});
    // Show what was stored: trimmed, the colour in one spelling, categories without repeats.
    setDraft(structuredClone(result.value));
    for (const type of FEEDBACK_TYPES) setCategories(type, result.value.types[type].categories.join('\n'));
  };

  const textField = (field: TextField) => {
    const issue = () => issues()[field.key];
    return (
      <div class="field">
        <label for={field.key}>{field.label}</label>
        <div classList={{ 'colour-row': field.key === 'accentColour' }}>
          <input
            id={field.key}
            type={field.type}
            value={draft[field.key]}
            spellcheck={false}
            autocomplete={field.autocomplete ?? 'off'}
            aria-invalid={issue() ? 'true' : undefined}
            aria-describedby={`${field.key}-note`}
            onInput={(event) => edit(() => setDraft(field.key, event.currentTarget.value))}
          />
          <Show when={field.key === 'accentColour'}>
            <span class="swatch" aria-hidden="true" style={{ background: normaliseColour(draft.accentColour) || undefined }} />
          </Show>
        </div>
        <Show when={issue()} fallback={<span id={`${field.key}-note`} class="hint">{field.hint}</span>}>
          {(message) => (
            <p id={`${field.key}-note`} class="field-error">
              {message()}
            </p>
          )}
        </Show>
      </div>
    );
  };

  return (
    <main class="options">
      <h1 id="options-title">{STRINGS.optionsTitle}</h1>
      <p class="hint">{STRINGS.optionsIntro}</p>
      <form ref={form} onSubmit={submit} novalidate aria-labelledby="options-title">
        <section aria-labelledby="reporter-title">
          <h2 id="reporter-title">{STRINGS.reporterSection}</h2>
          <p class="hint">{STRINGS.reporterHint}</p>
          <For each={REPORTER_FIELDS}>{textField}</For>
        </section>
        <section aria-labelledby="panel-title">
          <h2 id="panel-title">{STRINGS.panelSection}</h2>
          <ChoiceGroup
            name="position"
            legend={STRINGS.positionLegend}
            options={(['left', 'right'] as const).map((side) => ({ value: side, label: STRINGS.position[side] }))}
            value={draft.position}
            onChange={(side: PanelSide) => edit(() => setDraft('position', side))}
          />
          <For each={LOOK_FIELDS}>{textField}</For>
        </section>
        <section aria-labelledby="types-title">
          <h2 id="types-title">{STRINGS.typesSection}</h2>
          <p class="hint">{STRINGS.typesHint}</p>
          <p class="hint">{STRINGS.ratingOrCommentHint}</p>
          <For each={FEEDBACK_TYPES}>
            {(type) => (
              <TypeFormEditor
                type={type}
                form={draft.types[type]}
                categoriesText={categories[type]}
                onField={(field, mode) => edit(() => setDraft('types', type, 'fields', field, mode))}
                onRatingStyle={(style) => edit(() => setDraft('types', type, 'ratingStyle', style))}
                onCategories={(text) => edit(() => setCategories(type, text))}
                fieldsIssue={issues()[`${type}.fields`]}
                categoriesIssue={issues()[`${type}.categories`]}
              />
            )}
          </For>
        </section>
        <Show when={Object.keys(issues()).length > 0}>
          <div class="error" role="alert">
            <p>{STRINGS.optionsInvalid}</p>
            <ul>
              <For each={Object.entries(issues()) as [FormIssueKey, string][]}>
                {([key, message]) => <li>{STRINGS.fieldIssue(issueLabel(key), message)}</li>}
              </For>
            </ul>
          </div>
        </Show>
        <SaveRow saved={saved()} />
      </form>
      <section aria-labelledby="shortcut-title">
        <h2 id="shortcut-title">{STRINGS.shortcutSection}</h2>
        <ShortcutNote />
      </section>
    </main>
  );
}

