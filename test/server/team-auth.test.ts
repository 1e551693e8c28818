import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../server/auth/one-time.ts';
import { createClient } from '../../server/clients.ts';
import { SIGN_IN_LIMITS } from '../../server/constants.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { addMember, browserOf, call, makeUser, PASSWORD, sessionCookie, signIn } from './team-auth-helpers.ts';

const ADMIN_TOKEN = 'admin-token-for-team-tests-0123';
let t: TestServer;
// The server's clock: tests move it to expire links.
let nowMs = Date.now();
// Each test that fails sign-ins on purpose does it from its own loopback addresses.
let nextAddress = 10;
const freshAddress = () => `127.0.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 2}`;

beforeAll(async () => {
  t = await startTestServer({ adminToken: ADMIN_TOKEN, nowMs: () => nowMs, emailEnabled: true });
});
afterAll(() => t.stop());

const post = (path: string, body: unknown, localAddress?: string) => call(t, path, { method: 'POST', body, localAddress });

describe('POST /api/auth/sign-in', () => {
  it('signs in with the right password: the user, a CSRF token and an HttpOnly SameSite=Lax cookie', async () => {
    const user = await makeUser(t, 'ada@example.com', { name: 'Ada' });
    const answer = await post('/api/auth/sign-in', { email: ' Ada@Example.COM ', password: PASSWORD });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ user: { id: user.id, email: 'ada@example.com', name: 'Ada', serverOwner: false }, csrfToken: expect.any(String) });
    const setCookie = String(answer.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const session = await call(t, '/api/auth/session', { as: browserOf(answer) });
    expect(session.json).toEqual(answer.json);
  });

  it('refuses a wrong password and an unknown e-mail alike (401), without a cookie', async () => {
    await makeUser(t, 'bob@example.com');
    const from = freshAddress();
    const wrong = await post('/api/auth/sign-in', { email: 'bob@example.com', password: 'not the password' }, from);
    const unknown = await post('/api/auth/sign-in', { email: 'nobody@example.com', password: PASSWORD }, from);
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: 'Wrong e-mail or password' });
      expect(sessionCookie(answer)).toBeUndefined();
    }
  });

  it('answers 400 with issues for a malformed body, and refuses a body not sent as JSON', async () => {
    const bad = await post('/api/auth/sign-in', { email: 'not an address', password: 1, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: 'Invalid body',
      issues: { email: ['Must be an e-mail address'], password: ['Must be a string'], extra: ['Unknown field'] },
    });
    const form = await call(t, '/api/auth/sign-in', {
      method: 'POST',
      body: 'email=ada%40example.com&password=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(400);
    expect(form.json.issues).toEqual({ body: ['Must be sent as application/json'] });
    expect((await post('/api/auth/sign-in', '{not json')).json.issues).toEqual({ body: ['Body must be valid JSON'] });
  });

  it('limits failures per account across addresses: 429 with Retry-After, even for the right password', async () => {
    await makeUser(t, 'carol@example.com');
    for (let i = 0; i < SIGN_IN_LIMITS.accountFailuresPerMin; i++) {
      const answer = await post('/api/auth/sign-in', { email: 'carol@example.com', password: `guess ${i}!!` }, freshAddress());
      expect(answer.status).toBe(401);
    }
    const limited = await post('/api/auth/sign-in', { email: 'carol@example.com', password: PASSWORD }, freshAddress());
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: 'Too many failed sign-ins, try again later' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account is not held up, and after the wait the account signs in again.
    await makeUser(t, 'dave@example.com');
    expect((await post('/api/auth/sign-in', { email: 'dave@example.com', password: PASSWORD }, freshAddress())).status).toBe(200);
    nowMs += 60_000;
    expect((await post('/api/auth/sign-in', { email: 'carol@example.com', password: PASSWORD }, freshAddress())).status).toBe(200);
  });

  it('limits failures per address across accounts', async () => {
    await makeUser(t, 'erin@example.com');
    const from = freshAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.addressFailuresPerMin; i++) {
      expect((await post('/api/auth/sign-in', { email: `someone${i}@example.com`, password: 'guessing!' }, from)).status).toBe(401);
    }
    const limited = await post('/api/auth/sign-in', { email: 'erin@example.com', password: PASSWORD }, from);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post('/api/auth/sign-in', { email: 'erin@example.com', password: PASSWORD }, freshAddress())).status).toBe(200);
    nowMs += 60_000;
  });
});

