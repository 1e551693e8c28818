/**
 * The sign-in screen, beside the first-time help: a person's e-mail and password first (and
 * the single sign-on button when the server has a provider); a project key (key ID + secret)
 * or the admin token, for tools and set-up, one click away.
 */
import { h } from './dom.ts';
import { canSign } from './jwt.ts';
import { INBOX_STRINGS as S, TEAM_STRINGS as T } from './strings.ts';
import type { Credentials } from './types.ts';

/** What the screen shows and whom it tells. */
export interface SignInOptions {
  /** Why the user is here again (a refusal), shown as an alert. */
  message?: string;
  /** The server-rendered first-time help, moved in beside the form. */
  welcome?: HTMLElement;
  /** Tries a tool's credentials; resolves to an error message, or undefined once signed in. */
  onSubmit(credentials: Credentials): Promise<string | undefined>;
  /** Tries an e-mail and password; resolves to an error message, or undefined once signed in. */
  onPasswordSubmit(email: string, password: string): Promise<string | undefined>;
  /** The server's single sign-on: its button's label and where it starts (GET /api/auth/oidc); absent, no button. */
  sso?: { label: string; href: string };
}

/** Fills `container` with the sign-in screen and focuses its first field (or the message). */
export function renderSignIn(container: HTMLElement, options: SignInOptions): void {
  const alert = h('p', { class: 'alert', role: 'alert', tabindex: '-1', hidden: !options.message }, options.message ?? '');
  const field = (id: string, label: string, hint: string, attrs: Record<string, string>) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h('input', { id, name: id, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': `${id}-hint`, ...attrs }),
      h('p', { id: `${id}-hint`, class: 'hint' }, hint),
    );
  const keyFields = h(
    'div',
    { class: 'credential-fields', 'data-kind': 'key' },
    field('key-id', S.keyIdLabel, S.keyIdHint, { type: 'text', autocomplete: 'username' }),
    field('key-secret', S.secretLabel, S.secretHint, { type: 'password', autocomplete: 'current-password' }),
  );
  const adminFields = h(
    'div',
    { class: 'credential-fields', 'data-kind': 'admin', hidden: true },
    field('admin-token', S.adminTokenLabel, S.adminTokenHint, { type: 'password', autocomplete: 'current-password' }),
  );
  const kindRadio = (value: 'key' | 'admin', label: string) =>
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'kind', value, checked: value === 'key', onchange: () => showKind(value) }), label);
  const submit = h('button', { type: 'submit', class: 'primary' }, S.signIn);
  const form = h(
    'form',
    { class: 'sign-in-form', novalidate: true, hidden: true, onsubmit: (event: Event) => void onSubmit(event) },
    h('fieldset', { class: 'kinds' }, h('legend', {}, S.signInWith), kindRadio('key', S.signInWithKey), kindRadio('admin', S.signInWithAdmin)),
    keyFields,
    adminFields,
    submit,
  );
  const input = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)!;
  const account = renderAccountForm((email, password) => options.onPasswordSubmit(email, password), fail);
  // A plain link: the provider's pages need the whole tab, and the server sends it back signed in.
  const sso = options.sso && h('a', { class: 'sso-button', href: options.sso.href }, options.sso.label);
  const toTools = h('button', { type: 'button', class: 'link-button', 'aria-controls': 'tool-sign-in', onclick: () => showForm('tools') }, T.useToolSignIn);
  const toAccount = h('button', { type: 'button', class: 'link-button', hidden: true, onclick: () => showForm('account') }, T.useAccountSignIn);
  form.id = 'tool-sign-in';

  function showForm(which: 'account' | 'tools'): void {
    account.form.hidden = which !== 'account';
    if (sso) sso.hidden = which !== 'account';
    form.hidden = which !== 'tools';
    toTools.hidden = which !== 'account';
    toAccount.hidden = which !== 'tools';
    alert.hidden = true;
    (which === 'account' ? account.first : form.querySelector<HTMLInputElement>('input[type=radio]:checked'))?.focus();
  }

  function showKind(kind: 'key' | 'admin'): void {
    keyFields.hidden = kind !== 'key';
    adminFields.hidden = kind !== 'admin';
  }
  function fail(message: string, focus: HTMLInputElement | undefined): void {
    alert.textContent = message;
    alert.hidden = false;
    (focus ?? alert).focus();
  }
  function read(): { credentials?: Credentials; problem?: [string, HTMLInputElement | undefined] } {
    if (adminFields.hidden) {
      const [kid, secret] = [input('key-id'), input('key-secret')];
      if (!kid.value.trim()) return { problem: [S.fieldRequired(S.keyIdLabel), kid] };
      if (!secret.value.trim()) return { problem: [S.fieldRequired(S.secretLabel), secret] };
      if (!canSign()) return { problem: [S.needsSecureContext, undefined] };
      return { credentials: { kind: 'key', kid: kid.value.trim(), secret: secret.value.trim() } };
    }
    const token = input('admin-token');
    if (!token.value.trim()) return { problem: [S.fieldRequired(S.adminTokenLabel), token] };
    return { credentials: { kind: 'admin', token: token.value.trim() } };
  }
  async function onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const { credentials, problem } = read();
    if (!credentials) return fail(problem![0], problem![1]);
    submit.disabled = true;
    submit.textContent = S.signingIn;
    const refusal = await options.onSubmit(credentials);
    if (refusal === undefined) return; // the inbox has replaced this screen
    submit.disabled = false;
    submit.textContent = S.signIn;
    fail(refusal, undefined);
  }

  container.replaceChildren(
    h(
      'main',
      { class: 'sign-in-layout' },
      h('section', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' }, h('h1', { id: 'sign-in-title' }, S.signInTitle), alert, account.form, sso, form, toTools, toAccount),
      options.welcome,
    ),
  );
  document.title = S.pageTitle;
  if (options.message) alert.focus();
  else account.first.focus();
}

/** The e-mail and password form; `fail` shows a problem and focuses the field (or the alert). */
function renderAccountForm(
  submitTo: (email: string, password: string) => Promise<string | undefined>,
  fail: (message: string, focus: HTMLInputElement | undefined) => void,
): { form: HTMLFormElement; first: HTMLInputElement } {
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', spellcheck: 'false', autocapitalize: 'off', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, S.signIn);
  async function onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    if (!email.value.trim()) return fail(S.fieldRequired(T.emailLabel), email);
    if (!password.value) return fail(S.fieldRequired(T.passwordLabel), password);
    submit.disabled = true;
    submit.textContent = S.signingIn;
    const refusal = await submitTo(email.value.trim(), password.value);
    if (refusal === undefined) return;
    submit.disabled = false;
    submit.textContent = S.signIn;
    password.value = '';
    fail(refusal, undefined);
  }
  const form = h(
    'form',
    { class: 'sign-in-form', novalidate: true, onsubmit: (event: Event) => void onSubmit(event) },
    h('div', { class: 'field' }, h('label', { for: 'email' }, T.emailLabel), email),
    h('div', { class: 'field' }, h('label', { for: 'password' }, T.passwordLabel), password),
    submit,
  );
  return { form, first: email };
}
