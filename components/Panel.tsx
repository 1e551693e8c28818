import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { MessageError, sendMessage } from '@/lib/messaging/protocol';
import type { HostEnd } from '@/lib/panel/frame-channel';
import { FIELD_NAMES, STRINGS } from '@/lib/strings';
import type { AnnotatedShot } from '@/lib/screenshot/annotations';
import { createPanelShots } from '@/lib/screenshot/panel-shots';
import RatingGroup from './RatingGroup';
import ScreenshotEditor from './ScreenshotEditor';
import ScreenshotList from './ScreenshotList';

export type Props = {
  /** The page the panel sits on: hides, shows and closes it, and describes the page. */
  host: HostEnd;
};

// `sending` failures keep the typed text and say so; capture failures only explain.
type Failure = { sending: boolean; message: string; details: string[] };

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), [href]';

/** The feedback form: rating, comment, email, screenshots, Send. Talks only to the worker. */
export default function Panel(props: Props) {
  const [rating, setRating] = createSignal<number>();
  const [comment, setComment] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [shareEmail, setShareEmail] = createSignal(false);
  const [phase, setPhase] = createSignal<'editing' | 'sending' | 'sent' | 'queued'>('editing');
  const [failure, setFailure] = createSignal<Failure>();
  const [queuedNote, setQueuedNote] = createSignal({ error: '', when: '' });
  const [configured, setConfigured] = createSignal(true);
  const [nearlyFull, setNearlyFull] = createSignal(false);
  // Seconds of replay frozen when the panel opened (null: this site records none).
  const [replaySeconds, setReplaySeconds] = createSignal<number | null>(null);
  const [attachReplay, setAttachReplay] = createSignal(true);
  const [replayNotAccepted, setReplayNotAccepted] = createSignal(false);
  // The outbox entry the server refused, so that sending the corrected text replaces it.
  let refusedId: string | undefined;
  let root!: HTMLDivElement;

  const canSend = () => phase() === 'editing' && (rating() !== undefined || comment().trim() !== '');
  // The rating first: it is what most people answer, and arrow keys then pick one.
  const focusFirst = () =>
    (root.querySelector<HTMLElement>('input:not([disabled])') ?? root.querySelector<HTMLElement>('button'))?.focus();

  onMount(() => {
    props.host.onFocusRequest(focusFirst);
    focusFirst();
    // The iframe is as tall as the panel, so the page around it stays clickable.
    const observer = new ResizeObserver(() => props.host.resize(root.getBoundingClientRect().height));
    observer.observe(root);
    // Escape closes from anywhere in the panel, even when the focused control just went away.
    const onEscape = (event: KeyboardEvent) => {
      // The editor's Escape cancels the editor, not the whole report.
      if (event.key !== 'Escape' || shots.editing() !== undefined) return;
      event.preventDefault();
      close();
    };
    document.addEventListener('keydown', onEscape);
    onCleanup(() => {
      observer.disconnect();
      document.removeEventListener('keydown', onEscape);
    });
    sendMessage('panel:status', {}).then(
      (status) => {
        setConfigured(status.configured);
        setNearlyFull(status.outboxNearlyFull);
      },
      () => setConfigured(false),
    );
    sendMessage('replay:freeze', {}).then(
      (replay) => setReplaySeconds(replay.seconds),
      () => setReplaySeconds(null),
    );
  });

  const fail = (message: string, issues: Record<string, string[]> | undefined, sending: boolean) =>
    setFailure({
      sending,
      message,
      details: Object.entries(issues ?? {}).map(([field, messages]) => `${FIELD_NAMES[field] ?? field}: ${messages.join(' ')}`),
    });
  const failWith = (error: unknown, sending: boolean) =>
    fail(error instanceof Error ? error.message : String(error), error instanceof MessageError ? error.issues : undefined, sending);

  const shots = createPanelShots(props.host, (error) => failWith(error, false));

  const send = async (event: Event) => {
    event.preventDefault();
    if (!canSend()) return;
    setPhase('sending');
    setFailure(undefined);
    try {
      const outcome = await sendMessage('feedback:send', {
        rating: rating(),
        comment: comment(),
        userEmail: shareEmail() ? email() : undefined,
        screenshots: await shots.forUpload(),
        page: await props.host.page(),
        replaces: refusedId,
        attachReplay: replaySeconds() !== null && attachReplay(),
      });
      refusedId = outcome.status === 'needs-attention' ? outcome.id : undefined;
      if (outcome.status === 'needs-attention') {
        fail(outcome.error, outcome.issues, true);
        setPhase('editing');
      } else if (outcome.status === 'queued') {
        setQueuedNote({ error: outcome.error, when: new Date(outcome.nextAttemptAtMs).toLocaleTimeString() });
        setPhase('queued');
      } else {
        setReplayNotAccepted(outcome.replay === 'not-accepted');
        setPhase('sent');
      }
      if (outcome.status !== 'needs-attention') queueMicrotask(() => root.querySelector<HTMLElement>('.sent button')?.focus());
    } catch (error) {
      // Refused before it was kept (e.g. no Client ID, outbox full): the text stays here.
      failWith(error, true);
      setPhase('editing');
    }
  };

  const close = () => {
    // Closed without sending: the frozen replay is not needed any more.
    if (phase() !== 'sent' && phase() !== 'queued') void sendMessage('replay:drop', {}).catch(() => undefined);
    void props.host.close();
  };

  const reset = () => {
    setRating(undefined);
    setComment('');
    shots.clear();
    setPhase('editing');
    queueMicrotask(focusFirst);
  };

  // Tab cycles inside the panel rather than leaving for the page.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Tab') {
      const focusable = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const active = document.activeElement;
      const edge = event.shiftKey ? focusable[0] : focusable[focusable.length - 1];
      if (active === edge || !root.contains(active)) {
        event.preventDefault();
        (event.shiftKey ? focusable[focusable.length - 1] : focusable[0])?.focus();
      }
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      void send(event);
    }
  };

  // An object, not the index: index 0 would read as "not editing".
  const editingShot = () => {
    const index = shots.editing();
    return index === undefined ? undefined : { index, shot: shots.shots()[index]!.shot };
  };
  // Back from the editor, focus returns to the thumbnail it was opened from.
  const closeEditor = async (index: number, next?: AnnotatedShot) => {
    await shots.closeEditor(next);
    root.querySelectorAll<HTMLElement>('.thumbnail .edit')[index]?.focus();
  };

  return (
    <>
      <Show when={editingShot()} keyed>
        {({ index, shot }) => (
          <ScreenshotEditor
            shot={shot}
            index={index}
            onSave={(next) => void closeEditor(index, next)}
            onCancel={() => void closeEditor(index)}
          />
        )}
      </Show>
      <div
        ref={root}
        class="panel"
        hidden={shots.editing() !== undefined}
        role="dialog"
        aria-modal="true"
        aria-labelledby="loupe-title"
        onKeyDown={onKeyDown}
      >
        <header>
          <h2 id="loupe-title">{STRINGS.panelTitle}</h2>
          <button type="button" class="close" aria-label={STRINGS.close} title={STRINGS.close} onClick={close}>
            {'\u00D7'}
          </button>
        </header>
        <Show when={!configured()}>
          <p class="notice" role="note">
            {STRINGS.notConfigured}
          </p>
        </Show>
        <Show when={nearlyFull()}>
          <p class="notice" role="note">
            {STRINGS.outboxNearlyFull}
          </p>
        </Show>
        <Show
          when={phase() === 'editing' || phase() === 'sending'}
          fallback={
            <div class="sent">
              <Show when={replayNotAccepted()}>
                <p class="hint">{STRINGS.replayNotAttached}</p>
              </Show>
              <Show when={phase() === 'queued'} fallback={<p role="status">{STRINGS.sent}</p>}>
                <p role="status">{STRINGS.queued}</p>
                <p>{queuedNote().error}</p>
                <p class="hint">{STRINGS.queuedDetail(queuedNote().when)}</p>
              </Show>
              <button type="button" class="secondary" onClick={reset}>
                {STRINGS.sendAnother}
              </button>
            </div>
          }
        >
          <form onSubmit={send} aria-busy={phase() === 'sending'}>
            <RatingGroup value={rating()} onChange={setRating} disabled={phase() === 'sending'} />
            <div class="field">
              <label for="loupe-comment">{STRINGS.commentLabel}</label>
              <textarea
                id="loupe-comment"
                rows={4}
                placeholder={STRINGS.commentPlaceholder}
                value={comment()}
                disabled={phase() === 'sending'}
                onInput={(event) => setComment(event.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="loupe-email">{STRINGS.emailLabel}</label>
              <input
                id="loupe-email"
                type="email"
                autocomplete="email"
                placeholder={STRINGS.emailPlaceholder}
                value={email()}
                disabled={phase() === 'sending'}
                onInput={(event) => {
                  setEmail(event.currentTarget.value);
                  setShareEmail(event.currentTarget.value.trim() !== '');
                }}
              />
            </div>
            <label class="check">
              <input
                type="checkbox"
                checked={shareEmail()}
                disabled={phase() === 'sending'}
                onChange={(event) => setShareEmail(event.currentTarget.checked)}
              />
              <span>{STRINGS.shareEmail}</span>
            </label>
            <Show when={replaySeconds()}>
              {(seconds) => (
                <div class="replay">
                  <p>{STRINGS.replayAttached(seconds())}</p>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={attachReplay()}
                      disabled={phase() === 'sending'}
                      onChange={(event) => setAttachReplay(event.currentTarget.checked)}
                    />
                    <span>{STRINGS.attachReplay}</span>
                  </label>
                </div>
              )}
            </Show>
            <ScreenshotList
              previews={shots.shots().map((item) => item.preview)}
              busy={shots.busy()}
              disabled={phase() === 'sending'}
              onCapture={(mode) => {
                setFailure(undefined);
                void shots.capture(mode);
              }}
              onAttach={(file) => {
                setFailure(undefined);
                void shots.attach(file);
              }}
              onEdit={(index) => void shots.edit(index)}
              onRemove={shots.remove}
            />
            <Show when={failure()}>
              {(current) => (
                <div class="error" role="alert">
                  <p>
                    <Show when={current().sending}>
                      <strong>{STRINGS.sendFailed}</strong>{' '}
                    </Show>
                    {current().message}
                  </p>
                  <Show when={current().details.length > 0}>
                    <ul>
                      <For each={current().details}>{(detail) => <li>{detail}</li>}</For>
                    </ul>
                  </Show>
                  <Show when={current().sending}>
                    <p>{STRINGS.keptText}</p>
                  </Show>
                </div>
              )}
            </Show>
            <footer>
              <span class="hint" role="status">
                {phase() === 'sending' ? STRINGS.sending : canSend() ? '' : STRINGS.sendHint}
              </span>
              <button type="submit" class="primary" disabled={!canSend()}>
                <Show when={phase() === 'sending'}>
                  <span class="spinner" aria-hidden="true" />
                </Show>
                {STRINGS.send}
              </button>
            </footer>
          </form>
        </Show>
      </div>
    </>
  );
}
