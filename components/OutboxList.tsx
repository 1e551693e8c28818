import { createSignal, For, onCleanup, Show } from 'solid-js';
import { sendMessage, type MessageResponse } from '@/lib/messaging/protocol';
import { STRINGS } from '@/lib/strings';
import OutboxItem from './OutboxItem';

/** How often the open popup refreshes the list (states and countdowns change by themselves). */
const REFRESH_MS = 1_000;

/** The reports waiting in the outbox, refreshed while the popup is open. */
export default function OutboxList() {
  const [outbox, setOutbox] = createSignal<MessageResponse<'outbox:list'>>();
  const [nowMs, setNowMs] = createSignal(Date.now());
  const load = () =>
    sendMessage('outbox:list', {}).then(
      (list) => {
        setOutbox(list);
        setNowMs(Date.now());
      },
      (error) => console.warn('Loupe: could not read the outbox', error),
    );
  void load();
  const timer = setInterval(load, REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return (
    <Show when={outbox()?.entries.length}>
      <section class="outbox" aria-labelledby="outbox-title">
        <h2 id="outbox-title">{STRINGS.outboxTitle(outbox()!.entries.length)}</h2>
        <p class="hint">{STRINGS.outboxUsage(megabytes(outbox()!.totalBytes), megabytes(outbox()!.maxBytes))}</p>
        <ul class="entries">
          {/* Keyed by id: an entry keeps its edit form while the list refreshes around it. */}
          <For each={outbox()!.entries.map((entry) => entry.id)}>
            {(id) => (
              <Show when={outbox()!.entries.find((entry) => entry.id === id)}>
                {(entry) => <OutboxItem entry={entry()} nowMs={nowMs()} onChanged={() => void load()} />}
              </Show>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
