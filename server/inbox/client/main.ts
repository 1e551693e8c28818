/**
 * The inbox's entry point (bundled by server/inbox/bundle.ts into /assets/inbox.js): follows a
 * one-time link in the address (sign-in, invitation), else restores the tab's sign-in (a
 * tool's key or token, or a person's session cookie), else shows the sign-in screen.
 */
import { createApi, errorText, isSignedOut, type Api } from './api.ts';
import { createAuthApi } from './auth-api.ts';
import { clearAuthLink, readAuthLink } from './auth-links.ts';
import { mountInbox } from './inbox.ts';
import { renderInvitation } from './invitation.ts';
import { clearSession, loadSession, saveSession } from './session.ts';
import { renderSignIn } from './sign-in.ts';
import { INBOX_STRINGS as S, TEAM_STRINGS as T } from './strings.ts';
import type { SignedIn, User } from './team-types.ts';
import type { Credentials, Project } from './types.ts';

function boot(): void {
  const app = document.getElementById('app');
  if (!app) return;
  // The server renders the first-time help into the shell; it moves to the sign-in screen.
  const welcome = document.getElementById('welcome') ?? undefined;
  const base = new URL(document.body.dataset.base ?? './', location.href);
  const auth = createAuthApi(base);
  const stored = loadSession();
  let unmount: (() => void) | undefined;
  // An invitation waiting for its invitee to sign in to an existing account.
  let pendingInvite: string | undefined;

  // Asked once, beside the session: the sign-in screen waits for it (no answer: no SSO button).
  const methods = auth.methods().catch(() => undefined);
  // Bumped by each screen change, so that a sign-in screen still waiting for `methods` knows it is too late.
  let screen = 0;

  function showSignIn(message?: string): void {
    unmount?.();
    unmount = undefined;
    const turn = ++screen;
    void methods.then((found) => {
      if (turn !== screen) return;
      const sso = found?.oidc ? { label: found.oidc.name, href: new URL('api/auth/oidc', base).href } : undefined;
      renderSignIn(app!, { message, welcome, sso, onSubmit: signInAsTool, onPasswordSubmit: signInWithPassword });
    });
  }

  // Refusals after sign-in (session expired, key revoked...) return here with the server's words.
  const signedOut = (message: string) => {
    clearSession();
    showSignIn(S.signedOut(message));
  };

  function enter(api: Api, projects: Project[], user: User | undefined, preferred = stored.projectId): void {
    const projectId = projects.some((p) => p.id === preferred) ? preferred! : projects[0]!.id;
    saveSession({ credentials: api.credentials, projectId });
    screen++;
    unmount?.();
    unmount = mountInbox({
      root: app!,
      base,
      api,
      user,
      projects,
      projectId,
      onProjectChange: (id) => saveSession({ credentials: api.credentials, projectId: id }),
      onSignOut: () => {
        clearSession();
        // The cookie goes with the server's session; a tool's token is simply forgotten.
        if (api.credentials.kind === 'session') void api.signOut().catch(() => undefined);
        showSignIn();
      },
    });
  }

  async function signInAsTool(credentials: Credentials): Promise<string | undefined> {
    let refusal: string | undefined;
    const api = createApi({ base, credentials, onUnauthorized: (message) => (refusal = message) });
    try {
      const projects = await api.listProjects();
      if (projects.length === 0) return S.noProjects;
      enter(createApi({ base, credentials, onUnauthorized: signedOut }), projects, undefined);
      return undefined;
    } catch (error) {
      return S.signInFailed(refusal ?? errorText(error));
    }
  }

  /** Enters as the person `signedIn` names; resolves to an error message, or undefined once in. */
  async function enterAsPerson(signedIn: SignedIn, projectId?: string): Promise<string | undefined> {
    const api = createApi({ base, credentials: { kind: 'session', csrfToken: signedIn.csrfToken }, onUnauthorized: signedOut });
    try {
      if (pendingInvite) {
        const token = pendingInvite;
        pendingInvite = undefined;
        projectId = (await api.acceptInvitation(token, {})).project.id;
      }
      const projects = await api.listProjects();
      if (projects.length === 0) {
        showNoProjects(api, signedIn.user);
        return undefined;
      }
      enter(api, projects, signedIn.user, projectId ?? stored.projectId);
      return undefined;
    } catch (error) {
      return errorText(error);
    }
  }

  async function signInWithPassword(email: string, password: string): Promise<string | undefined> {
    try {
      return await enterAsPerson(await auth.signIn(email, password));
    } catch (error) {
      return S.signInFailed(errorText(error));
    }
  }

  function showNoProjects(api: Api, user: User): void {
    unmount?.();
    unmount = undefined;
    const signOut = () => void api.signOut().finally(() => showSignIn());
    renderNotice(app!, T.noProjectsYet(user.email), T.noProjectsHint, { label: S.signOut, run: signOut });
  }

  async function followInvitation(token: string): Promise<void> {
    let info;
    try {
      info = await auth.invitation(token);
    } catch (error) {
      return renderNotice(app!, T.invitationInvalid, errorText(error), { label: T.goToSignIn, run: () => showSignIn() });
    }
    const session = await auth.restore().catch(() => undefined);
    renderInvitation(app!, {
      info,
      user: session?.user,
      async onAccept(account) {
        try {
          if (account) return await enterAsPerson(await auth.acceptAsNew(token, account), info.project.id);
          pendingInvite = token;
          return await enterAsPerson(session!, info.project.id);
        } catch (error) {
          return errorText(error);
        }
      },
      onSignInFirst() {
        pendingInvite = token;
        showSignIn(T.signInToAccept(info.project.name));
      },
    });
  }

  const link = readAuthLink(location.hash);
  if (link) clearAuthLink();
  app.replaceChildren(S.loading);
  if (link?.kind === 'invite') return void followInvitation(link.token);
  if (link?.kind === 'sign-in') {
    auth.signInWithLink(link.token).then(
      async (signedIn) => {
        const problem = await enterAsPerson(signedIn);
        if (problem) showSignIn(problem);
      },
      (error: unknown) => showSignIn(T.linkFailed(errorText(error))),
    );
    return;
  }
  if (stored.credentials) {
    const api = createApi({ base, credentials: stored.credentials, onUnauthorized: signedOut });
    api.listProjects().then(
      (projects) => (projects.length ? enter(api, projects, undefined) : signedOut(S.noProjects)),
      (error: unknown) => {
        if (!isSignedOut(error)) showSignIn(errorText(error));
      },
    );
    return;
  }
  auth.restore().then(
    async (signedIn) => {
      if (!signedIn) return showSignIn();
      const problem = await enterAsPerson(signedIn);
      if (problem) showSignIn(problem);
    },
    (error: unknown) => showSignIn(errorText(error)),
  );
}

/** A screen with a heading, a line of help and one action. */
function renderNotice(app: HTMLElement, title: string, text: string, action: { label: string; run(): void }): void {
  const heading = document.createElement('h1');
  heading.textContent = title;
  heading.tabIndex = -1;
  const p = document.createElement('p');
  p.textContent = text;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'primary';
  button.textContent = action.label;
  button.addEventListener('click', () => action.run());
  const card = document.createElement('section');
  card.className = 'card sign-in';
  card.append(heading, p, button);
  const main = document.createElement('main');
  main.className = 'sign-in-layout';
  main.append(card);
  app.replaceChildren(main);
  heading.focus();
}

boot();
