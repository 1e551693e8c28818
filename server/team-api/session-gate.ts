/**
 * The signed-in person of a request on the routes only people use (`/api/me`, sign-out,
 * accepting an invitation): the session cookie, with its CSRF token on state-changing requests.
 */
import type { Context } from 'hono';
import type { Access } from '../auth/access.ts';
import { passesCsrf, readSession } from '../auth/session.ts';
import { TEAM_ERRORS } from '../constants.ts';
import type { TeamStore } from '../storage/team-types.ts';

/** A signed-in person's access. */
export type UserAccess = Extract<Access, { kind: 'user' }>;

/**
 * The session of the request: `undefined` without a live one, or the 403 answer when a
 * state-changing request lacks its CSRF token.
 */
export async function sessionOf(c: Context, team: TeamStore, nowMs: number): Promise<UserAccess | Response | undefined> {
  const access = await readSession(c, team, nowMs);
  if (access?.kind !== 'user') return undefined;
  return passesCsrf(c, access) ? access : c.json({ error: TEAM_ERRORS.csrf }, 403);
}

/** As sessionOf, but without a session the 401 answer. */
export async function signedIn(c: Context, team: TeamStore, nowMs: number): Promise<UserAccess | Response> {
  return (await sessionOf(c, team, nowMs)) ?? c.json({ error: TEAM_ERRORS.signInRequired }, 401);
}
