/** The list pane: filters with counts per state, one page of items as links, paging and the JSON export. */
import { errorText, isSignedOut, type Api } from './api.ts';
import { exportFiltered } from './export-json.ts';
import { createFilterForm, filterQuery, type StateCounts } from './filters.ts';
import { formatDate, h, replaceChildren } from './dom.ts';
import { locationHref, type InboxLocation } from './location.ts';
import { INBOX_STRINGS as S, STATE_LABELS, ratingText } from './strings.ts';
import { FEEDBACK_STATES, type Cursor, type FeedbackItem, type Filters } from './types.ts';

/** Items per page of the list. */
export const PAGE_SIZE = 25;
const EXCERPT_CHARS = 160;

/** What the list needs from the inbox around it. */
export interface ListOptions {
  api: Api;
  base: URL;
  projectId(): string;
  /** Goes to a location; `focus` says where focus lands once it is shown. */
  navigate(location: InboxLocation, how: { replace?: boolean; focus?: 'list' | 'detail' }): void;
  current(): InboxLocation;
}

/** The list pane. */
export interface ListView {
  element: HTMLElement;
  /** Loads and shows the page `location` names (a newer call wins over an older one still loading). */
  load(location: InboxLocation): Promise<void>;
  /** An item of the page shown, by id. */
  find(id: string): FeedbackItem | undefined;
  /** Marks the open item; returns its link. */
  markOpen(id: string | undefined): HTMLAnchorElement | undefined;
  focusHeading(): void;
  dispose(): void;
}

function pageLabel(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return url;
  }
}

function excerpt(comment: string | null): string {
  if (!comment?.trim()) return S.noComment;
  const flat = comment.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}

/** Builds the list pane. */
export function createListView(options: ListOptions): ListView {
  const { api } = options;
  let generation = 0;
  let shown: FeedbackItem[] = [];
  let page: { next: string | null; previous: string | null } = { next: null, previous: null };

  const go = (change: Partial<InboxLocation>, how: { replace?: boolean; focus?: 'list' | 'detail' }) =>
    options.navigate({ ...options.current(), ...change }, how);
  const filters = createFilterForm({
    initial: options.current().filters,
    onChange: (next: Filters) => go({ filters: next, cursor: {} }, { replace: true }),
  });
  const heading = h('h2', { id: 'list-title', tabindex: '-1' }, S.listTitle);
  const status = h('p', { class: 'list-status', role: 'status' });
  const exportStatus = h('p', { class: 'export-status', role: 'status' });
  const exportButton = h('button', { type: 'button', class: 'secondary', onclick: () => void runExport() }, S.exportJson);
  const results = h('ul', { class: 'items', 'aria-labelledby': 'list-title' });
  const pageTo = (cursor: Cursor) => go({ cursor }, { focus: 'list' });
  const newer = h('button', { type: 'button', class: 'secondary', onclick: () => page.previous && pageTo({ before: page.previous }) }, `← ${S.newer}`);
  const older = h('button', { type: 'button', class: 'secondary', onclick: () => page.next && pageTo({ after: page.next }) }, `${S.older} →`);
  const element = h(
    'div',
    { class: 'list' },
    heading,
    filters.element,
    h('div', { class: 'list-toolbar' }, status, exportButton),
    exportStatus,
    results,
    h('nav', { class: 'pager', 'aria-label': S.paging }, newer, older),
  );

  function renderItem(item: FeedbackItem, location: InboxLocation): HTMLLIElement {
    const href = locationHref(options.base, { ...location, feedbackId: item.id });
    const shots = item.screenshots?.length ?? 0;
    const open = (event: MouseEvent) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      go({ feedbackId: item.id }, { focus: 'detail' });
    };
    return h(
      'li',
      {},
      h(
        'a',
        { class: 'item', href, 'data-feedback-id': item.id, onclick: open },
        h(
          'span',
          { class: 'item-top' },
          h('span', { class: `badge state-${item.state}` }, STATE_LABELS[item.state] ?? item.state),
          item.rating !== null && h('span', { class: `badge rating rating-${item.rating}` }, ratingText(item.rating)),
          h('time', { datetime: item.updatedAt }, formatDate(item.updatedAt)),
        ),
        h('span', { class: item.comment?.trim() ? 'item-comment' : 'item-comment empty' }, excerpt(item.comment)),
        h(
          'span',
          { class: 'item-meta' },
          pageLabel(item.pageUrl) && h('span', { class: 'item-page' }, pageLabel(item.pageUrl)),
          h('span', {}, item.environment ?? S.defaultEnvironment),
          shots > 0 && h('span', {}, S.screenshotsBadge(shots)),
          item.replay && h('span', {}, S.replayBadge),
        ),
      ),
    );
  }

  async function loadCounts(location: InboxLocation): Promise<StateCounts> {
    const values = await Promise.all(FEEDBACK_STATES.map((state) => api.count(options.projectId(), filterQuery(location.filters, state))));
    const counts = Object.fromEntries(FEEDBACK_STATES.map((state, i) => [state, values[i]!])) as StateCounts;
    counts.all = values.reduce((sum, n) => sum + n, 0);
    return counts;
  }

  async function load(location: InboxLocation): Promise<void> {
    const mine = ++generation;
    filters.set(location.filters);
    element.setAttribute('aria-busy', 'true');
    const counts = loadCounts(location);
    try {
      const answer = await api.filter(options.projectId(), filterQuery(location.filters), location.cursor, PAGE_SIZE);
      if (mine !== generation) return;
      shown = answer.items;
      page = { next: answer.next, previous: answer.previous };
      replaceChildren(results, shown.length ? shown.map((item) => renderItem(item, location)) : h('li', { class: 'empty' }, S.listEmpty));
      newer.disabled = !page.previous;
      older.disabled = !page.next;
      filters.suggestEnvironments([...new Set(shown.map((item) => item.environment ?? S.defaultEnvironment))]);
      markOpen(location.feedbackId);
      const total = await counts.catch(() => undefined);
      if (mine !== generation) return;
      filters.setCounts(total);
      status.textContent = S.listStatus(shown.length, total?.[location.filters.state || 'all']);
    } catch (error) {
      if (mine !== generation || isSignedOut(error)) return;
      shown = [];
      replaceChildren(results, h('li', { class: 'error', role: 'alert' }, errorText(error)));
      status.textContent = '';
    } finally {
      if (mine === generation) element.removeAttribute('aria-busy');
    }
  }

  function markOpen(id: string | undefined): HTMLAnchorElement | undefined {
    let found: HTMLAnchorElement | undefined;
    for (const link of results.querySelectorAll<HTMLAnchorElement>('a.item')) {
      const open = link.dataset.feedbackId === id;
      if (open) found = link;
      if (open) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
    return found;
  }

  async function runExport(): Promise<void> {
    exportButton.disabled = true;
    exportStatus.textContent = S.exporting(0);
    try {
      const { count, fileName } = await exportFiltered(api, options.projectId(), filterQuery(options.current().filters), (n) => {
        exportStatus.textContent = S.exporting(n);
      });
      exportStatus.textContent = S.exported(count, fileName);
    } catch (error) {
      exportStatus.textContent = isSignedOut(error) ? '' : S.exportFailed(errorText(error));
    } finally {
      exportButton.disabled = false;
    }
  }

  return {
    element,
    load,
    find: (id) => shown.find((item) => item.id === id),
    markOpen,
    focusHeading: () => heading.focus(),
    dispose: () => {
      generation++;
      filters.dispose();
    },
  };
}
