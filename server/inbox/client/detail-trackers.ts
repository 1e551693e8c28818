/**
 * The report page's trackers: for each connection, the report's issue as a link, or where its
 * way there stands ("GitHub: retrying (3)", "needs attention" with the reason), and for members
 * "Create GitHub issue". While something is on its way the line is read again every few seconds.
 */
import { errorText, isSignedOut, type Api } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { TEAM_STRINGS as T } from './strings.ts';
import type { TeamContext } from './team-context.ts';
import type { TrackerStatus } from './team-types.ts';

const POLL_MS = 2_000;
const kindName = (kind: string) => T.trackerKinds[kind] ?? kind;
const moving = (s: TrackerStatus) => s.status === 'queued' || s.status === 'retrying' || s.status === 'needs-attention';

/** The trackers section for report `feedbackId`; empty (hidden) when the project has none. */
export function renderTrackers(api: Api, context: TeamContext, feedbackId: string): HTMLElement {
  const list = h('ul', { class: 'trackers' });
  const status = h('p', { class: 'hint', role: 'status' });
  const section = h('section', { class: 'trackers-section', 'aria-labelledby': 'trackers-title', hidden: true }, h('h3', { id: 'trackers-title' }, T.trackers), list, status);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function line(s: TrackerStatus): HTMLElement {
    const kind = kindName(s.kind);
    const ask = async (button: HTMLButtonElement) => {
      button.disabled = true;
      try {
        await api.createIssue(context.projectId, feedbackId, s.integrationId);
        await load();
      } catch (error) {
        status.textContent = isSignedOut(error) ? '' : T.saveFailed(errorText(error));
        button.disabled = false;
      }
    };
    const canAsk = context.canTriage && s.kind === 'github' && !s.issue && (s.status === 'none' || s.status === 'failed' || s.status === 'sent');
    const button = canAsk ? h('button', { type: 'button', class: 'secondary', onclick: () => void ask(button as HTMLButtonElement) }, T.createIssueIn(kind)) : undefined;
    return h(
      'li',
      { class: s.status === 'needs-attention' || s.status === 'failed' ? 'alert' : '' },
      s.issue ? h('a', { href: s.issue.url, target: '_blank', rel: 'noopener noreferrer' }, T.issueLink(kind, s.issue.id)) : T.trackerState(kind, s.status, s.attempts, s.lastError),
      ' ',
      h('span', { class: 'hint' }, s.name),
      button && ' ',
      button,
    );
  }

  async function load(): Promise<void> {
    clearTimeout(timer);
    try {
      const items = await api.reportTrackers(context.projectId, feedbackId);
      section.hidden = items.length === 0;
      replaceChildren(list, items.map(line));
      // Read again while something is on its way, as long as the page is shown.
      if (items.some(moving) && section.isConnected) timer = setTimeout(() => void load(), POLL_MS);
    } catch (error) {
      status.textContent = isSignedOut(error) ? '' : T.saveFailed(errorText(error));
    }
  }

  void load();
  return section;
}