describe('POST /api/auth/sign-in/link', () => {
  it('signs in once: the same link again is refused', async () => {
    const user = await makeUser(t, 'link@example.com');
    const { token } = await issueToken(t.server.storage.team, 'sign_in', { userId: user.id }, nowMs);
    const first = await post('/api/auth/sign-in/link', { token });
    expect(first.status).toBe(200);
    expect(first.json.user.id).toBe(user.id);
    expect(sessionCookie(first)).toBeDefined();
    const again = await post('/api/auth/sign-in/link', { token });
    expect(again.status).toBe(401);
    expect(again.json).toEqual({ error: 'This sign-in link is invalid, used or expired' });
  });

  it('refuses an expired link (after an hour), an unknown one, and a token of another purpose', async () => {
    const user = await makeUser(t, 'late@example.com');
    const team = t.server.storage.team;
    const { token } = await issueToken(team, 'sign_in', { userId: user.id }, nowMs - 60 * 60 * 1000 - 1);
    const reset = await issueToken(team, 'password_reset', { userId: user.id }, nowMs);
    for (const sent of [token, 'A'.repeat(43), reset.token]) {
      expect((await post('/api/auth/sign-in/link', { token: sent })).status).toBe(401);
    }
    expect((await post('/api/auth/sign-in/link', {})).json.issues).toEqual({ token: ['Must be the token of a link'] });
  });
});

describe('sessions, CSRF and sign-out', () => {
  it('GET /api/auth/session is 401 without a cookie or with an unknown one', async () => {
    expect(await call(t, '/api/auth/session')).toMatchObject({ status: 401, json: { error: 'Sign in first' } });
    expect((await call(t, '/api/auth/session', { headers: { Cookie: 'loupe_session=nope' } })).status).toBe(401);
  });

  it('a state-changing request with the cookie needs X-CSRF-Token; one with a bearer token does not', async () => {
    const client = await createClient(t.server.storage, { name: 'CSRF' });
    const user = await makeUser(t, 'csrf@example.com');
    await addMember(t, client.id, user.id, 'member');
    const browser = await signIn(t, 'csrf@example.com');
    const path = `/api/me/projects/${client.id}`;
    const body = { notifyNewReports: true };
    for (const headers of [{}, { 'X-CSRF-Token': 'wrong' }] as Record<string, string>[]) {
      const refused = await call(t, path, { method: 'PATCH', body, headers: { Cookie: browser.cookie, ...headers } });
      expect(refused).toMatchObject({ status: 403, json: { error: 'Missing or wrong CSRF token' } });
    }
    expect((await call(t, path, { method: 'PATCH', body, as: browser })).status).toBe(200);
    // The read API takes the cookie the same way, and a bearer token without any CSRF token.
    const projectPath = `/api/projects/${client.id}/keys`;
    const noCsrf = await call(t, projectPath, { method: 'POST', body: {}, as: browser, csrf: false });
    expect(noCsrf).toMatchObject({ status: 403, json: { error: 'Missing or wrong CSRF token' } });
    expect((await call(t, projectPath, { method: 'POST', body: {}, bearer: ADMIN_TOKEN })).status).toBe(201);
  });

  it('sign-out deletes the session: the old cookie no longer works; without the CSRF token it is refused', async () => {
    await makeUser(t, 'leaving@example.com');
    const browser = await signIn(t, 'leaving@example.com');
    expect((await call(t, '/api/auth/sign-out', { method: 'POST', as: browser, csrf: false })).status).toBe(403);
    const out = await call(t, '/api/auth/sign-out', { method: 'POST', as: browser });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/loupe_session=;/);
    expect((await call(t, '/api/auth/session', { as: browser })).status).toBe(401);
    expect((await call(t, '/api/me', { as: browser })).status).toBe(401);
    expect((await call(t, '/api/projects', { as: browser })).status).toBe(401);
    // Signing out again, without a session, just clears the cookie.
    expect((await call(t, '/api/auth/sign-out', { method: 'POST', as: browser })).status).toBe(204);
  });
});

