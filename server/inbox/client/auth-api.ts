/** The calls made before a session exists: signing in (password, one-time link), restoring, invitations. */
import { ApiError, createApi } from './api.ts';
import type { InvitationInfo, SignInMethods, SignedIn } from './team-types.ts';

/** The calls that sign a person in; each resolves to the new session, or throws an ApiError. */
export interface AuthApi {
  signIn(email: string, password: string): Promise<SignedIn>;
  signInWithLink(token: string): Promise<SignedIn>;
  /** The session the cookie holds, or undefined when there is none. */
  restore(): Promise<SignedIn | undefined>;
  invitation(token: string): Promise<InvitationInfo>;
  /** How this server lets people sign in (GET /api/auth/methods). */
  methods(): Promise<SignInMethods>;
  /** Accepts as a new account (not signed in). */
  acceptAsNew(token: string, body: { name: string; email: string; password: string }): Promise<SignedIn & { project: { id: string; name: string } }>;
}

/** The sign-in calls against the server at `base`. */
export function createAuthApi(base: URL): AuthApi {
  // No session yet, so no CSRF token to send; a 401 here is an answer, not a sign-out.
  const { request } = createApi({ base, credentials: { kind: 'session', csrfToken: '' }, onUnauthorized: () => undefined });
  const e = encodeURIComponent;
  return {
    signIn: (email, password) => request('POST', 'api/auth/sign-in', { email, password }),
    signInWithLink: (token) => request('POST', 'api/auth/sign-in/link', { token }),
    async restore() {
      try {
        return await request<SignedIn>('GET', 'api/auth/session');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return undefined;
        throw error;
      }
    },
    invitation: (token) => request('GET', `api/invitations/${e(token)}`),
    methods: () => request('GET', 'api/auth/methods'),
    acceptAsNew: (token, body) => request('POST', `api/invitations/${e(token)}/accept`, body),
  };
}
