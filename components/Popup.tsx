import { createResource, createSignal, Show } from 'solid-js';
import { browser } from 'wxt/browser';
import { isSupportedUrl, OPEN_COMMAND, openPanel } from '@/lib/panel/open';
import { loadSettings } from '@/lib/settings';
import { STRINGS } from '@/lib/strings';
import OutboxList from './OutboxList';
import ReplaySites from './ReplaySites';
import SettingsForm from './SettingsForm';

async function activeTab() {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function shortcut() {
  const commands = await browser.commands.getAll();
  return commands.find((command) => command.name === OPEN_COMMAND)?.shortcut ?? '';
}

/** The toolbar popup: the one primary action, then the settings. */
export default function Popup() {
  const [tab] = createResource(activeTab);
  const [settings, { mutate }] = createResource(loadSettings);
  const [keys] = createResource(shortcut);
  const [openFailed, setOpenFailed] = createSignal(false);
  const supported = () => isSupportedUrl(tab()?.url);

  const open = async () => {
    const id = tab()?.id;
    if (id === undefined) return;
    try {
      await openPanel(id);
      window.close();
    } catch (error) {
      console.warn('Loupe: could not open the panel', error);
      setOpenFailed(true);
    }
  };

  return (
    <main class="popup loupe-theme">
      <button type="button" class="primary" disabled={!supported()} onClick={open}>
        {STRINGS.openPanel}
      </button>
      <Show when={tab.state === 'ready' && !supported()}>
        <p class="hint">{STRINGS.unsupportedPage}</p>
      </Show>
      <Show when={openFailed()}>
        <p class="error" role="alert">
          {STRINGS.openFailed}
        </p>
      </Show>
      <Show when={keys()}>{(value) => <p class="hint">{STRINGS.shortcut(value())}</p>}</Show>
      <OutboxList />
      <Show when={tab.state === 'ready'}>
        <ReplaySites tab={tab()} />
      </Show>
      <Show when={settings()}>
        {(current) => <SettingsForm initial={current()} onSaved={(value) => mutate(value)} />}
      </Show>
    </main>
  );
}
