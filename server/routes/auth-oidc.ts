/**
 * Single sign-on under /api/auth/oidc (docs/team-api.md "Signing in"): the start, which sends
 * the browser to the OpenID provider, and the callback, which signs in the existing account
 * with the e-mail the provider verified. No account is ever made here: people come in by
 * invitation (or as the server's owner).
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createOidcProvider, openPending, sealPending, type OidcConfig } from '../auth/oidc.ts';
import { startSession } from '../auth/session.ts';
import type { SignInLimit } from '../auth/sign-in-limit.ts';
import { OIDC, TEAM_ERRORS } from '../constants.ts';
import { renderSsoError, SSO_ERROR_CSP, type SsoRefusal } from '../pages/sign-in-error.ts';
import type { ReadApiOptions } from './read-api.ts';
import { publicBase } from './upload-form.ts';

/** What the routes need beyond the read API's options. */
export interface OidcRouteOptions extends ReadApiOptions {
  oidc: OidcConfig | undefined;
  limit: SignInLimit;
}

const PAGE_HEADERS = { 'Content-Security-Policy': SSO_ERROR_CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

const STATUS: Record<SsoRefusal, 400 | 403 | 429> = {
  state: 400,
  provider: 400,
  'no-email': 403,
  unverified: 403,
  'no-account': 403,
  'too-many': 429,
};

/** The sub-app to mount at `/api/auth/oidc`; every route answers 404 when single sign-on is off. */
export function createOidcRoutes(options: OidcRouteOptions): Hono {
  const { oidc, limit, nowMs } = options;
  const team = options.storage.team;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const provider = oidc ? createOidcProvider(oidc) : undefined;
  const api = new Hono();
  const redirectUri = (c: Context) => `${publicBase(c, options.publicUrl)}${OIDC.callbackPath}`;
  // Only the callback is sent the cookie, wherever the public URL puts it.
  const cookiePath = (c: Context) => new URL(redirectUri(c)).pathname;
  const secure = (c: Context) => redirectUri(c).startsWith('https:');

  api.use('*', async (c, next) => (provider ? next() : c.json({ error: TEAM_ERRORS.noOidc }, 404)));

  api.get('/', async (c) => {
    let started;
    try {
      started = await provider!.start(redirectUri(c), nowMs());
    } catch (error) {
      logError('OpenID provider discovery failed', error);
      return refuse(c, 'provider');
    }
    // Lax: the provider's redirect back is a top-level GET from another site, which Lax lets through.
    setCookie(c, OIDC.stateCookie, sealPending(started.pending, options.masterKey), {
      path: cookiePath(c),
      httpOnly: true,
      sameSite: 'Lax',
      secure: secure(c),
      maxAge: Math.floor(OIDC.stateTtlMs / 1000),
    });
    c.header('Cache-Control', 'no-store');
    return c.redirect(started.url, 302);
  });

  api.get('/callback', async (c) => {
    const address = options.remoteAddress(c);
    const verdict = await limit.checkAddress(address);
    if (!verdict.ok) return refuse(c, 'too-many', { 'Retry-After': String(verdict.retryAfterSeconds) });
    const pending = openPending(getCookie(c, OIDC.stateCookie), options.masterKey);
    // One use: whatever happens next, the cookie goes.
    deleteCookie(c, OIDC.stateCookie, { path: cookiePath(c), secure: secure(c) });
    // The provider answered the public redirect URI: that is what the code was issued for.
    const callbackUrl = new URL(redirectUri(c));
    callbackUrl.search = new URL(c.req.url).search;
    const outcome = await provider!.finish(callbackUrl, pending, nowMs());
    if (!outcome.ok) {
      // A person who cancels at the provider comes back with `error`: nothing went wrong here.
      if (outcome.reason === 'provider' && !callbackUrl.searchParams.has('error')) logError('OpenID sign-in failed at the provider', outcome.error);
      await limit.failedAddress(address);
      return refuse(c, outcome.reason);
    }
    const user = await team.getUserByEmail(outcome.email);
    if (!user) {
      await limit.failed(outcome.email, address);
      return refuse(c, 'no-account');
    }
    await startSession(c, team, user, { nowMs: nowMs(), publicUrl: options.publicUrl });
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${publicBase(c, options.publicUrl)}/`, 302);
  });

  function refuse(c: Context, reason: SsoRefusal, headers: Record<string, string> = {}): Response {
    return c.html(renderSsoError(reason, `${publicBase(c, options.publicUrl)}/`), STATUS[reason], { ...PAGE_HEADERS, ...headers });
  }

  return api;
}
