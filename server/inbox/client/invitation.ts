/** The invitation screen (`#invite=TOKEN`): which project and role it offers, and accepting it. */
import { formatDate, h } from './dom.ts';
import { INBOX_STRINGS as S, ROLE_LABELS, TEAM_STRINGS as T } from './strings.ts';
import { personLabel, type InvitationInfo, type User } from './team-types.ts';

/** What the screen shows and whom it tells. */
export interface InvitationOptions {
  info: InvitationInfo;
  /** The person signed in in this browser, if anyone. */
  user: User | undefined;
  /** Accepts (as the signed-in person, or as a new account); resolves to an error message, or undefined once in. */
  onAccept(account?: { name: string; email: string; password: string }): Promise<string | undefined>;
  /** The invitee has an account: sign in first, then accept. */
  onSignInFirst(): void;
}

/** Fills `container` with the invitation. */
export function renderInvitation(container: HTMLElement, options: InvitationOptions): void {
  const { info, user } = options;
  const alert = h('p', { class: 'alert', role: 'alert', tabindex: '-1', hidden: true });
  const heading = h('h1', { id: 'invitation-title', tabindex: '-1' }, T.invitationTitle(info.project.name));
  const offer = h('p', {}, T.invitationOffer(info.project.name, ROLE_LABELS[info.role] ?? info.role), ' ', h('span', { class: 'hint' }, T.invitationExpires(formatDate(info.expiresAt))));

  async function accept(button: HTMLButtonElement, account?: { name: string; email: string; password: string }): Promise<void> {
    button.disabled = true;
    const problem = await options.onAccept(account);
    if (problem === undefined) return;
    button.disabled = false;
    alert.textContent = problem;
    alert.hidden = false;
    alert.focus();
  }

  let body: HTMLElement;
  if (user) {
    const button = h('button', { type: 'button', class: 'primary', onclick: () => void accept(button) }, T.acceptInvitation);
    body = h('div', { class: 'sign-in-form' }, h('p', {}, T.signedInAs(personLabel(user))), button);
  } else {
    const field = (id: string, label: string, attrs: Record<string, string | boolean>) =>
      h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, required: true, ...attrs }));
    const submit = h('button', { type: 'submit', class: 'primary' }, T.createAccountAndJoin);
    const form: HTMLFormElement = h(
      'form',
      {
        class: 'sign-in-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          const value = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)!.value;
          const missing = [['invite-name', T.nameLabel], ['invite-email', T.emailLabel], ['invite-password', T.passwordLabel]].find(([id]) => !value(id!).trim());
          if (missing) {
            alert.textContent = S.fieldRequired(missing[1]!);
            alert.hidden = false;
            return form.querySelector<HTMLInputElement>(`#${missing[0]}`)!.focus();
          }
          void accept(submit, { name: value('invite-name').trim(), email: value('invite-email').trim(), password: value('invite-password') });
        },
      },
      field('invite-name', T.nameLabel, { type: 'text', autocomplete: 'name' }),
      field('invite-email', T.emailLabel, { type: 'email', autocomplete: 'username', spellcheck: 'false', autocapitalize: 'off' }),
      field('invite-password', T.passwordLabel, { type: 'password', autocomplete: 'new-password', minlength: '8', 'aria-describedby': 'invite-password-hint' }),
      h('p', { id: 'invite-password-hint', class: 'hint' }, T.passwordHint),
      submit,
    );
    body = h('div', {}, form, h('button', { type: 'button', class: 'link-button', onclick: () => options.onSignInFirst() }, T.haveAccount));
  }
  container.replaceChildren(
    h('main', { class: 'sign-in-layout' }, h('section', { class: 'card sign-in', 'aria-labelledby': 'invitation-title' }, heading, offer, alert, body)),
  );
  document.title = T.invitationTitle(info.project.name);
  heading.focus();
}
