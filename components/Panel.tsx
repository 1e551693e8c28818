import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { FEEDBACK_TYPES } from '@/lib/feedback/form-fields';
import { MessageError, sendMessage, type PageCaptureMessage } from '@/lib/messaging/protocol';
import { accentVariables } from '@/lib/panel/accent';
import type { HostEnd } from '@/lib/panel/frame-channel';
import { createPanelForm } from '@/lib/panel/panel-form';
import { DEFAULT_FORM_SETTINGS, loadFormSettings, type FormSettings } from '@/lib/settings/form';
import { FIELD_NAMES, STRINGS } from '@/lib/strings';
import type { AnnotatedShot } from '@/lib/screenshot/annotations';
import { createPanelShots } from '@/lib/screenshot/panel-shots';
import ChoiceGroup from './ChoiceGroup';
import { FailureNote, ReplayNote, SentNote, type Failure } from './PanelNotes';
import FormFields, { errorIdOf } from './FormFields';
import PageSuppliedNote, { suppliedCount } from './PageSuppliedNote';
import ScreenshotEditor from './ScreenshotEditor';
import ScreenshotList from './ScreenshotList';
import ScreenshotsField from './ScreenshotsField';

export type Props = {
  /** The page the panel sits on: hides, shows and closes it, and describes the page. */
  host: HostEnd;
};

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [href]';
const CONTROL = 'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])';

