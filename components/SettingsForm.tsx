import { createSignal, For, Show } from 'solid-js';
import { saveSettings, type Settings, type SettingsIssues } from '@/lib/settings';
import { STRINGS } from '@/lib/strings';
import SaveRow from './SaveRow';

export type Props = {
  initial: Settings;
  /** Called with the stored value after a successful save. */
  onSaved: (settings: Settings) => void;
};

const FIELDS: { key: keyof Settings; label: string; type: string; hint?: string }[] = [
  { key: 'clientId', label: STRINGS.clientIdLabel, type: 'text' },
  { key: 'environment', label: STRINGS.environmentLabel, type: 'text', hint: STRINGS.environmentHint },
  { key: 'serverUrl', label: STRINGS.serverUrlLabel, type: 'url' },
];

/** Client ID, environment and server URL; invalid input is explained inline and not saved. */
export default function SettingsForm(props: Props) {
  const [draft, setDraft] = createSignal<Settings>({ ...props.initial });
  const [issues, setIssues] = createSignal<SettingsIssues>({});
  const [saved, setSaved] = createSignal(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const result = await saveSettings(draft());
    setSaved(result.ok);
    if (!result.ok) {
      setIssues(result.issues);
      return;
    }
    setIssues({});
    setDraft(result.value);
    props.onSaved(result.value);
  };

  return (
    <form class="settings" onSubmit={submit} novalidate aria-labelledby="settings-title">
      <h2 id="settings-title">{STRINGS.settingsTitle}</h2>
      <For each={FIELDS}>
        {(field) => (
          <div class="field">
            <label for={field.key}>{field.label}</label>
            <input
              id={field.key}
              type={field.type}
              name={field.key}
              value={draft()[field.key]}
              spellcheck={false}
              autocomplete="off"
              aria-invalid={issues()[field.key] ? 'true' : undefined}
              aria-describedby={`${field.key}-note`}
              onInput={(event) => {
                setSaved(false);
                setDraft({ ...draft(), [field.key]: event.currentTarget.value });
              }}
            />
            <Show
              when={issues()[field.key]}
              fallback={<span id={`${field.key}-note`} class="hint">{field.hint}</span>}
            >
              {(message) => (
                <span id={`${field.key}-note`} class="field-error" role="alert">
                  {message()}
                </span>
              )}
            </Show>
          </div>
        )}
      </For>
      <SaveRow saved={saved()} />
    </form>
  );
}
