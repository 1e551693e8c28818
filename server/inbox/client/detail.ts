/** The detail pane: one item in full, its state buttons, "Copy as GitHub issue", and the replay with its timeline. */
import { errorText, isSignedOut, type Api } from './api.ts';
import { renderFacts, renderMetadata, renderScreenshots } from './detail-fields.ts';
import { formatDate, h } from './dom.ts';
import { issueMarkdown, issueTitle } from './github-issue.ts';
import { feedbackUrl, replayFileUrl, screenshotUrl } from './links.ts';
import { mountReplay } from './replay-player.ts';
import { renderTimeline } from './timeline.ts';
import { mountTeamDetail } from './detail-team.ts';
import type { TeamContext } from './team-context.ts';
import { INBOX_STRINGS as S, STATE_LABELS } from './strings.ts';
import { FEEDBACK_STATES, type FeedbackItem, type FeedbackState } from './types.ts';

/** What the detail pane works with. */
export interface DetailOptions {
  api: Api;
  base: URL;
  item: FeedbackItem;
  /** The list's address, for the Back link. */
  listHref: string;
  onBack(): void;
  /** After a state change was stored: the item as the server now has it. */
  onChanged(item: FeedbackItem): void;
  playerScriptUrl: string;
  playerStyleUrl: string;
  /** The project's people and the sign-in's role: triage, discussion and history (detail-team.ts). */
  team?: TeamContext;
  /** Whether the sign-in may change the state, from its role, while `team` is still loading (default true). */
  canChangeState?: boolean;
}

/** The shown item and what stops it (the player, mainly). */
export interface DetailView {
  focus(): void;
  dispose(): void;
}

/** Fills `container` with the item. */
export function renderDetail(container: HTMLElement, options: DetailOptions): DetailView {
  const { api, base } = options;
  let item = options.item;
  const heading = h('h2', { id: 'detail-title', tabindex: '-1' }, issueTitle(item));
  const status = h('p', { class: 'detail-status', role: 'status' });
  const stateButtons = FEEDBACK_STATES.map((state) =>
    h('button', { type: 'button', class: 'toggle', 'data-set-state': state, onclick: () => void changeState(state) }, STATE_LABELS[state]),
  );
  const issueText = h('textarea', { id: 'issue-markdown', readonly: true, rows: 12, spellcheck: 'false' });
  const issueBox = h('div', { class: 'issue-output', hidden: true }, h('label', { for: 'issue-markdown' }, S.issueMarkdown), issueText);
  const facts = h('div', {}, renderFacts(item));
  const back = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    options.onBack();
  };

  const replaySection = renderReplaySection(item);
  const timeline = renderTimeline(item);
  container.replaceChildren(
    h(
      'article',
      { class: 'detail', 'aria-labelledby': 'detail-title', 'data-feedback-id': item.id },
      h('a', { class: 'back', href: options.listHref, onclick: back }, `← ${S.backToList}`),
      heading,
      h(
        'div',
        { class: 'detail-actions' },
        h('div', { class: 'state-buttons', role: 'group', 'aria-label': S.changeState }, h('span', { class: 'group-label', 'aria-hidden': 'true' }, S.changeState), stateButtons),
        h('button', { type: 'button', class: 'secondary', onclick: () => void copyIssue() }, S.copyIssue),
      ),
      status,
      issueBox,
      facts,
      renderScreenshots(base, item),
      replaySection,
      item.replay || item.metadata === null ? undefined : timeline.element,
      renderMetadata(item),
    ),
  );
  paintState();
  const slot = h('div', { class: 'replay-layout' });
  if (item.replay && replaySection) replaySection.append(slot);
  const team = options.team && mountTeamDetail(container.querySelector('article')!, status, api, options.team, item, (changed) => {
    item = changed;
    facts.replaceChildren(renderFacts(item));
    paintState();
    options.onChanged(item);
  });
  if (!(options.team?.canTriage ?? options.canChangeState ?? true)) container.querySelector<HTMLElement>('.state-buttons')!.hidden = true;
  const stopReplay =
    item.replay && replaySection
      ? mountReplay(replaySection, {
          slot,
          fileUrl: replayFileUrl(base, item.replay),
          offsetMs: Math.max(0, Math.min(item.replayOffsetMs ?? 0, item.replay.durationMs)),
          playerScriptUrl: options.playerScriptUrl,
          playerStyleUrl: options.playerStyleUrl,
          onReady: timeline.attach,
        })
      : undefined;
  if (stopReplay) slot.append(timeline.element);

  function paintState(): void {
    for (const button of stateButtons) button.setAttribute('aria-pressed', String(button.dataset.setState === item.state));
  }

  async function changeState(state: FeedbackState): Promise<void> {
    if (state === item.state) return;
    for (const button of stateButtons) button.disabled = true;
    try {
      item = await api.setState(item.clientId, item.id, state);
      facts.replaceChildren(renderFacts(item));
      paintState();
      status.textContent = S.stateChanged(STATE_LABELS[item.state]);
      options.onChanged(item);
      void team?.reload();
    } catch (error) {
      if (!isSignedOut(error)) status.textContent = S.stateChangeFailed(errorText(error));
    } finally {
      for (const button of stateButtons) button.disabled = false;
    }
  }

  async function copyIssue(): Promise<void> {
    const markdown = issueMarkdown(item, {
      feedback: feedbackUrl(base, item.id),
      screenshots: (item.screenshots ?? []).map((shot) => screenshotUrl(base, item, shot)),
      replayFile: item.replay ? replayFileUrl(base, item.replay) : undefined,
      steps: timeline.steps(),
    });
    issueText.value = markdown;
    issueBox.hidden = false;
    try {
      await navigator.clipboard.writeText(markdown);
      status.textContent = S.issueCopied;
    } catch {
      status.textContent = S.issueNotCopied;
      issueText.focus();
      issueText.select();
    }
  }

  return { focus: () => heading.focus(), dispose: () => (stopReplay?.(), timeline.dispose()) };
}

function renderReplaySection(item: FeedbackItem): HTMLElement | undefined {
  if (item.sessionReplayId === null) return undefined;
  const title = h('h3', { id: 'replay-title' }, S.replay);
  if (!item.replay) {
    return h('section', { id: 'replay', 'aria-labelledby': 'replay-title', 'data-replay-state': 'missing' }, title, h('p', {}, S.replayMissing(item.sessionReplayId)));
  }
  const offsetMs = Math.max(0, Math.min(item.replayOffsetMs ?? 0, item.replay.durationMs));
  return h(
    'section',
    { id: 'replay', class: 'replay', 'aria-labelledby': 'replay-title', 'data-replay-offset-ms': offsetMs, 'data-replay-duration-ms': item.replay.durationMs },
    title,
    h('p', {}, S.replaySummary(item.replay.eventCount, item.replay.durationMs, offsetMs)),
  );
}

/** A short line for the document title. */
export function detailDocumentTitle(item: FeedbackItem): string {
  return S.feedbackPageTitle(`${issueTitle(item)} (${formatDate(item.createdAt)})`);
}
