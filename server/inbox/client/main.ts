/**
 * The inbox's entry point (bundled by server/inbox/bundle.ts into /assets/inbox.js): restores
 * the tab's sign-in or shows the sign-in screen, then mounts the inbox.
 */
import { createApi, errorText, isSignedOut, type Api } from './api.ts';
import { mountInbox } from './inbox.ts';
import { clearSession, loadSession, saveSession, type Session } from './session.ts';
import { renderSignIn } from './sign-in.ts';
import { INBOX_STRINGS as S } from './strings.ts';
import type { Credentials, Project } from './types.ts';

function boot(): void {
  const app = document.getElementById('app');
  if (!app) return;
  // The server renders the first-time help into the shell; it moves to the sign-in screen.
  const welcome = document.getElementById('welcome') ?? undefined;
  const base = new URL(document.body.dataset.base ?? './', location.href);
  let unmount: (() => void) | undefined;

  function showSignIn(message?: string): void {
    unmount?.();
    unmount = undefined;
    renderSignIn(app!, { message, welcome, onSubmit: signIn });
  }

  // Refusals after sign-in (key revoked, token expired...) return here with the server's words.
  const signedOut = (message: string) => {
    clearSession();
    showSignIn(S.signedOut(message));
  };

  function enter(api: Api, projects: Project[], session: Session): void {
    const projectId = projects.some((p) => p.id === session.projectId) ? session.projectId! : projects[0]!.id;
    saveSession({ ...session, projectId });
    unmount?.();
    unmount = mountInbox({
      root: app!,
      base,
      api,
      projects,
      projectId,
      onProjectChange: (id) => saveSession({ ...session, projectId: id }),
      onSignOut: () => {
        clearSession();
        showSignIn();
      },
    });
  }

  async function signIn(credentials: Credentials): Promise<string | undefined> {
    let refusal: string | undefined;
    const api = createApi({ base, credentials, onUnauthorized: (message) => (refusal = message) });
    try {
      const projects = await api.listProjects();
      if (projects.length === 0) return S.noProjects;
      enter(createApi({ base, credentials, onUnauthorized: signedOut }), projects, { credentials });
      return undefined;
    } catch (error) {
      return S.signInFailed(refusal ?? errorText(error));
    }
  }

  const session = loadSession();
  if (!session) return showSignIn();
  app.replaceChildren(S.loading);
  const api = createApi({ base, credentials: session.credentials, onUnauthorized: signedOut });
  api.listProjects().then(
    (projects) => (projects.length ? enter(api, projects, session) : signedOut(S.noProjects)),
    (error: unknown) => {
      if (!isSignedOut(error)) showSignIn(errorText(error));
    },
  );
}

boot();
