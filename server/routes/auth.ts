/**
 * Signing in to the inbox, under /api/auth (docs/team-api.md "Signing in"): password or
 * one-time link, the session, signing out, password resets by e-mail, and single sign-on
 * (routes/auth-oidc.ts) when an OpenID provider is configured.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { checkPassword, hashPassword } from '../auth/passwords.ts';
import type { OidcConfig } from '../auth/oidc.ts';
import { inboxLink, issueToken, useToken } from '../auth/one-time.ts';
import { endSession, readSession, startSession, userJson } from '../auth/session.ts';
import { createSignInLimit } from '../auth/sign-in-limit.ts';
import { OIDC, TEAM_ERRORS } from '../constants.ts';
import type { User } from '../storage/team-types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { passwordResetEmail } from '../team-api/emails.ts';
import { resetBody, resetConfirmBody, signInBody, tokenBody } from '../team-api/schemas.ts';
import { sessionOf } from '../team-api/session-gate.ts';
import { createOidcRoutes } from './auth-oidc.ts';
import type { ReadApiOptions } from './read-api.ts';
import { publicBase } from './upload-form.ts';

/** What the sign-in screen may offer: passwords always, single sign-on (its button's label) when configured. */
export const signInMethodsSchema = z.object({ password: z.literal(true), oidc: z.nullable(z.object({ name: z.string() })) });

/** The sub-app to mount at `/api/auth`. */
export function createAuthRoutes(options: ReadApiOptions & { oidc?: OidcConfig }): Hono {
  const { storage, nowMs } = options;
  const team = storage.team;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const limit = createSignInLimit({ storage, nowMs, logError });
  const api = new Hono();
  const signIn = async (c: Context, user: User) =>
    c.json(await startSession(c, team, user, { nowMs: nowMs(), publicUrl: options.publicUrl }));

  // What the sign-in screen offers: passwords always, single sign-on when configured.
  api.get('/methods', (c) => c.json({ password: true, oidc: options.oidc ? { name: options.oidc.name ?? OIDC.defaultName } : null }));
  api.route('/oidc', createOidcRoutes({ ...options, oidc: options.oidc, limit }));

  api.post('/sign-in', teamBodyCap, async (c) => {
    const body = await readBody(c, signInBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const { email, password } = body.value;
    const address = options.remoteAddress(c);
    const verdict = await limit.check(email, address);
    if (!verdict.ok) return c.json({ error: TEAM_ERRORS.tooManySignIns }, 429, { 'Retry-After': String(verdict.retryAfterSeconds) });
    const user = await team.getUserByEmail(email);
    // An unknown e-mail costs one hash too, so the answer's time does not tell who has an account.
    if (!(await checkPassword(user?.passwordHash ?? null, password)) || !user) {
      await limit.failed(email, address);
      return c.json({ error: TEAM_ERRORS.wrongPassword }, 401);
    }
    return signIn(c, user);
  });

  api.post('/sign-in/link', teamBodyCap, async (c) => {
    const body = await readBody(c, tokenBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const token = await useToken(team, body.value.token, 'sign_in', nowMs());
    const user = token?.userId ? await team.getUser(token.userId) : undefined;
    return user ? signIn(c, user) : c.json({ error: TEAM_ERRORS.badLink }, 401);
  });

  api.get('/session', async (c) => {
    const access = await readSession(c, team, nowMs());
    if (access?.kind !== 'user') return c.json({ error: TEAM_ERRORS.signInRequired }, 401);
    return c.json({ user: userJson(access.user), csrfToken: access.csrfToken });
  });

  // With a live session the CSRF token is needed (no page elsewhere may sign anyone out); without, it only clears the cookie.
  api.post('/sign-out', async (c) => {
    const access = await sessionOf(c, team, nowMs());
    if (access instanceof Response) return access;
    await endSession(c, team, options.publicUrl);
    return c.body(null, 204);
  });

  api.post('/password-reset', teamBodyCap, async (c) => {
    const body = await readBody(c, resetBody);
    if (!body.ok) return invalidBody(c, body.issues);
    if (!options.emailEnabled) return c.json({ error: TEAM_ERRORS.noEmail }, 503);
    const { email } = body.value;
    const user = await team.getUserByEmail(email);
    // Over its limit, an account gets no more e-mails for a while; the answer is the same.
    if (user && (await limit.mayEmailReset(email))) {
      const now = nowMs();
      const { token } = await issueToken(team, 'password_reset', { userId: user.id }, now);
      const url = inboxLink(publicBase(c, options.publicUrl), 'passwordReset', token);
      await team.record({ emails: [passwordResetEmail(user.email, url, now)] });
    }
    return c.json({}, 202);
  });

  api.post('/password-reset/confirm', teamBodyCap, async (c) => {
    const body = await readBody(c, resetConfirmBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const token = await useToken(team, body.value.token, 'password_reset', nowMs());
    const user = token?.userId ? await team.getUser(token.userId) : undefined;
    if (!user) return c.json({ error: TEAM_ERRORS.badResetLink }, 401);
    // Every session of theirs goes with the old password (setPasswordHash); this one is new.
    await team.setPasswordHash(user.id, await hashPassword(body.value.password));
    return signIn(c, user);
  });

  return api;
}
