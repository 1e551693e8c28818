/**
 * The signed-in inbox: a header (project, sign out), the list pane and the detail pane. It owns
 * the address bar: every change is a location (list filters, page, open item) pushed to history.
 */
import { errorText, isSignedOut, type Api } from './api.ts';
import { detailDocumentTitle, renderDetail, type DetailView } from './detail.ts';
import { h } from './dom.ts';
import { createListView } from './list.ts';
import { NO_FILTERS, listKey, locationHref, parseLocation, type InboxLocation } from './location.ts';
import { INBOX_STRINGS as S, TEAM_STRINGS as T } from './strings.ts';
import type { FeedbackItem, Project } from './types.ts';
import { createBell } from './bell.ts';
import { mountListShortcuts } from './list-keys.ts';
import { renderSettings } from './settings.ts';
import { loadTeamContext, roleOf, type TeamContext } from './team-context.ts';
import { atLeast, type User } from './team-types.ts';

/** What the inbox is mounted with. */
export interface InboxOptions {
  root: HTMLElement;
  base: URL;
  api: Api;
  /** The person signed in; undefined for a tool's key or token. */
  user?: User;
  projects: Project[];
  projectId: string;
  /** Remembers the project picked (for a reload). */
  onProjectChange(projectId: string): void;
  onSignOut(): void;
}

type Focus = 'list' | 'detail' | undefined;

