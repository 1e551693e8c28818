import { createSignal, For, Show } from 'solid-js';
import { RATINGS } from '@/lib/api/schemas';
import { MessageError, sendMessage, type OutboxEntry } from '@/lib/messaging/protocol';
import { FIELD_NAMES, STRINGS } from '@/lib/strings';

export type Props = {
  entry: OutboxEntry;
  nowMs: number;
  /** Called after an action, so the list reloads. */
  onChanged: () => void;
};

function describeWait(atMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((atMs - nowMs) / 1000));
  return seconds < 90 ? STRINGS.inSeconds(seconds) : STRINGS.inMinutes(Math.round(seconds / 60));
}

/** One waiting report: its state and last error, Retry now / Delete, and for a refused one, a form to correct it. */
export default function OutboxItem(props: Props) {
  const [clientId, setClientId] = createSignal(props.entry.clientId);
  const [rating, setRating] = createSignal(props.entry.rating);
  const [comment, setComment] = createSignal(props.entry.comment);
  const [email, setEmail] = createSignal(props.entry.userEmail ?? '');
  const [error, setError] = createSignal('');
  const attention = () => props.entry.state === 'needs-attention';
  const id = () => `entry-${props.entry.id}`;

  const act = async (action: () => Promise<unknown>) => {
    setError('');
    try {
      await action();
    } catch (failure) {
      const issues = failure instanceof MessageError ? Object.values(failure.issues ?? {}).flat() : [];
      setError([failure instanceof Error ? failure.message : String(failure), ...issues].join(' '));
    }
    props.onChanged();
  };

  const resend = (event: Event) => {
    event.preventDefault();
    void act(() =>
      sendMessage('outbox:edit', {
        id: props.entry.id,
        clientId: clientId(),
        rating: rating(),
        comment: comment(),
        userEmail: email().trim() || undefined,
      }),
    );
  };

  return (
    <li class="entry" classList={{ attention: attention() }} aria-labelledby={`${id()}-title`}>
      <p id={`${id()}-title`} class="entry-title">
        {props.entry.pageTitle || props.entry.pageUrl}
      </p>
      <p class="hint">
        {STRINGS.entryState[props.entry.state]}
        {' \u00B7 '}
        {STRINGS.attempts(props.entry.attempts)}
        <Show when={props.entry.state === 'queued'}>
          {' \u00B7 '}
          {STRINGS.nextTry(describeWait(props.entry.nextAttemptAtMs, props.nowMs))}
        </Show>
      </p>
      <Show when={props.entry.lastError}>
        {(message) => (
          <div class="error">
            <p>{message()}</p>
            <Show when={props.entry.issues}>
              {(issues) => (
                <ul>
                  <For each={Object.entries(issues())}>
                    {([field, messages]) => <li>{`${FIELD_NAMES[field] ?? field}: ${messages.join(' ')}`}</li>}
                  </For>
                </ul>
              )}
            </Show>
          </div>
        )}
      </Show>
      <Show when={attention()}>
        <form class="entry-edit" onSubmit={resend}>
          <div class="field">
            <label for={`${id()}-client`}>{STRINGS.clientIdLabel}</label>
            <input id={`${id()}-client`} type="text" value={clientId()} onInput={(e) => setClientId(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${id()}-rating`}>{STRINGS.ratingLabel}</label>
            <select
              id={`${id()}-rating`}
              onChange={(e) => setRating(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}
            >
              <option value="" selected={rating() === undefined}>
                {STRINGS.noRating}
              </option>
              <For each={RATINGS}>
                {(option) => (
                  <option value={option.value} selected={rating() === option.value}>
                    {option.label}
                  </option>
                )}
              </For>
            </select>
          </div>
          <div class="field">
            <label for={`${id()}-comment`}>{STRINGS.commentLabel}</label>
            <textarea id={`${id()}-comment`} rows={3} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${id()}-email`}>{STRINGS.emailLabel}</label>
            <input id={`${id()}-email`} type="email" value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
          </div>
          <button type="submit" class="primary">
            {STRINGS.sendAgain}
          </button>
        </form>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="actions">
        <Show when={!attention()}>
          <button type="button" onClick={() => void act(() => sendMessage('outbox:retry', { id: props.entry.id }))}>
            {STRINGS.retryNow}
          </button>
        </Show>
        <button type="button" onClick={() => void act(() => sendMessage('outbox:delete', { id: props.entry.id }))}>
          {STRINGS.deleteReport}
        </button>
      </div>
    </li>
  );
}
