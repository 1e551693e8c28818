/** The bell in the top bar: unread notifications (GET /api/me/notifications), each a link to its report; marking read. */
import { errorText, isSignedOut, type Api } from './api.ts';
import { formatDate, h, replaceChildren } from './dom.ts';
import { feedbackUrl } from './links.ts';
import { TEAM_STRINGS as T } from './strings.ts';
import type { Notification } from './team-types.ts';

const POLL_MS = 60_000;
const LIMIT = 20;

/** The bell; `open(id)` shows a report in the inbox; `extra` goes at the panel's end. Answers its element and what stops it. */
export function createBell(api: Api, base: URL, open: (feedbackId: string) => void, extra?: HTMLElement): { element: HTMLElement; dispose(): void } {
  const count = h('span', { class: 'bell-count', 'aria-hidden': 'true' });
  const button = h('button', { type: 'button', class: 'secondary bell', 'aria-expanded': 'false', 'aria-controls': 'bell-panel', onclick: () => toggle() }, '🔔 ', count);
  const list = h('ul', { class: 'notifications' });
  const status = h('p', { class: 'hint', role: 'status' });
  const panel = h(
    'div',
    { id: 'bell-panel', class: 'bell-panel card', hidden: true, role: 'region', 'aria-label': T.notifications },
    h('div', { class: 'bell-head' }, h('h2', {}, T.notifications), h('button', { type: 'button', class: 'secondary', onclick: () => void markRead() }, T.markAllRead)),
    list,
    status,
    extra,
  );
  const element = h('div', { class: 'bell-wrap' }, button, panel);

  const describe = (n: Notification) => (T.notification[n.kind as keyof typeof T.notification] ?? T.notification.other)(n.actorLabel);

  async function refresh(): Promise<void> {
    try {
      const answer = await api.notifications(LIMIT);
      count.textContent = answer.unread > 0 ? String(answer.unread) : '';
      button.setAttribute('aria-label', T.notificationsCount(answer.unread));
      replaceChildren(
        list,
        answer.items.length
          ? answer.items.map((n) =>
              h(
                'li',
                { class: n.readAt ? 'read' : 'unread' },
                h('a', { href: feedbackUrl(base, n.feedbackId), onclick: (event: MouseEvent) => (event.preventDefault(), void follow(n)) }, describe(n)),
                ' ',
                h('time', { datetime: n.createdAt }, formatDate(n.createdAt)),
              ),
            )
          : h('li', { class: 'hint' }, T.noNotifications),
      );
      status.textContent = '';
    } catch (error) {
      if (!isSignedOut(error)) status.textContent = errorText(error);
    }
  }
  async function follow(n: Notification): Promise<void> {
    toggle(false);
    open(n.feedbackId);
    if (!n.readAt) await api.markRead([n.id]).catch(() => undefined);
    void refresh();
  }
  async function markRead(): Promise<void> {
    await api.markRead().catch((error: unknown) => (status.textContent = errorText(error)));
    void refresh();
  }
  function toggle(show = panel.hidden): void {
    panel.hidden = !show;
    button.setAttribute('aria-expanded', String(show));
    if (show) void refresh();
  }
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !panel.hidden) (toggle(false), button.focus());
  };
  addEventListener('keydown', onKey);
  const timer = setInterval(() => void refresh(), POLL_MS);
  void refresh();
  return {
    element,
    dispose: () => {
      clearInterval(timer);
      removeEventListener('keydown', onKey);
    },
  };
}
