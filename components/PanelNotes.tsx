import { For, Show } from 'solid-js';
import { STRINGS } from '@/lib/strings';
import AttachCheck from './AttachCheck';

/** A failure the panel shows: `sending` ones keep the typed text and say so; capture failures only explain. */
export type Failure = { sending: boolean; message: string; details: string[] };

/** What the panel says once a report is kept: sent, or queued with the reason and the next try. */
export function SentNote(props: { queued?: { error: string; when: string }; replayNotAccepted: boolean; onAnother: () => void }) {
  return (
    <div class="sent">
      <Show when={props.replayNotAccepted}>
        <p class="hint">{STRINGS.replayNotAttached}</p>
      </Show>
      <Show when={props.queued} fallback={<p role="status">{STRINGS.sent}</p>}>
        {(queued) => (
          <>
            <p role="status">{STRINGS.queued}</p>
            <p>{queued().error}</p>
            <p class="hint">{STRINGS.queuedDetail(queued().when)}</p>
          </>
        )}
      </Show>
      <button type="button" class="secondary" onClick={() => props.onAnother()}>
        {STRINGS.sendAnother}
      </button>
    </div>
  );
}

/** A failure, with each refused field on its own line. */
export function FailureNote(props: { failure: Failure }) {
  return (
    <div class="error" role="alert">
      <p>
        <Show when={props.failure.sending}>
          <strong>{STRINGS.sendFailed}</strong>{' '}
        </Show>
        {props.failure.message}
      </p>
      <Show when={props.failure.details.length > 0}>
        <ul>
          <For each={props.failure.details}>{(detail) => <li>{detail}</li>}</For>
        </ul>
      </Show>
      <Show when={props.failure.sending}>
        <p>{STRINGS.keptText}</p>
      </Show>
    </div>
  );
}

/** "Replay: last N s attached", the box to leave it out, and what goes with the report either way (lib/replay/context-log.ts). */
export function ReplayNote(props: { seconds: number; attach: boolean; disabled: boolean; onChange: (attach: boolean) => void }) {
  return (
    <div class="replay">
      <p>{STRINGS.replayAttached(props.seconds)}</p>
      <AttachCheck label={STRINGS.attachReplay} checked={props.attach} disabled={props.disabled} onChange={props.onChange} />
      <p class="hint">{STRINGS.contextAttached}</p>
    </div>
  );
}
