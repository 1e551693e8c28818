/**
 * Single sign-on against a real OpenID provider on loopback (oidc-provider): the whole
 * browser round trip over HTTP, and the refusals (no account, unverified e-mail, state
 * tampered with or missing, too many failures, not configured).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcConfigFromEnv } from '../../server/auth/oidc.ts';
import { OIDC, SIGN_IN_LIMITS, TEAM_ERRORS } from '../../server/constants.ts';
import { SSO_ERROR_STRINGS } from '../../server/pages/sign-in-error.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { listenProvider, TestBrowser, UNVERIFIED_PREFIX, type TestProvider } from './oidc-helpers.ts';
import { call, makeUser } from './team-auth-helpers.ts';

let t: TestServer;
let provider: TestProvider;

beforeAll(async () => {
  const listening = await listenProvider();
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  t = await startTestServer({ oidc: { issuer: listening.issuer, clientId: 'loupe-test', clientSecret, name: 'Sign in with Acme' } });
  provider = listening.attach(`${t.url}${OIDC.callbackPath}`);
  await makeUser(t, 'ada@example.com', { name: 'Ada' });
  await makeUser(t, `${UNVERIFIED_PREFIX}@example.com`);
});
afterAll(async () => {
  await t?.stop();
  await provider?.stop();
});

/** The session the browser's Loupe cookie holds: GET /api/auth/session. */
async function sessionOf(browser: TestBrowser): Promise<Response> {
  return browser.request(`${t.url}/api/auth/session`);
}

describe('GET /api/auth/oidc', () => {
  it('signs a known user in and sends them to the inbox', async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${t.url}/api/auth/oidc`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.url}${OIDC.callbackPath}`);
    const stateCookie = start.headers.getSetCookie().find((line) => line.startsWith(`${OIDC.stateCookie}=`))!;
    expect(stateCookie).toMatch(/HttpOnly/i);
    expect(stateCookie).toMatch(/SameSite=Lax/i);
    expect(stateCookie).toContain(`Path=${OIDC.callbackPath}`);

    const end = await browser.follow(authorize.href, 'ADA@example.com');
    expect(end.url).toBe(`${t.url}/`);
    expect(browser.jar(t.url).has(OIDC.stateCookie)).toBe(false);
    const session = await sessionOf(browser);
    expect(session.status).toBe(200);
    expect((await session.json()).user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  it('refuses an e-mail without an account, and makes none', async () => {
    const browser = new TestBrowser();
    const end = await browser.follow(`${t.url}/api/auth/oidc`, 'nobody@example.com');
    expect(end.response.status).toBe(403);
    expect(end.url).toContain(OIDC.callbackPath);
    expect(end.body).toContain(SSO_ERROR_STRINGS.reasons['no-account']);
    expect((await sessionOf(browser)).status).toBe(401);
    expect(await t.server.storage.team.getUserByEmail('nobody@example.com')).toBeUndefined();
  });

  it('refuses an e-mail the provider has not verified', async () => {
    const browser = new TestBrowser();
    const end = await browser.follow(`${t.url}/api/auth/oidc`, `${UNVERIFIED_PREFIX}@example.com`);
    expect(end.response.status).toBe(403);
    expect(end.body).toContain(SSO_ERROR_STRINGS.reasons.unverified);
    expect((await sessionOf(browser)).status).toBe(401);
  });

  it('turns back a person who cancels at the provider, without logging an error', async () => {
    const browser = new TestBrowser();
    const logged = t.loggedErrors.length;
    const end = await browser.follow(`${t.url}/api/auth/oidc`, 'ada@example.com', {
      rewrite: (url) => (/^\/interaction\/[^/]+$/.test(url.pathname) ? new URL(`${url.pathname}/abort`, url) : url),
    });
    expect(end.url).toContain(`${OIDC.callbackPath}?error=access_denied`);
    expect(end.response.status).toBe(400);
    expect(end.body).toContain(SSO_ERROR_STRINGS.reasons.provider);
    expect((await sessionOf(browser)).status).toBe(401);
    expect(t.loggedErrors.length).toBe(logged);
  });

  it('refuses a callback whose state was changed', async () => {
    const browser = new TestBrowser();
    const end = await browser.follow(`${t.url}/api/auth/oidc`, 'ada@example.com', {
      rewrite: (url) => {
        if (url.pathname === OIDC.callbackPath) url.searchParams.set('state', 'forged-state-value');
        return url;
      },
    });
    expect(end.response.status).toBe(400);
    expect(end.body).toContain(SSO_ERROR_STRINGS.reasons.state);
    expect((await sessionOf(browser)).status).toBe(401);
  });

  it('refuses a callback without the state cookie, or with one that was changed', async () => {
    for (const change of [(jar: Map<string, string>) => jar.delete(OIDC.stateCookie), (jar: Map<string, string>) => jar.set(OIDC.stateCookie, `${jar.get(OIDC.stateCookie)}x`)]) {
      const browser = new TestBrowser();
      const end = await browser.follow(`${t.url}/api/auth/oidc`, 'ada@example.com', {
        rewrite: (url) => {
          if (url.pathname === OIDC.callbackPath) change(browser.jar(t.url));
          return url;
        },
      });
      expect(end.response.status).toBe(400);
      expect((await sessionOf(browser)).status).toBe(401);
    }
  });
});

describe('what the sign-in screen is offered', () => {
  it('lists single sign-on with its name when configured', async () => {
    const answer = await call(t, '/api/auth/methods');
    expect(answer.json).toEqual({ password: true, oidc: { name: 'Sign in with Acme' } });
  });

  it('answers 404 and lists no single sign-on when not configured', async () => {
    const off = await startTestServer({ oidc: false });
    try {
      for (const path of ['/api/auth/oidc', `${OIDC.callbackPath}?code=x&state=y`]) {
        const answer = await call(off, path);
        expect(answer.status).toBe(404);
        expect(answer.json).toEqual({ error: TEAM_ERRORS.noOidc });
      }
      expect((await call(off, '/api/auth/methods')).json).toEqual({ password: true, oidc: null });
    } finally {
      await off.stop();
    }
  });
});

/** GET `path` from a loopback `localAddress`: the status and the Retry-After header. */
function getFrom(path: string, localAddress: string): Promise<{ status: number; retryAfter?: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
    })
      .on('error', reject)
      .end();
  });
}

describe('failed callbacks', () => {
  it('count on the sign-in limit of the address: past it, 429 with Retry-After', async () => {
    const address = '127.0.0.9';
    for (let i = 0; i < SIGN_IN_LIMITS.addressFailuresPerMin; i++) {
      expect((await getFrom(`${OIDC.callbackPath}?code=x&state=y`, address)).status).toBe(400);
    }
    const refused = await getFrom(`${OIDC.callbackPath}?code=x&state=y`, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });
});

describe('the OIDC_* environment', () => {
  it('is off without OIDC_ISSUER, on with all three, and refused half set', () => {
    expect(oidcConfigFromEnv({})).toBeUndefined();
    const env = { OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'loupe', OIDC_CLIENT_SECRET: 'secret' };
    expect(oidcConfigFromEnv(env)).toEqual({ issuer: 'https://id.example.com', clientId: 'loupe', clientSecret: 'secret', name: undefined });
    expect(oidcConfigFromEnv({ ...env, OIDC_NAME: 'Acme SSO' })?.name).toBe('Acme SSO');
    expect(() => oidcConfigFromEnv({ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'loupe' })).toThrow(/OIDC_CLIENT_SECRET/);
    expect(() => oidcConfigFromEnv({ ...env, OIDC_ISSUER: 'not a url' })).toThrow();
  });
});
