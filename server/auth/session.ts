/**
 * Session cookies for people signed in to the inbox: a random token in an `HttpOnly`,
 * `SameSite=Lax` cookie (`Secure` on https), stored only as its SHA-256, with a CSRF token
 * that every state-changing request made with the cookie must echo in a header.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as z from 'zod/mini';
import { SESSION_COOKIE } from '../constants.ts';
import type { Session, TeamStore, User } from '../storage/team-types.ts';
import type { Access } from './access.ts';

/** base64url SHA-256 of a token: what the database keeps of cookies and one-time tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** A new random token (cookie, CSRF, one-time link). */
export function newToken(): string {
  return randomBytes(SESSION_COOKIE.tokenBytes).toString('base64url');
}

// Secure when the server is reached over https (its public URL says so behind a proxy).
function isHttps(c: Context, publicUrl: string | undefined): boolean {
  return (publicUrl ?? c.req.url).startsWith('https:');
}

/** A user as answers show them: never their password hash. */
export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.nullable(z.string()), serverOwner: z.boolean() });

/** What signing in answers: the person and the CSRF token the inbox must send back. */
export const signedInSchema = z.object({ user: userSchema, csrfToken: z.string() });
export type SignedIn = z.infer<typeof signedInSchema>;

/** The public view of a user. */
export function userJson(user: User): SignedIn['user'] {
  return { id: user.id, email: user.email, name: user.name, serverOwner: user.serverOwner };
}

/** Starts a session for `user`: stores it and sets the cookie on the answer. */
export async function startSession(
  c: Context,
  team: TeamStore,
  user: User,
  options: { nowMs: number; publicUrl?: string },
): Promise<SignedIn> {
  const token = newToken();
  const session: Session = {
    idHash: hashToken(token),
    userId: user.id,
    csrfToken: newToken(),
    createdAt: new Date(options.nowMs).toISOString(),
    expiresAt: new Date(options.nowMs + SESSION_COOKIE.maxAgeMs).toISOString(),
  };
  await team.insertSession(session);
  setCookie(c, SESSION_COOKIE.name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, options.publicUrl),
    maxAge: Math.floor(SESSION_COOKIE.maxAgeMs / 1000),
  });
  return { user: userJson(user), csrfToken: session.csrfToken };
}

/** Ends the request's session, if any: deletes it and clears the cookie. */
export async function endSession(c: Context, team: TeamStore, publicUrl: string | undefined): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE.name);
  if (token !== undefined) await team.deleteSession(hashToken(token));
  deleteCookie(c, SESSION_COOKIE.name, { path: '/', secure: isHttps(c, publicUrl) });
}

/** The access of the request's session cookie, or `undefined` without a live one. */
export async function readSession(c: Context, team: TeamStore, nowMs: number): Promise<Access | undefined> {
  const token = getCookie(c, SESSION_COOKIE.name);
  if (token === undefined || token.length > 200) return undefined;
  const session = await team.getSession(hashToken(token), new Date(nowMs).toISOString());
  if (!session) return undefined;
  const user = await team.getUser(session.userId);
  return user ? { kind: 'user', user, csrfToken: session.csrfToken } : undefined;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a cookie-authenticated request may go on: safe methods, or the session's CSRF token in its header. */
export function passesCsrf(c: Context, access: Extract<Access, { kind: 'user' }>): boolean {
  if (SAFE_METHODS.has(c.req.method)) return true;
  const sent = c.req.header(SESSION_COOKIE.csrfHeader) ?? '';
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return sent !== '' && timingSafeEqual(digest(sent), digest(access.csrfToken));
}
