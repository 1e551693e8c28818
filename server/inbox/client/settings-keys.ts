/** Settings: project keys (create with the secret shown once, revoke) and the reporter invite link. */
import type { Api } from './api.ts';
import { formatDate, h, replaceChildren } from './dom.ts';
import { attempt, copyField } from './settings-parts.ts';
import { TEAM_STRINGS as T } from './strings.ts';

/** The keys and reporter-link sections of project `projectId`. */
export function renderKeySections(api: Api, projectId: string): HTMLElement[] {
  const C = T.keyColumns;
  const rows = h('tbody');
  const status = h('p', { class: 'hint', role: 'status' });
  const secret = h('div');
  const name = h('input', { id: 'key-name', type: 'text', autocomplete: 'off' });
  async function reload(): Promise<void> {
    await attempt(status, async () => {
      const keys = await api.keys(projectId);
      replaceChildren(
        rows,
        keys.length
          ? keys.map((key) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, key.kid)),
                h('td', {}, key.name ?? ''),
                h('td', {}, formatDate(key.createdAt)),
                h('td', {}, key.revokedAt ? T.revoked : T.active),
                h('td', {}, !key.revokedAt && h('button', { type: 'button', class: 'secondary', 'aria-label': T.revokeOf(key.kid), onclick: () => void revoke(key.kid) }, T.revoke)),
              ),
            )
          : h('tr', {}, h('td', { colspan: 5 }, T.noKeys)),
      );
    });
  }
  async function revoke(kid: string): Promise<void> {
    if (!confirm(T.confirmRevoke(kid))) return;
    if (await attempt(status, () => api.revokeKey(projectId, kid))) await reload();
  }
  async function create(): Promise<void> {
    await attempt(status, async () => {
      const key = await api.createKey(projectId, name.value.trim() || undefined);
      name.value = '';
      replaceChildren(secret, copyField('key-secret-once', T.keySecret, key.secret, T.keyCreated(key.kid)));
      secret.querySelector('input')?.focus();
      await reload();
    });
  }
  const environment = h('input', { id: 'reporter-environment', type: 'text', autocomplete: 'off' });
  const reporterOut = h('div');
  const reporterStatus = h('p', { class: 'hint', role: 'status' });
  async function reporterLink(): Promise<void> {
    await attempt(reporterStatus, async () => {
      const { url } = await api.reporterLink(projectId, environment.value.trim() || undefined);
      replaceChildren(reporterOut, copyField('reporter-link', T.reporterLink, url));
    });
  }
  void reload();
  return [
    h(
      'section',
      { class: 'card settings-section', 'aria-labelledby': 'keys-title' },
      h('h2', { id: 'keys-title' }, T.keys),
      h('p', { class: 'hint' }, T.keysHint),
      h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, h('tr', {}, [C.kid, C.name, C.created, C.status, ''].map((c) => h('th', { scope: 'col' }, c)))), rows)),
      h('div', { class: 'inline-form' }, h('div', { class: 'field' }, h('label', { for: 'key-name' }, T.keyName), name), h('button', { type: 'button', class: 'primary', onclick: () => void create() }, T.createKey)),
      secret,
      status,
    ),
    h(
      'section',
      { class: 'card settings-section', 'aria-labelledby': 'reporter-title' },
      h('h2', { id: 'reporter-title' }, T.reporterLinks),
      h('p', { class: 'hint' }, T.reporterLinksHint),
      h(
        'div',
        { class: 'inline-form' },
        h('div', { class: 'field' }, h('label', { for: 'reporter-environment' }, T.reporterEnvironment), environment),
        h('button', { type: 'button', class: 'primary', onclick: () => void reporterLink() }, T.makeReporterLink),
      ),
      reporterOut,
      reporterStatus,
    ),
  ];
}
