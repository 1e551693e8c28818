/**
 * The tab's sign-in, kept in sessionStorage: it survives a reload, and closing the tab forgets
 * it. A tool's key or token is kept; a person's session is the server's cookie, so only the
 * project they last looked at is (the CSRF token comes back from GET /api/auth/session).
 */
import type { Credentials } from './types.ts';

const STORAGE_KEY = 'loupe-inbox-session';

/** What a tab remembers: how it signed in, and the project it last looked at. */
export interface Session {
  credentials: Credentials;
  projectId?: string;
}

/** What a reload finds: a tool's credentials (none for a person's session), and the project. */
export interface StoredSession {
  credentials?: Exclude<Credentials, { kind: 'session' }>;
  projectId?: string;
}

function isToolCredentials(value: unknown): value is StoredSession['credentials'] {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'key') return typeof v.kid === 'string' && typeof v.secret === 'string';
  return v.kind === 'admin' && typeof v.token === 'string';
}

/** The stored session (possibly empty when there is none, or it is unreadable). */
export function loadSession(): StoredSession {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Record<string, unknown> | null;
    if (!parsed || typeof parsed !== 'object') return {};
    return {
      credentials: isToolCredentials(parsed.credentials) ? parsed.credentials : undefined,
      projectId: typeof parsed.projectId === 'string' ? parsed.projectId : undefined,
    };
  } catch {
    return {};
  }
}

/** Remembers the session for this tab (never a person's CSRF token). */
export function saveSession(session: Session): void {
  const credentials = session.credentials.kind === 'session' ? undefined : session.credentials;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ credentials, projectId: session.projectId }));
}

/** Forgets the session (signing out, or a refusal from the server). */
export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
