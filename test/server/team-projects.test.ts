import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { Client } from '../../server/storage/types.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { addMember, browserOf, call, makeUser, signIn, type Browser } from './team-auth-helpers.ts';

const ADMIN_TOKEN = 'admin-token-for-team-tests-0123';
let t: TestServer;
let nowMs = Date.now();
let acme: Client;
let other: Client;
let owner: Browser;
let member: Browser;
let viewer: Browser;
let outsider: Browser;
let serverOwner: Browser;

beforeAll(async () => {
  t = await startTestServer({ adminToken: ADMIN_TOKEN, nowMs: () => nowMs, emailEnabled: true });
  acme = await createClient(t.server.storage, { name: 'Acme' });
  other = await createClient(t.server.storage, { name: 'Other' });
  for (const [email, clientId, role] of [
    ['owner@acme.test', acme.id, 'owner'],
    ['member@acme.test', acme.id, 'member'],
    ['viewer@acme.test', acme.id, 'viewer'],
    ['outsider@other.test', other.id, 'owner'],
  ] as const) {
    const user = await makeUser(t, email, { name: email.split('@')[0] });
    await addMember(t, clientId, user.id, role);
  }
  await makeUser(t, 'root@server.test', { serverOwner: true, name: 'root' });
  [owner, member, viewer, outsider, serverOwner] = (await Promise.all(
    ['owner@acme.test', 'member@acme.test', 'viewer@acme.test', 'outsider@other.test', 'root@server.test'].map((email) => signIn(t, email)),
  )) as [Browser, Browser, Browser, Browser, Browser];
});
afterAll(() => t.stop());

const project = (path = '') => `/api/projects/${acme.id}${path}`;

describe('projects', () => {
  it('POST /api/projects: the server owner creates one and owns it; the admin token may too; others get 403', async () => {
    const created = await call(t, '/api/projects', { method: 'POST', body: { name: ' New one ', allowedOrigins: ['https://app.example.com/'] }, as: serverOwner });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^client_/),
      name: 'New one',
      allowedOrigins: ['https://app.example.com'],
      notifyReporterOnDone: false,
      createdAt: expect.any(String),
      role: 'owner',
    });
    const members = await call(t, `/api/projects/${created.json.id}/members`, { as: serverOwner });
    expect(members.json.items).toEqual([{ userId: serverOwner.user.id, email: 'root@server.test', name: 'root', role: 'owner' }]);
    expect((await call(t, '/api/projects', { method: 'POST', body: { name: 'By admin' }, bearer: ADMIN_TOKEN })).status).toBe(201);
    const refused = await call(t, '/api/projects', { method: 'POST', body: { name: 'Mine' }, as: owner });
    expect(refused).toMatchObject({ status: 403, json: { error: 'Only the server owner may create projects' } });
    const bad = await call(t, '/api/projects', { method: 'POST', body: { name: '', allowedOrigins: ['ftp://x'] }, as: serverOwner });
    expect(bad).toMatchObject({ status: 400, json: { error: 'Invalid body', issues: { name: ['Must not be empty'], 'allowedOrigins.0': ['Must be an http(s) origin'] } } });
  });

  it('GET /api/projects/:clientId answers the settings and the caller role', async () => {
    const answer = await call(t, project(), { as: viewer });
    expect(answer.json).toEqual({ id: acme.id, name: 'Acme', allowedOrigins: [], notifyReporterOnDone: false, createdAt: acme.createdAt, role: 'viewer' });
    expect((await call(t, '/api/projects/client_doesnotexist', { bearer: ADMIN_TOKEN })).status).toBe(404);
  });

  it('PATCH /api/projects/:clientId: an owner changes the settings; a member or viewer gets 403', async () => {
    for (const who of [viewer, member]) {
      const refused = await call(t, project(), { method: 'PATCH', body: { name: 'Hijacked' }, as: who });
      expect(refused).toMatchObject({ status: 403, json: { error: 'This needs the owner role in this project' } });
    }
    const body = { name: 'Acme Inc', allowedOrigins: ['https://acme.test'], notifyReporterOnDone: true };
    const changed = await call(t, project(), { method: 'PATCH', body, as: owner });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ ...body, id: acme.id, role: 'owner' });
    expect((await call(t, project(), { as: viewer })).json).toMatchObject(body);
    const bad = await call(t, project(), { method: 'PATCH', body: { notifyReporterOnDone: 'on', color: 'red' }, as: owner });
    expect(bad).toMatchObject({ status: 400, json: { issues: { notifyReporterOnDone: ['Must be true or false'], color: ['Unknown field'] } } });
  });
});