describe('password reset', () => {
  const emailsTo = async (to: string) => (await t.server.storage.team.listEmails()).filter((email) => email.to === to);
  const tokenIn = (text: string) => /#reset-password=([A-Za-z0-9_-]+)/.exec(text)?.[1];

  it('answers 202 for an unknown address and queues nothing', async () => {
    const answer = await post('/api/auth/password-reset', { email: 'ghost@example.com' });
    expect(answer.status).toBe(202);
    expect(await emailsTo('ghost@example.com')).toEqual([]);
  });

  it('queues a one-time link; confirming sets the password, signs in and signs out every other session', async () => {
    await makeUser(t, 'forgot@example.com');
    const elsewhere = await signIn(t, 'forgot@example.com');
    expect((await post('/api/auth/password-reset', { email: 'forgot@example.com' })).status).toBe(202);
    const [email] = await emailsTo('forgot@example.com');
    expect(email?.subject).toBe('Reset your Loupe password');
    const token = tokenIn(email!.text)!;
    expect(email!.text).toContain(`${t.url}/#reset-password=${token}`);
    expect(email!.html).toContain(`href="${t.url}/#reset-password=${token}"`);

    const short = await post('/api/auth/password-reset/confirm', { token, password: 'short' });
    expect(short).toMatchObject({ status: 400, json: { issues: { password: ['Must be 8 to 256 characters'] } } });
    const confirmed = await post('/api/auth/password-reset/confirm', { token, password: 'a brand new password' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.user.email).toBe('forgot@example.com');
    expect((await call(t, '/api/auth/session', { as: browserOf(confirmed) })).status).toBe(200);
    expect((await call(t, '/api/auth/session', { as: elsewhere })).status).toBe(401);
    expect((await post('/api/auth/sign-in', { email: 'forgot@example.com', password: PASSWORD }, freshAddress())).status).toBe(401);
    expect((await post('/api/auth/sign-in', { email: 'forgot@example.com', password: 'a brand new password' })).status).toBe(200);
    const again = await post('/api/auth/password-reset/confirm', { token, password: 'yet another password' });
    expect(again).toMatchObject({ status: 401, json: { error: 'This password reset link is invalid, used or expired' } });
  });

  it('a reset link expires after an hour', async () => {
    await makeUser(t, 'slow@example.com');
    await post('/api/auth/password-reset', { email: 'slow@example.com' });
    const token = tokenIn((await emailsTo('slow@example.com'))[0]!.text)!;
    nowMs += 60 * 60 * 1000 + 1;
    expect((await post('/api/auth/password-reset/confirm', { token, password: 'too late now!' })).status).toBe(401);
  });

  it('is 503 on a server without e-mail', async () => {
    const bare = await startTestServer();
    try {
      const answer = await call(bare, '/api/auth/password-reset', { method: 'POST', body: { email: 'ada@example.com' } });
      expect(answer).toMatchObject({ status: 503, json: { error: 'E-mail is not set up on this server (SMTP_URL)' } });
    } finally {
      await bare.stop();
    }
  });
});

describe('GET /api/me and PATCH /api/me/projects/:clientId', () => {
  it('lists the projects with role and e-mail choice; the choice changes for a member only', async () => {
    const mine = await createClient(t.server.storage, { name: 'Mine' });
    const theirs = await createClient(t.server.storage, { name: 'Theirs' });
    const user = await makeUser(t, 'me@example.com', { name: 'Me' });
    await addMember(t, mine.id, user.id, 'viewer');
    const browser = await signIn(t, 'me@example.com');
    const me = await call(t, '/api/me', { as: browser });
    expect(me.json).toEqual({
      user: { id: user.id, email: 'me@example.com', name: 'Me', serverOwner: false },
      projects: [{ id: mine.id, name: 'Mine', role: 'viewer', notifyNewReports: false }],
    });
    const patched = await call(t, `/api/me/projects/${mine.id}`, { method: 'PATCH', body: { notifyNewReports: true }, as: browser });
    expect(patched.json).toEqual({ id: mine.id, name: 'Mine', role: 'viewer', notifyNewReports: true });
    expect((await call(t, '/api/me', { as: browser })).json.projects[0].notifyNewReports).toBe(true);
    const other = await call(t, `/api/me/projects/${theirs.id}`, { method: 'PATCH', body: { notifyNewReports: true }, as: browser });
    expect(other).toMatchObject({ status: 403, json: { error: 'You are not a member of this project' } });
    const bad = await call(t, `/api/me/projects/${mine.id}`, { method: 'PATCH', body: { notifyNewReports: 'yes' }, as: browser });
    expect(bad).toMatchObject({ status: 400, json: { issues: { notifyNewReports: ['Must be true or false'] } } });
  });

  it('the server owner sees every project as owner; a bearer token is no one (401)', async () => {
    await makeUser(t, 'boss@example.com', { serverOwner: true });
    const browser = await signIn(t, 'boss@example.com');
    const me = await call(t, '/api/me', { as: browser });
    const clients = await t.server.storage.listClients();
    expect(me.json.projects.map((p: { id: string }) => p.id)).toEqual(clients.map((c) => c.id));
    expect(me.json.projects.every((p: { role: string }) => p.role === 'owner')).toBe(true);
    expect((await call(t, '/api/me', { bearer: ADMIN_TOKEN })).status).toBe(401);
  });
});
