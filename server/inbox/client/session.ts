/** The tab's sign-in, kept in sessionStorage: it survives a reload, and closing the tab forgets it. */
import type { Credentials } from './types.ts';

const STORAGE_KEY = 'loupe-inbox-session';

/** What a tab remembers: how it signed in, and the project it last looked at. */
export interface Session {
  credentials: Credentials;
  projectId?: string;
}

function isCredentials(value: unknown): value is Credentials {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'key') return typeof v.kid === 'string' && typeof v.secret === 'string';
  return v.kind === 'admin' && typeof v.token === 'string';
}

/** The stored session, or undefined when there is none (or it is unreadable). */
export function loadSession(): Session | undefined {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Session> | null;
    if (!parsed || !isCredentials(parsed.credentials)) return undefined;
    return { credentials: parsed.credentials, projectId: typeof parsed.projectId === 'string' ? parsed.projectId : undefined };
  } catch {
    return undefined;
  }
}

/** Remembers the session for this tab. */
export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

/** Forgets the session (signing out, or a refusal from the server). */
export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