/** Mounts the inbox into `root`; returns what unmounts it. */
export function mountInbox(options: InboxOptions): () => void {
  const { api, base, projects } = options;
  let projectId = options.projectId;
  let current = parseLocation(base, location.href);
  let loadedList: string | undefined;
  let openId: string | undefined;
  let detail: DetailView | undefined;
  let detailGeneration = 0;

  let team: TeamContext | undefined;
  const asset = (name: string) => new URL(`assets/${name}`, base).href;
  const list = createListView({ api, base, projectId: () => projectId, navigate, current: () => current, context: () => team });
  const listPane = h('section', { class: 'list-pane', 'aria-labelledby': 'list-title' }, list.element);
  const detailPane = h('section', { class: 'detail-pane', 'aria-label': S.detailTitle, id: 'detail' });
  const layout = h('main', { class: 'inbox', 'data-view': 'list' }, listPane, detailPane);
  const projectPicker =
    projects.length > 1
      ? h(
          'div',
          { class: 'field inline' },
          h('label', { for: 'project' }, S.project),
          h(
            'select',
            { id: 'project', onchange: (event: Event) => switchProject((event.target as HTMLSelectElement).value) },
            projects.map((p) => h('option', { value: p.id, selected: p.id === projectId }, p.name)),
          ),
        )
      : h('p', { class: 'project-name' }, `${S.project}: `, h('strong', {}, projects[0]?.name ?? projectId));
  const settingsLink = h('a', { href: locationHref(base, { ...current, view: 'settings' }), hidden: !atLeast(roleOf(api, projects.find((p) => p.id === projectId)), 'owner'), onclick: (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate({ ...current, feedbackId: undefined, view: 'settings' });
  } }, T.settings);
  const notifyBox = h('input', { type: 'checkbox', id: 'notify-new-reports', onchange: () => void api.setNotifyNewReports(projectId, notifyBox.checked).catch(() => (notifyBox.checked = !notifyBox.checked)) });
  const notifyToggle = h('label', { class: 'choice', for: 'notify-new-reports' }, notifyBox, T.emailNewReports);
  const bell = options.user ? createBell(api, base, (id) => navigate({ ...current, view: undefined, feedbackId: id }, { focus: 'detail' }), notifyToggle) : undefined;
  const header = h(
    'header',
    { class: 'topbar' },
    h('p', { class: 'brand' }, S.pageTitle),
    projectPicker,
    settingsLink,
    bell?.element,
    options.user && h('span', { class: 'who' }, options.user.name ?? options.user.email),
    h('button', { type: 'button', class: 'secondary', onclick: () => options.onSignOut() }, S.signOut),
  );
  const settingsPane = h('main', { class: 'settings-page', hidden: true });
  options.root.replaceChildren(header, layout, settingsPane);
  const stopKeys = mountListShortcuts({
    api,
    list,
    context: () => team,
    openId: () => openId,
    open: (id) => navigate({ ...current, feedbackId: id }, { focus: 'detail' }),
    refresh: () => refreshAll(),
    active: () => settingsPane.hidden,
  });

  async function loadTeam(): Promise<void> {
    const project = projects.find((p) => p.id === projectId) ?? { id: projectId, name: projectId };
    const mine = projectId;
    const loaded = await loadTeamContext(api, project, options.user);
    if (mine !== projectId) return;
    team = loaded;
    settingsLink.hidden = !team.isOwner;
    list.setContext(team);
    if (openId) refreshAll();
    if (options.user) api.me().then((me) => (notifyBox.checked = me.projects.find((p) => p.id === projectId)?.notifyNewReports ?? false), () => undefined);
  }
  function refreshAll(): void {
    void list.load(current).then(() => list.markOpen(openId));
    const id = openId;
    openId = undefined;
    void showDetail(id, undefined);
  }

  function navigate(next: InboxLocation, how: { replace?: boolean; focus?: Focus } = {}): void {
    const href = locationHref(base, next);
    if (how.replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    void render(next, how.focus);
  }

  async function render(next: InboxLocation, focus: Focus): Promise<void> {
    current = next;
    settingsPane.hidden = next.view !== 'settings';
    layout.hidden = next.view === 'settings';
    if (next.view === 'settings') {
      const project = projects.find((p) => p.id === projectId) ?? { id: projectId, name: projectId };
      renderSettings(settingsPane, { api, project, me: options.user, onBack: () => navigate({ ...next, view: undefined }, { focus: 'list' }) });
      return;
    }
    const key = listKey(next);
    const listLoad = key === loadedList ? undefined : list.load(next);
    loadedList = key;
    if (next.feedbackId !== openId) await showDetail(next.feedbackId, focus);
    else if (focus === 'detail') detail?.focus();
    if (listLoad) await listLoad;
    list.markOpen(openId);
    if (focus === 'list') list.focusHeading();
  }

  async function showDetail(id: string | undefined, focus: Focus): Promise<void> {
    const mine = ++detailGeneration;
    const previous = openId;
    detail?.dispose();
    detail = undefined;
    openId = id;
    layout.dataset.view = id ? 'detail' : 'list';
    if (!id) {
      detailPane.replaceChildren(h('p', { class: 'placeholder' }, S.noSelection));
      document.title = S.pageTitle;
      // Back from an item: focus returns to its link when it is on this page.
      const link = previous ? list.markOpen(previous) : undefined;
      if (focus !== 'list' && previous) (link ?? listPane.querySelector<HTMLElement>('#list-title'))?.focus();
      return;
    }
    detailPane.replaceChildren(h('p', { class: 'placeholder', role: 'status' }, S.loading));
    let item: FeedbackItem | undefined;
    try {
      item = list.find(id) ?? (await findAnywhere(id));
    } catch (error) {
      if (mine === detailGeneration && !isSignedOut(error)) detailPane.replaceChildren(h('p', { class: 'alert', role: 'alert' }, errorText(error)));
      return;
    }
    if (mine !== detailGeneration) return;
    if (!item) {
      const notFound = h('p', { class: 'alert', role: 'alert', tabindex: '-1' }, S.notFound);
      detailPane.replaceChildren(notFound);
      if (focus === 'detail') notFound.focus();
      return;
    }
    detail = renderDetail(detailPane, {
      api,
      base,
      item,
      listHref: locationHref(base, { ...current, feedbackId: undefined }),
      onBack: () => navigate({ ...current, feedbackId: undefined }),
      // The item moved (newest-updated first) and the counts changed: reload the same page.
      onChanged: () => void list.load(current).then(() => list.markOpen(openId)),
      playerScriptUrl: asset('rrweb-replay.js'),
      playerStyleUrl: asset('rrweb-replay.css'),
      team,
      // A viewer gets no state buttons even before the team context is loaded.
      canChangeState: atLeast(roleOf(api, projects.find((p) => p.id === item.clientId)), 'member'),
    });
    document.title = detailDocumentTitle(item);
    if (focus === 'detail') detail.focus();
  }

  // A deep link may name an item of another project this sign-in can read.
  async function findAnywhere(id: string): Promise<FeedbackItem | undefined> {
    for (const project of [projectId, ...projects.map((p) => p.id).filter((p) => p !== projectId)]) {
      const item = await api.getFeedback(project, id);
      if (!item) continue;
      if (project !== projectId) switchProject(project, false);
      return item;
    }
    return undefined;
  }

  function switchProject(id: string, reset = true): void {
    projectId = id;
    options.onProjectChange(id);
    const select = header.querySelector<HTMLSelectElement>('#project');
    if (select) select.value = id;
    team = undefined;
    void loadTeam();
    if (reset) {
      loadedList = undefined;
      navigate({ feedbackId: undefined, filters: NO_FILTERS, cursor: {} });
    } else {
      loadedList = listKey(current);
      void list.load(current);
    }
  }

  const onPopState = () => void render(parseLocation(base, location.href), undefined);
  addEventListener('popstate', onPopState);
  void render(current, current.feedbackId ? 'detail' : 'list');
  void loadTeam();
  return () => {
    removeEventListener('popstate', onPopState);
    stopKeys();
    bell?.dispose();
    detail?.dispose();
    list.dispose();
  };
}
