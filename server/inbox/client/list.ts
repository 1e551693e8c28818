/** The list pane: filters with counts per state, one page of items as links, paging, selection for one change to many, and the JSON export. */
import { errorText, isSignedOut, type Api } from './api.ts';
import { createBulkBar } from './bulk-bar.ts';
import { rowCheckbox, triageChips } from './list-row.ts';
import { createSelection } from './selection.ts';
import type { TeamContext } from './team-context.ts';
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
  /** The project's people, labels and the sign-in's role (undefined while they load). */
  context(): TeamContext | undefined;
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
  /** Shows the project's members and labels (and whether triage is allowed). */
  setContext(context: TeamContext): void;
  /** The ids selected, else the one of the focused row, else `fallback` (the open item). */
  targets(fallback: string | undefined): string[];
  /** Toggles the focused row's selection (or the open item's); false when there is no row. */
  toggleCurrent(fallback: string | undefined): boolean;
  toggleAll(): void;
  /** Moves focus `by` rows down (negative: up) from the focused row (or the open one). */
  moveFocus(by: number, fallback: string | undefined): void;
  /** Focuses the assignee picker of the bulk bar. */
  focusBulkAssignee(): void;
  /** Says something in the bulk bar's status line. */
  say(text: string): void;
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
  const selection = createSelection();
  const bulk = createBulkBar({
    api,
    projectId: options.projectId,
    selected: () => selection.ids(),
    onToggleAll: () => toggleAll(),
    onClear: () => (selection.clear(), paintSelection()),
    onChanged: () => void load(options.current()),
  });
  bulk.element.hidden = true;
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
    bulk.element,
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
    const canTriage = options.context()?.canTriage ?? false;
    return h(
      'li',
      { 'data-row-id': item.id },
      canTriage && rowCheckbox(item.id, excerpt(item.comment), selection.has(item.id), (id, range) => (selection.toggle(id, { range }), paintSelection())),
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
        h('span', { class: 'item-triage' }, triageChips(item, options.context())),
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
      selection.setOrder(shown.map((item) => item.id));
      replaceChildren(results, shown.length ? shown.map((item) => renderItem(item, location)) : h('li', { class: 'empty' }, S.listEmpty));
      newer.disabled = !page.previous;
      older.disabled = !page.next;
      filters.suggestEnvironments([...new Set(shown.map((item) => item.environment ?? S.defaultEnvironment))]);
      markOpen(location.feedbackId);
      paintSelection();
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

  function paintSelection(): void {
    bulk.paint(selection.size(), shown.length);
    for (const box of results.querySelectorAll<HTMLInputElement>('input.row-select')) box.checked = selection.has(box.dataset.selectId!);
  }
  function toggleAll(): void {
    selection.toggleAll();
    paintSelection();
  }
  // The row focus is in (its link or checkbox), else the open item's.
  function currentId(fallback: string | undefined): string | undefined {
    const row = document.activeElement?.closest<HTMLElement>('li[data-row-id]');
    return row && results.contains(row) ? row.dataset.rowId : fallback;
  }
  function moveFocus(by: number, fallback: string | undefined): void {
    const links = [...results.querySelectorAll<HTMLAnchorElement>('a.item')];
    if (links.length === 0) return;
    const at = links.findIndex((link) => link.dataset.feedbackId === currentId(fallback));
    const next = at < 0 ? (by > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + by));
    links[next]!.focus();
    links[next]!.scrollIntoView({ block: 'nearest' });
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
    setContext(context) {
      bulk.element.hidden = !context.canTriage;
      bulk.setContext(context);
      filters.setChoices(context.members, context.labels, context.me?.id);
      const location = options.current();
      if (shown.length) replaceChildren(results, shown.map((item) => renderItem(item, location)));
      markOpen(location.feedbackId);
      paintSelection();
    },
    targets(fallback) {
      if (selection.size() > 0) return selection.ids();
      const id = currentId(fallback);
      return id ? [id] : [];
    },
    toggleCurrent(fallback) {
      const id = currentId(fallback);
      if (!id || !shown.some((item) => item.id === id)) return false;
      selection.toggle(id);
      paintSelection();
      return true;
    },
    toggleAll,
    moveFocus,
    focusBulkAssignee: () => bulk.focusAssignee(),
    say: (text) => bulk.say(text),
    dispose: () => {
      generation++;
      filters.dispose();
    },
  };
}