describe('members', () => {
  it('lists members for a viewer, with e-mail, name and role', async () => {
    const answer = await call(t, project('/members'), { as: viewer });
    expect(answer.json.items.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['owner@acme.test', 'owner'],
      ['member@acme.test', 'member'],
      ['viewer@acme.test', 'viewer'],
    ]);
  });

  it('an owner changes a role and removes a member; the last owner cannot be demoted or removed (409)', async () => {
    const temp = await makeUser(t, 'temp@acme.test');
    await addMember(t, acme.id, temp.id, 'viewer');
    const promoted = await call(t, project(`/members/${temp.id}`), { method: 'PATCH', body: { role: 'member' }, as: owner });
    expect(promoted.json).toEqual({ userId: temp.id, email: 'temp@acme.test', name: null, role: 'member' });
    expect((await call(t, project(`/members/${temp.id}`), { method: 'PATCH', body: { role: 'owner' }, as: member })).status).toBe(403);

    const demote = await call(t, project(`/members/${owner.user.id}`), { method: 'PATCH', body: { role: 'member' }, as: owner });
    expect(demote).toMatchObject({ status: 409, json: { error: 'A project needs at least one owner' } });
    expect((await call(t, project(`/members/${owner.user.id}`), { method: 'DELETE', as: owner })).status).toBe(409);
    // With a second owner, the first may step down.
    await call(t, project(`/members/${temp.id}`), { method: 'PATCH', body: { role: 'owner' }, as: owner });
    expect((await call(t, project(`/members/${temp.id}`), { method: 'DELETE', as: owner })).status).toBe(204);
    expect((await call(t, project(`/members/${temp.id}`), { method: 'DELETE', as: owner })).json).toEqual({ error: 'No member of this project has this id' });
    const badRole = await call(t, project(`/members/${member.user.id}`), { method: 'PATCH', body: { role: 'admin' }, as: owner });
    expect(badRole).toMatchObject({ status: 400, json: { issues: { role: ['Must be one of viewer, member, owner'] } } });
  });
});

