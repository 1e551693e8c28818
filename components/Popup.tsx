import { createResource, createSignal, Show, untrack } from 'solid-js';
import { browser } from 'wxt/browser';
import { parseJoinLink } from '@/lib/api/join-link';
import { isSupportedUrl, openPanel } from '@/lib/panel/open';
import { loadSettings } from '@/lib/settings';
import { STRINGS } from '@/lib/strings';
import JoinCard from './JoinCard';
import OutboxList from './OutboxList';
import ReplaySites from './ReplaySites';
import SettingsForm from './SettingsForm';
import ShortcutNote from './ShortcutNote';

async function activeTab() {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

/** The toolbar popup: the one primary action, then the settings. */
export default function Popup() {
  const [tab] = createResource(activeTab);
  const [settings, { mutate }] = createResource(loadSettings);
  const [openFailed, setOpenFailed] = createSignal(false);
  const supported = () => isSupportedUrl(tab()?.url);
  // An invite link in the tab: activeTab gives its address only because the user opened the popup.
  const joinLink = () => parseJoinLink(tab()?.url);
  // Each join remounts the settings form with what was joined.
  const [joins, setJoins] = createSignal(0);

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
      <Show when={joinLink() && settings()}>
        <JoinCard
          link={joinLink()!}
          current={settings()!}
          onJoined={(value) => {
            mutate(value);
            setJoins(joins() + 1);
          }}
        />
      </Show>
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
      <ShortcutNote />
      <OutboxList />
      <Show when={tab.state === 'ready'}>
        <ReplaySites tab={tab()} />
      </Show>
      {/* Keyed on joins: settings stored by the join card replace the form's draft; its own saves keep it (and its "Saved."). */}
      <Show when={settings() && joins() + 1} keyed>
        {(_joins: number) => <SettingsForm initial={untrack(settings)!} onSaved={(value) => mutate(value)} />}
      </Show>
      <button
        type="button"
        class="link"
        onClick={() => {
          void browser.runtime.openOptionsPage().then(() => window.close());
        }}
      >
        {STRINGS.openFormOptions}
      </button>
    </main>
  );
}
