import { createResource, onCleanup, Show } from 'solid-js';
import { openShortcut, openShortcutSettings } from '@/lib/panel/shortcut';
import { STRINGS } from '@/lib/strings';

/** The keyboard shortcut that opens the panel, and a button to the browser's page where it is changed. */
export default function ShortcutNote() {
  const [keys, { refetch }] = createResource(openShortcut);
  // Back from the browser's shortcut page (a tab of its own), show what the user chose there.
  const onVisible = () => {
    if (document.visibilityState === 'visible') void refetch();
  };
  document.addEventListener('visibilitychange', onVisible);
  onCleanup(() => document.removeEventListener('visibilitychange', onVisible));

  return (
    <Show when={keys.state === 'ready'}>
      <div class="shortcut">
        <p class="hint">{keys() ? STRINGS.shortcut(keys()!) : STRINGS.shortcutNone}</p>
        <button type="button" class="link" onClick={() => void openShortcutSettings()}>
          {STRINGS.changeShortcut}
        </button>
      </div>
    </Show>
  );
}