describe('invitations', () => {
  const invite = (body: unknown, as: Browser = owner) => call(t, project('/invitations'), { method: 'POST', body, as });
  const tokenOf = (url: string) => /#invitation=([A-Za-z0-9_-]+)$/.exec(url)![1]!;

  it('an owner makes a 7-day link; anyone may look at it; a member may not make one', async () => {
    const made = await invite({ role: 'member' });
    expect(made.status).toBe(201);
    expect(made.json.url).toMatch(new RegExp(`^${t.url}/#invitation=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(made.json.expiresAt) - nowMs).toBe(7 * 24 * 60 * 60 * 1000);
    const shown = await call(t, `/api/invitations/${tokenOf(made.json.url)}`);
    expect(shown.json).toEqual({ project: { id: acme.id, name: expect.any(String) }, role: 'member', email: null, expiresAt: made.json.expiresAt });
    expect((await invite({ role: 'viewer' }, member)).status).toBe(403);
    expect((await call(t, '/api/invitations/unknown-token-000000000000')).status).toBe(404);
  });

  it('accepting without an account creates it, signs it in and joins; the link is then used', async () => {
    const token = tokenOf((await invite({ role: 'viewer' })).json.url);
    const path = `/api/invitations/${token}/accept`;
    const missing = await call(t, path, { method: 'POST', body: {} });
    expect(missing).toMatchObject({ status: 400, json: { issues: { email: ['Required'], password: ['Required'] } } });
    const taken = await call(t, path, { method: 'POST', body: { email: 'member@acme.test', password: 'long enough pass' } });
    expect(taken.status).toBe(409);
    const accepted = await call(t, path, { method: 'POST', body: { email: 'new@acme.test', name: 'New', password: 'long enough pass' } });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ user: { email: 'new@acme.test', name: 'New' }, project: { id: acme.id, role: 'viewer' } });
    const browser = browserOf(accepted);
    expect((await call(t, '/api/me', { as: browser })).json.projects).toEqual([{ id: acme.id, name: expect.any(String), role: 'viewer', notifyNewReports: false }]);
    expect((await call(t, path, { method: 'POST', body: { email: 'again@acme.test', password: 'long enough pass' } })).status).toBe(404);
    expect((await call(t, `/api/invitations/${token}`)).status).toBe(404);
  });

  it('a signed-in person accepts with the CSRF token and keeps a higher role', async () => {
    const token = tokenOf((await invite({ role: 'viewer' }, serverOwner)).json.url);
    const path = `/api/invitations/${token}/accept`;
    expect((await call(t, path, { method: 'POST', as: outsider, csrf: false })).status).toBe(403);
    const accepted = await call(t, path, { method: 'POST', as: outsider });
    expect(accepted.json).toEqual({ user: outsider.user, csrfToken: outsider.csrfToken, project: { id: acme.id, name: expect.any(String), role: 'viewer' } });
    const ownerToken = tokenOf((await invite({ role: 'viewer' })).json.url);
    const again = await call(t, `/api/invitations/${ownerToken}/accept`, { method: 'POST', as: owner });
    expect(again.json.project.role).toBe('owner');
    await call(t, project(`/members/${outsider.user.id}`), { method: 'DELETE', as: owner });
  });

  it('an e-mailed invitation is queued, and only its address may accept it', async () => {
    const made = await invite({ role: 'member', email: 'Invited@Example.com' });
    expect(made.json.emailed).toBe(true);
    const mail = (await t.server.storage.team.listEmails()).find((e) => e.to === 'invited@example.com');
    expect(mail?.subject).toBe('owner invited you to Acme Inc on Loupe');
    expect(mail?.text).toContain(made.json.url);
    const path = `/api/invitations/${tokenOf(made.json.url)}/accept`;
    expect((await call(t, path, { method: 'POST', as: viewer })).json).toEqual({ error: 'This invitation was sent to another e-mail address' });
    const accepted = await call(t, path, { method: 'POST', body: { password: 'long enough pass' } });
    expect(accepted.json).toMatchObject({ user: { email: 'invited@example.com' }, project: { role: 'member' } });
  });

  it('an invitation expires after 7 days', async () => {
    const token = tokenOf((await invite({ role: 'viewer' })).json.url);
    nowMs += 7 * 24 * 60 * 60 * 1000 + 1;
    try {
      expect((await call(t, `/api/invitations/${token}`)).status).toBe(404);
      expect((await call(t, `/api/invitations/${token}/accept`, { method: 'POST', body: { email: 'late@acme.test', password: 'long enough pass' } })).status).toBe(404);
    } finally {
      nowMs = Date.now();
    }
  });
});

describe('keys', () => {
  it('an owner creates a key (secret once) that reads the project, lists it, and revokes it', async () => {
    const created = await call(t, project('/keys'), { method: 'POST', body: { name: 'CI' }, as: owner });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ kid: expect.stringMatching(/^key_/), name: 'CI', secret: expect.any(String), createdAt: expect.any(String) });
    const { kid, secret } = created.json;
    const jwtFor = () => jwt.sign({}, secret, { algorithm: 'HS256', keyid: kid, expiresIn: 300 });
    expect((await call(t, project('/feedbacks'), { bearer: jwtFor() })).status).toBe(200);
    const listed = await call(t, project('/keys'), { as: owner });
    expect(listed.json.items).toContainEqual({ kid, name: 'CI', createdAt: created.json.createdAt, revokedAt: null });
    expect(JSON.stringify(listed.json)).not.toContain(secret);
    // A key is a member: it may not manage keys.
    expect((await call(t, project('/keys'), { bearer: jwtFor() })).status).toBe(403);
    const revoked = await call(t, project(`/keys/${kid}`), { method: 'DELETE', as: owner });
    expect(revoked.json).toEqual({ kid, name: 'CI', createdAt: created.json.createdAt, revokedAt: expect.any(String) });
    expect((await call(t, project('/feedbacks'), { bearer: jwtFor() })).status).toBe(401);
    expect((await call(t, project('/keys/key_unknown'), { method: 'DELETE', as: owner })).status).toBe(404);
    expect((await call(t, project('/keys'), { as: member })).status).toBe(403);
  });

  it("another project's key id is unknown here", async () => {
    const theirs = await call(t, `/api/projects/${other.id}/keys`, { method: 'POST', body: {}, as: outsider });
    const answer = await call(t, project(`/keys/${theirs.json.kid}`), { method: 'DELETE', as: owner });
    expect(answer).toMatchObject({ status: 404, json: { error: 'No key of this project has this id' } });
  });
});

describe('a member of one project', () => {
  it("gets 403 on every team route of another project", async () => {
    const target = await makeUser(t, 'target@other.test');
    await addMember(t, other.id, target.id, 'member');
    const base = `/api/projects/${other.id}`;
    const routes: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, { name: 'x' }],
      ['GET', `${base}/members`],
      ['PATCH', `${base}/members/${target.id}`, { role: 'viewer' }],
      ['DELETE', `${base}/members/${target.id}`],
      ['POST', `${base}/invitations`, { role: 'owner' }],
      ['GET', `${base}/keys`],
      ['POST', `${base}/keys`, {}],
      ['DELETE', `${base}/keys/key_whatever`],
    ];
    for (const [method, path, body] of routes) {
      const answer = await call(t, path, { method, body, as: owner });
      expect([method, path, answer.status, answer.json]).toEqual([method, path, 403, { error: 'You are not a member of this project' }]);
    }
    expect((await call(t, `/api/me/projects/${other.id}`, { method: 'PATCH', body: { notifyNewReports: true }, as: owner })).status).toBe(403);
  });
});
