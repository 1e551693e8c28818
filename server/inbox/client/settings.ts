/** The project settings page (`<base>settings`, owners): name, domain allowlist, reporter e-mail, members, invitations, keys, webhooks, trackers. */
import type { Api } from './api.ts';
import { formatDate, h, replaceChildren } from './dom.ts';
import { renderKeySections } from './settings-keys.ts';
import { renderTrackerSection } from './settings-trackers.ts';
import { renderWebhookSection } from './settings-webhooks.ts';
import { attempt, copyField } from './settings-parts.ts';
import { ROLE_LABELS, TEAM_STRINGS as T } from './strings.ts';
import { ROLES, atLeast, personLabel, type Role, type User } from './team-types.ts';
import type { Project } from './types.ts';

/** What the page needs. */
export interface SettingsOptions {
  api: Api;
  project: Project;
  me: User | undefined;
  onBack(): void;
}

/** The origins typed one a line (blank lines dropped); empty means "every site" (`null`). */
export function parseOrigins(text: string): string[] | null {
  const origins = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  return origins.length ? origins : null;
}

const roleSelect = (id: string, value: Role, attrs: Record<string, string> = {}) =>
  h('select', { id, ...attrs }, ROLES.map((role) => h('option', { value: role, selected: role === value }, ROLE_LABELS[role])));

/** Fills `container` with the settings of `options.project` (a notice for non-owners). */
export function renderSettings(container: HTMLElement, options: SettingsOptions): void {
  const { api, project } = options;
  const heading = h('h1', { id: 'settings-title', tabindex: '-1' }, T.settingsTitle(project.name));
  const back = h('button', { type: 'button', class: 'link-button', onclick: () => options.onBack() }, `← ${T.backToInbox}`);
  replaceChildren(container, back, heading);
  document.title = T.settingsTitle(project.name);
  heading.focus();
  // The page may have been left, or shown again, before the answer came: only the showing that is still there fills in.
  const current = () => heading.isConnected && !container.hidden;
  api.project(project.id).then(
    (settings) => {
      if (!current()) return;
      if (!atLeast(settings.role, 'owner')) return void container.append(h('p', { class: 'alert' }, T.ownersOnly));
      container.append(general(settings), members(), invitations(), ...renderKeySections(api, project.id), renderWebhookSection(api, project.id), renderTrackerSection(api, project.id));
    },
    (error: unknown) => current() && container.append(h('p', { class: 'alert', role: 'alert' }, String((error as Error).message ?? error))),
  );

  function general(settings: { name: string; allowedOrigins: string[] | null; notifyReporterOnDone: boolean }): HTMLElement {
    const status = h('p', { class: 'hint', role: 'status' });
    const name = h('input', { id: 'settings-name', type: 'text', value: settings.name, required: true });
    const origins = h('textarea', { id: 'settings-origins', rows: 3, spellcheck: 'false', 'aria-describedby': 'settings-origins-hint' }, (settings.allowedOrigins ?? []).join('\n'));
    const notify = h('input', { id: 'settings-notify', type: 'checkbox', checked: settings.notifyReporterOnDone });
    const save = (event: Event) => {
      event.preventDefault();
      const change = { name: name.value.trim(), allowedOrigins: parseOrigins(origins.value), notifyReporterOnDone: notify.checked };
      void attempt(status, () => api.updateProject(project.id, change), T.saved);
    };
    return h(
      'form',
      { class: 'card settings-section', 'aria-labelledby': 'general-title', onsubmit: save },
      h('h2', { id: 'general-title' }, T.general),
      h('div', { class: 'field' }, h('label', { for: 'settings-name' }, T.projectName), name),
      h('div', { class: 'field' }, h('label', { for: 'settings-origins' }, T.allowedOrigins), origins, h('p', { id: 'settings-origins-hint', class: 'hint' }, T.allowedOriginsHint)),
      h('label', { class: 'choice', for: 'settings-notify' }, notify, T.notifyReporterOnDone),
      h('button', { type: 'submit', class: 'primary' }, T.save),
      status,
    );
  }

  function members(): HTMLElement {
    const rows = h('tbody');
    const status = h('p', { class: 'hint', role: 'status' });
    async function reload(): Promise<void> {
      await attempt(status, async () => {
        const list = await api.members(project.id);
        replaceChildren(
          rows,
          list.map((m, i) => {
            const who = personLabel(m);
            const select = roleSelect(`member-role-${i}`, m.role, { 'aria-label': T.roleOf(who) });
            select.addEventListener('change', () => void attempt(status, () => api.setMemberRole(project.id, m.userId, select.value as Role), T.saved).then((ok) => { if (!ok) void reload(); }));
            const remove = async () => {
              if (confirm(T.confirmRemove(who)) && (await attempt(status, () => api.removeMember(project.id, m.userId)))) await reload();
            };
            return h(
              'tr',
              {},
              h('td', {}, who, m.userId === options.me?.id && ` ${T.you}`, m.name && h('span', { class: 'hint' }, ` ${m.email}`)),
              h('td', {}, select),
              h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': T.removeOf(who), onclick: () => void remove() }, T.remove)),
            );
          }),
        );
      });
    }
    void reload();
    return h(
      'section',
      { class: 'card settings-section', 'aria-labelledby': 'members-title' },
      h('h2', { id: 'members-title' }, T.members),
      h('div', { class: 'table-scroll' }, h('table', {}, rows)),
      status,
    );
  }

  function invitations(): HTMLElement {
    const status = h('p', { class: 'hint', role: 'status' });
    const role = roleSelect('invite-role', 'member');
    const email = h('input', { id: 'invite-to', type: 'email', autocomplete: 'off' });
    const out = h('div');
    const make = () =>
      attempt(status, async () => {
        const to = email.value.trim();
        const answer = await api.invite(project.id, { role: role.value as Role, ...(to ? { email: to } : {}) });
        const note = [T.invitationMade(formatDate(answer.expiresAt)), to && T.invitationSent(to)].filter(Boolean).join(' ');
        replaceChildren(out, copyField('invitation-link', T.invitationLink, answer.url, note));
      });
    return h(
      'section',
      { class: 'card settings-section', 'aria-labelledby': 'invitations-title' },
      h('h2', { id: 'invitations-title' }, T.invitations),
      h(
        'div',
        { class: 'inline-form' },
        h('div', { class: 'field' }, h('label', { for: 'invite-role' }, T.inviteRole), role),
        h('div', { class: 'field' }, h('label', { for: 'invite-to' }, T.inviteEmail), email),
        h('button', { type: 'button', class: 'primary', onclick: () => void make() }, T.makeInvitation),
      ),
      out,
      status,
    );
  }
}
