import { createResource, createSignal, For, Show } from 'solid-js';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/lib/messaging/protocol';
import { isSupportedUrl } from '@/lib/panel/open';
import { originOf } from '@/lib/replay/collect';
import { loadReplaySettings, saveReplaySettings, type ReplaySettings } from '@/lib/settings';
import { STRINGS } from '@/lib/strings';

export type Props = {
  /** The tab the popup was opened on. */
  tab: { id?: number; url?: string } | undefined;
};

/** "Record replays on this site", the sites that record, and how replays are recorded. */
export default function ReplaySites(props: Props) {
  const [sites, { refetch }] = createResource(async () => (await sendMessage('sites:list', {})).origins);
  const [settings, { mutate }] = createResource(loadReplaySettings);
  const [error, setError] = createSignal('');
  const origin = () => (isSupportedUrl(props.tab?.url) ? originOf(props.tab?.url) : undefined);
  const on = () => (origin() ? (sites() ?? []).includes(origin()!) : false);

  const toggle = async (enable: boolean) => {
    const site = origin();
    if (!site) return;
    setError('');
    try {
      if (enable) {
        // Must run in the click's user gesture: the popup asks, the worker registers.
        if (!(await browser.permissions.request({ origins: [`${site}/*`] }))) {
          setError(STRINGS.replayPermissionDenied);
          return;
        }
        await sendMessage('sites:enable', { origin: site, tabId: props.tab?.id });
      } else {
        await sendMessage('sites:disable', { origin: site });
      }
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    void refetch();
  };

  const remove = async (site: string) => {
    await sendMessage('sites:disable', { origin: site });
    void refetch();
  };

  const update = async (change: Partial<ReplaySettings>) => {
    const result = await saveReplaySettings({ ...settings()!, ...change });
    if (result.ok) mutate(result.value);
    setError(result.ok ? '' : Object.values(result.issues).map(([min, max]) => STRINGS.outOfRange(min, max)).join(' '));
  };

  return (
    <section class="replays" aria-labelledby="replays-title">
      <h2 id="replays-title">{STRINGS.replaySitesTitle}</h2>
      <Show when={origin()}>
        {(site) => (
          <>
            <p class="hint">{site()}</p>
            <label class="check switch">
              <input type="checkbox" role="switch" checked={on()} onChange={(event) => void toggle(event.currentTarget.checked)} />
              <span>{STRINGS.replaySiteSwitch}</span>
            </label>
          </>
        )}
      </Show>
      <Show when={(sites() ?? []).length > 0} fallback={<p class="hint">{STRINGS.replaySitesNone}</p>}>
        <ul class="sites">
          <For each={sites()}>
            {(site) => (
              <li>
                <span>{site}</span>
                <button type="button" aria-label={STRINGS.removeSite(site)} title={STRINGS.removeSite(site)} onClick={() => void remove(site)}>
                  {'\u00D7'}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={settings()}>
        {(current) => (
          <div class="replay-settings">
            <label class="check">
              <input type="checkbox" checked={current().enabled} onChange={(e) => void update({ enabled: e.currentTarget.checked })} />
              <span>{STRINGS.replaysEnabled}</span>
            </label>
            <div class="field">
              <label for="replay-buffer">{STRINGS.replayBufferSeconds}</label>
              <input id="replay-buffer" type="number" min="1" max="300" value={current().bufferSeconds}
                onChange={(e) => void update({ bufferSeconds: e.currentTarget.valueAsNumber })} />
            </div>
            <div class="field">
              <label for="replay-start">{STRINGS.replayStartAfter}</label>
              <input id="replay-start" type="number" min="0" max="600" step="0.5" value={current().startAfterMs / 1000}
                onChange={(e) => void update({ startAfterMs: e.currentTarget.valueAsNumber * 1000 })} />
            </div>
            <div class="field">
              <label for="replay-sample">{STRINGS.replaySampleRate}</label>
              <input id="replay-sample" type="number" min="0" max="1" step="0.05" value={current().sampleRate}
                onChange={(e) => void update({ sampleRate: e.currentTarget.valueAsNumber })} />
            </div>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </section>
  );
}