/** The feedback form: the type, then its fields (rating, comment, email, screenshots...), Send. Talks only to the worker. */
export default function Panel(props: Props) {
  // How the form looks and what it asks; undefined until read from storage.
  const [settings, setSettings] = createSignal<FormSettings>();
  const [phase, setPhase] = createSignal<'editing' | 'sending' | 'sent' | 'queued'>('editing');
  const [failure, setFailure] = createSignal<Failure>();
  const [queuedNote, setQueuedNote] = createSignal({ error: '', when: '' });
  const [configured, setConfigured] = createSignal(true);
  const [nearlyFull, setNearlyFull] = createSignal(false);
  // Seconds of replay frozen when the panel opened (null: this site records none).
  const [replaySeconds, setReplaySeconds] = createSignal<number | null>(null);
  const [attachReplay, setAttachReplay] = createSignal(true);
  const [replayNotAccepted, setReplayNotAccepted] = createSignal(false);
  // What the page supplied when the panel opened (turned-on sites only): shown before it goes.
  const [captured, setCaptured] = createSignal<PageCaptureMessage | null>(null);
  const [attachPageContext, setAttachPageContext] = createSignal(true);
  // The outbox entry the server refused, so that sending the corrected text replaces it.
  let refusedId: string | undefined;
  let root!: HTMLDivElement;

  // The first field (the rating, for General) rather than the type: most reports keep the
  // default type, which stays one Shift+Tab away; arrow keys then answer the field at once.
  const focusFirst = () =>
    (root.querySelector<HTMLElement>(`.fields :is(${CONTROL})`) ?? root.querySelector<HTMLElement>('button'))?.focus();
  // The first field that blocks Send, in panel order; in a group, its chosen (or first) option.
  const focusFirstInvalid = () => {
    const target = root.querySelector<HTMLElement>('[aria-invalid="true"]');
    const control = target?.matches(CONTROL) ? target : (target?.querySelector<HTMLElement>('input:checked') ?? target?.querySelector<HTMLElement>(CONTROL));
    control?.focus();
  };

  onMount(() => {
    props.host.onFocusRequest(focusFirst);
    focusFirst();
    loadFormSettings()
      .catch(() => DEFAULT_FORM_SETTINGS)
      .then((loaded) => {
        form.prefill(loaded.reporterName, loaded.reporterEmail);
        setSettings(loaded);
        focusFirst(); // the fields exist only now
      });
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
    sendMessage('replay:freeze', {})
      .then(
        (replay) => setReplaySeconds(replay.seconds),
        () => setReplaySeconds(null),
      )
      // The recorder keeps the page's context when the panel opens, which freezing tells it.
      .then(() => sendMessage('panel:page-context', {}))
      .then(
        (answer) => setCaptured(answer.captured && suppliedCount(answer.captured) > 0 ? answer.captured : null),
        () => setCaptured(null),
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
  const form = createPanelForm(() => settings() ?? DEFAULT_FORM_SETTINGS, () => shots.shots().length);
  const canSend = () => phase() === 'editing' && settings() !== undefined && form.ready();

  const send = async (event: Event) => {
    event.preventDefault();
    if (!canSend()) return;
    // A mandatory field left empty: say which, and go to the first one.
    if (form.check().length > 0) {
      queueMicrotask(focusFirstInvalid);
      return;
    }
    setPhase('sending');
    setFailure(undefined);
    try {
      const outcome = await sendMessage('feedback:send', {
        ...form.report(),
        screenshots: await shots.forUpload(),
        page: await props.host.page(),
        replaces: refusedId,
        attachReplay: replaySeconds() !== null && attachReplay(),
        // Only what the user could see goes: nothing shown (yet), nothing of the page's sent.
        attachPageContext: captured() !== null && attachPageContext(),
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
    form.clear();
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
    // The configured accent reaches the editor too; `display: contents` keeps the layout as it was.
    <div class="accent-scope" style={accentVariables(settings()?.accentColour ?? '')}>
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
          <h2 id="loupe-title">{settings()?.panelTitle || STRINGS.panelTitle}</h2>
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
            <SentNote queued={phase() === 'queued' ? queuedNote() : undefined} replayNotAccepted={replayNotAccepted()} onAnother={reset} />
          }
        >
          <Show when={settings()}>
            <form onSubmit={send} aria-busy={phase() === 'sending'} novalidate>
              <ChoiceGroup
                name="loupe-type"
                legend={STRINGS.feedbackTypeLegend}
                options={FEEDBACK_TYPES.map((type) => ({ value: type, label: STRINGS.feedbackType[type] }))}
                value={form.type()}
                onChange={form.setType}
                disabled={phase() === 'sending'}
              />
              <div class="fields">
                <FormFields
                  form={form}
                  commentPlaceholder={settings()?.commentPlaceholder ?? ''}
                  disabled={phase() === 'sending'}
                />
                <Show when={replaySeconds()}>
                  {(seconds) => (
                    <ReplayNote seconds={seconds()} attach={attachReplay()} disabled={phase() === 'sending'} onChange={setAttachReplay} />
                  )}
                </Show>
                <Show when={captured()}>
                  {(current) => (
                    <PageSuppliedNote
                      captured={current()}
                      attach={attachPageContext()}
                      disabled={phase() === 'sending'}
                      onChange={setAttachPageContext}
                    />
                  )}
                </Show>
                <Show when={form.typeForm().fields.screenshots !== 'hidden'}>
                  <ScreenshotsField
                    required={form.required('screenshots')}
                    issue={form.issueOf('screenshots')}
                    errorId={errorIdOf('screenshots')}
                  >
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
                  </ScreenshotsField>
                </Show>
              </div>
              <Show when={form.issues().length > 0}>
                <div class="error" role="alert">
                  <p>{STRINGS.formIncomplete}</p>
                  <ul>
                    <For each={form.issues()}>
                      {(issue) => <li>{STRINGS.fieldIssue(STRINGS.formField[issue.field], issue.message)}</li>}
                    </For>
                  </ul>
                </div>
              </Show>
              <Show when={failure()}>{(current) => <FailureNote failure={current()} />}</Show>
              <footer>
                <span class="hint" role="status">
                  {phase() === 'sending' ? STRINGS.sending : canSend() ? '' : form.hint()}
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
        </Show>
      </div>
    </div>
  );
}
