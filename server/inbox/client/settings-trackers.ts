/**
 * Settings: the project's tracker connections (kind, which new reports go on their own, on or
 * off, disconnect); connecting GitHub (repository, token, labels, rule), with the secret of
 * GitHub's webhook back shown once, and Slack (an incoming webhook URL, rule).
 */
import type { Api } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { attempt, copyField } from './settings-parts.ts';
import { TEAM_STRINGS as T } from './strings.ts';
import type { ReportRule, TrackerConnection } from './team-types.ts';

const kindName = (kind: string) => T.trackerKinds[kind] ?? kind;
const RULES: Record<string, ReportRule> = { none: null, all: {}, bad: { ratings: [1, 2] } };

/** A rule picker; `first` is the choice it starts on. */
function rulePicker(id: string, first: 'none' | 'all'): HTMLSelectElement {
  const options = { none: T.ruleNone, all: T.ruleAll, bad: T.ruleRatings };
  const order = first === 'none' ? (['none', 'all', 'bad'] as const) : (['all', 'bad', 'none'] as const);
  return h('select', { id }, order.map((value) => h('option', { value }, options[value]))) as HTMLSelectElement;
}

/** The trackers section of project `projectId`. */
export function renderTrackerSection(api: Api, projectId: string): HTMLElement {
  const C = T.trackerColumns;
  const rows = h('tbody');
  const status = h('p', { class: 'hint', role: 'status' });
  const shownOnce = h('div');
  const repo = h('input', { id: 'github-repo', type: 'text', autocomplete: 'off', placeholder: 'acme/shop', required: true });
  const token = h('input', { id: 'github-token', type: 'password', autocomplete: 'off', required: true });
  const labels = h('input', { id: 'github-labels', type: 'text', autocomplete: 'off', placeholder: 'bug, loupe' });
  const rule = rulePicker('github-rule', 'none');
  const slackUrl = h('input', { id: 'slack-url', type: 'password', autocomplete: 'off', placeholder: 'https://hooks.slack.com/services/…', required: true });
  const slackRule = rulePicker('slack-rule', 'all');

  async function reload(): Promise<void> {
    await attempt(status, async () => {
      const connections = await api.trackers(projectId);
      replaceChildren(rows, connections.length ? connections.map(row) : h('tr', {}, h('td', { colspan: 4 }, T.noTrackers)));
    });
  }

  function row(connection: TrackerConnection): HTMLElement {
    const label = `${kindName(connection.kind)} ${connection.name}`;
    const act = (text: string, action: () => Promise<unknown>, extra: Record<string, string> = {}) =>
      h('button', { type: 'button', class: 'secondary', ...extra, onclick: () => void action() }, text);
    return h(
      'tr',
      {},
      h('td', {}, kindName(connection.kind), ' ', h('code', {}, connection.name)),
      h('td', {}, T.ruleText(connection.rule)),
      h('td', { class: connection.enabled ? '' : 'alert' }, connection.enabled ? T.webhookOn : T.webhookOff(connection.disabledReason)),
      h(
        'td',
        { class: 'row-actions' },
        act(connection.enabled ? T.disable : T.enable, async () => {
          if (await attempt(status, () => api.changeTracker(projectId, connection.id, { enabled: !connection.enabled }))) await reload();
        }),
        act(
          T.disconnect,
          async () => {
            if (!confirm(T.confirmDeleteTracker(label))) return;
            if (await attempt(status, () => api.deleteTracker(projectId, connection.id))) await reload();
          },
          { 'aria-label': T.disconnectOf(label) },
        ),
      ),
    );
  }

  async function connect(event: Event): Promise<void> {
    event.preventDefault();
    await attempt(status, async () => {
      const names = labels.value.split(',').map((name) => name.trim()).filter(Boolean);
      const made = await api.connectTracker(projectId, { kind: 'github', repo: repo.value.trim(), token: token.value, labels: names, rule: RULES[rule.value] ?? null });
      token.value = '';
      repo.value = '';
      if (made.hook) {
        replaceChildren(shownOnce, copyField('github-hook-secret', T.githubHookSecret, made.hook.secret, T.githubHook(made.hook.url)));
        shownOnce.querySelector('input')?.focus();
      }
      await reload();
    });
  }

  async function connectSlack(event: Event): Promise<void> {
    event.preventDefault();
    await attempt(
      status,
      async () => {
        await api.connectTracker(projectId, { kind: 'slack', url: slackUrl.value.trim(), rule: RULES[slackRule.value] ?? null });
        slackUrl.value = '';
        await reload();
      },
      T.slackConnected,
    );
  }

  void reload();
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': 'trackers-title' },
    h('h2', { id: 'trackers-title' }, T.trackers),
    h('p', { class: 'hint' }, T.trackersHint),
    h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, h('tr', {}, [C.tracker, C.rule, C.status, ''].map((c) => h('th', { scope: 'col' }, c)))), rows)),
    h(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => void connect(e) },
      h('div', { class: 'field' }, h('label', { for: 'github-repo' }, T.githubRepo), repo),
      h('div', { class: 'field' }, h('label', { for: 'github-token' }, T.githubToken), token),
      h('div', { class: 'field' }, h('label', { for: 'github-labels' }, T.githubLabels), labels),
      h('div', { class: 'field' }, h('label', { for: 'github-rule' }, T.githubRule), rule),
      h('button', { type: 'submit', class: 'primary' }, T.connectGitHub),
    ),
    shownOnce,
    h(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => void connectSlack(e) },
      h('div', { class: 'field' }, h('label', { for: 'slack-url' }, T.slackUrl), slackUrl),
      h('div', { class: 'field' }, h('label', { for: 'slack-rule' }, T.slackRule), slackRule),
      h('button', { type: 'submit', class: 'primary' }, T.connectSlack),
    ),
    status,
  );
}
