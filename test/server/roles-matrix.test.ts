/**
 * Every route of the read and team API against every kind of caller (roles-matrix.ts holds
 * the table): a viewer changes nothing, a member touches no owner route, and nobody outside
 * project A reads or changes it, by any route or any id, whatever they hold.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { issueToken } from '../../server/auth/one-time.ts';
import { createClient } from '../../server/clients.ts';
import { newTeamId } from '../../server/ids.ts';
import { createEndpoint } from '../../server/outbox/endpoints.ts';
import { openMasterKey } from '../../server/start.ts';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createKey, tokenFor } from './read-api-helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { CALLERS, EXPECTED, OPEN_ROUTES, ROUTES, type Caller, type Ids, type Outcome, type RouteRow } from './roles-matrix.ts';
import { addPerson, type TestPerson } from './team-helpers.ts';

const ADMIN_TOKEN = 'roles-matrix-admin-token-0123456789';

let t: TestServer;
let a: Client;
let b: Client;
let c: Client;
let idsOfA: Ids;
let people: Partial<Record<Caller, TestPerson>>;
let headersOf: Record<Caller, Record<string, string>>;
let ownerOfB: TestPerson;
let n = 0;

beforeAll(async () => {
  t = await startTestServer({ adminToken: ADMIN_TOKEN, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0, githubApiUrl: 'http://127.0.0.1:9' });
  const storage = t.server.storage;
  [a, b, c] = (await Promise.all(['Project A', 'Project B', 'Project C'].map((name) => createClient(storage, { name })))) as [Client, Client, Client];
  people = {
    owner: await addPerson(storage, { clientId: a.id, role: 'owner' }),
    member: await addPerson(storage, { clientId: a.id, role: 'member' }),
    viewer: await addPerson(storage, { clientId: a.id, role: 'viewer' }),
    serverOwner: await addPerson(storage, undefined, { serverOwner: true }),
    otherMember: await addPerson(storage, { clientId: b.id, role: 'member' }),
  };
  ownerOfB = await addPerson(storage, { clientId: b.id, role: 'owner' });
  const [ownKey, otherKey] = [await createKey(t, a.id), await createKey(t, b.id)];
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  headersOf = {
    ...(Object.fromEntries(Object.entries(people).map(([who, person]) => [who, person.headers])) as Record<Caller, Record<string, string>>),
    signedOut: {},
    ownKey: bearer(tokenFor(ownKey, { expiresIn: 3600 })),
    otherKey: bearer(tokenFor(otherKey, { expiresIn: 3600 })),
    admin: bearer(ADMIN_TOKEN),
  };

  // A's report with a screenshot and a replay, a label on it, a comment: what the routes name.
  const shot = await postScreenshot(t.url, { clientId: a.id, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } });
  const fileName = ((await shot.json()) as { screenshot: { fileName: string } }).screenshot.fileName;
  const replay = await postReplay(t.url, { clientId: a.id, replay: replayFile(gzipJson(replayEvents())) });
  const replayId = ((await replay.json()) as { replay: { id: string } }).replay.id;
  const posted = await postFeedback(t.url, { clientId: a.id, rating: 2, comment: 'Secret of A', sessionReplayId: replayId });
  const feedbackId = ((await posted.json()) as { feedbackId: string }).feedbackId;
  idsOfA = { clientId: a.id, id: feedbackId, userId: people.member!.user.id, kid: ownKey.kid, name: fileName.split('/')[1]! };
  idsOfA.labelId = await fresh.label();
  idsOfA.commentId = await fresh.comment('owner');
  idsOfA.webhookId = await fresh.webhook();
  idsOfA.deliveryId = await fresh.delivery();
  idsOfA.integrationId = await fresh.integration();
  replayName = `${replayId}.json.gz`;
});
afterAll(() => t?.stop());

let replayName: string;

const masterKeyOf = (server: TestServer) => openMasterKey(server.dataDir, undefined, server.databaseUrl);

/** Objects made afresh for one request, in project A. */
const fresh = {
  async label(): Promise<string> {
    const id = newTeamId('label');
    await t.server.storage.team.insertLabel({ id, clientId: a.id, name: `Fresh ${++n}`, color: '#00aa00', createdAt: new Date().toISOString() });
    return id;
  },
  // By the caller when they are a person (authors edit their own), else by A's owner.
  async comment(who: Caller): Promise<string> {
    const id = newTeamId('comment');
    const at = new Date().toISOString();
    const authorId = (people[who] ?? people.owner)!.user.id;
    await t.server.storage.team.insertComment(
      { id, clientId: a.id, feedbackId: idsOfA.id!, authorId, body: 'Fresh comment of A', createdAt: at, updatedAt: at, deletedAt: null },
      {},
    );
    return id;
  },
  key: async () => (await createKey(t, a.id, 'fresh')).kid,
  person: async () => (await addPerson(t.server.storage, { clientId: a.id, role: 'viewer' })).user.id,
  webhook: async () => (await createEndpoint(t.server.storage, masterKeyOf(t), { clientId: a.id, url: 'https://hooks.example.com/a', nowMs: Date.now() })).endpoint.id,
  // A delivery that gave up, so that it may be redelivered.
  async delivery(): Promise<string> {
    const id = newTeamId('delivery');
    const at = new Date().toISOString();
    await t.server.storage.outbox.insertDeliveries([
      { id, integrationId: idsOfA.webhookId!, clientId: a.id, feedbackId: idsOfA.id!, type: 'feedback.created', payload: '{}', createdAt: at, attempts: 11, status: 'failed', nextAttemptAt: null, lastAttemptAt: at, responseStatus: 500, responseExcerpt: null, lastError: 'Answered 500' },
    ]);
    return id;
  },
  // A GitHub connection whose API is a closed local port: what is queued to it fails at once, offline.
  integration: async () => {
    const res = await send(people.owner!.headers, { method: 'POST', path: `/api/projects/${a.id}/integrations`, body: { kind: 'github', repo: 'acme/shop', token: 'github_pat_test' } });
    return ((JSON.parse(res.text)) as { id: string }).id;
  },
  invitation: async () => (await issueToken(t.server.storage.team, 'invitation', { clientId: c.id, role: 'viewer' }, Date.now())).token,
};

/** The path and body of a row for a caller: `ids` fill the path, a fresh object where the row needs one. */
async function requestOf(row: RouteRow, who: Caller, ids: Ids): Promise<{ method: string; path: string; body?: unknown }> {
  const [method, pattern] = row.route.split(' ') as [string, string];
  const values: Ids = { ...ids };
  if (row.fresh === 'label') values.labelId = await fresh.label();
  if (row.fresh === 'comment') values.commentId = await fresh.comment(who);
  if (row.fresh === 'key') values.kid = await fresh.key();
  if (row.fresh === 'person') values.userId = await fresh.person();
  if (row.fresh === 'invitation') values.token = await fresh.invitation();
  if (row.fresh === 'webhook') values.webhookId = await fresh.webhook();
  if (row.fresh === 'delivery') values.deliveryId = await fresh.delivery();
  if (row.fresh === 'integration') values.integrationId = await fresh.integration();
  if (row.route === 'GET /replays/:name') values.name = replayName;
  const path = pattern.replace(/:(\w+)/g, (_, param: string) => encodeURIComponent(values[param] ?? `no-${param}`));
  return { method, path, body: row.body?.(++n, values) };
}

async function send(headers: Record<string, string>, request: { method: string; path: string; body?: unknown }) {
  const res = await fetch(`${t.url}${request.path}`, {
    method: request.method,
    headers: { ...headers, ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  return { status: res.status, text: await res.text() };
}

const matches = (outcome: Outcome, status: number) => (outcome === 'ok' ? status >= 200 && status < 300 : status === outcome);

describe('roles × routes', () => {
  it('has a row for every route the app registers', async () => {
    const uploadTempDir = await mkdtemp(join(tmpdir(), 'loupe-routes-'));
    const app = createApp({ storage: t.server.storage, files: t.server.files, masterKey: new Uint8Array(32), uploadTempDir });
    await rm(uploadTempDir, { recursive: true, force: true });
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    const listed = new Set([...ROUTES.map((row) => row.route), ...Object.keys(OPEN_ROUTES)]);
    expect([...registered].filter((route) => !listed.has(route)), 'routes without a row').toEqual([]);
    expect([...listed].filter((route) => !registered.has(route)), 'rows without a route').toEqual([]);
  });

  it('answers each caller as the table says, and a refusal carries nothing of A', async () => {
    const wrong: string[] = [];
    const secrets = [a.id, idsOfA.id!, 'Secret of A', 'Fresh comment of A'];
    for (const row of ROUTES) {
      for (const who of CALLERS) {
        const answer = await send(headersOf[who], await requestOf(row, who, idsOfA));
        const expected = EXPECTED[row.need][who];
        if (!matches(expected, answer.status)) wrong.push(`${row.route} as ${who}: ${answer.status} ${answer.text.slice(0, 120)} (expected ${expected})`);
        // Outside A (and not holding a file's name), nothing of A comes back, whatever the status.
        const outsider = who === 'otherMember' || who === 'otherKey' || who === 'signedOut';
        if (outsider && row.need !== 'capability' && secrets.some((secret) => answer.text.includes(secret))) {
          wrong.push(`${row.route} as ${who}: answer holds A's data: ${answer.text.slice(0, 200)}`);
        }
        if (answer.status >= 400 && !/^\{"error":/.test(answer.text)) wrong.push(`${row.route} as ${who}: refusal is not {error}: ${answer.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("refuses B's owner naming A's reports, labels, comments, members and keys through B's routes, and A is unchanged", async () => {
    const wrong: string[] = [];
    const idsInB = { ...idsOfA, clientId: b.id };
    for (const row of ROUTES.filter((r) => r.foreign !== undefined)) {
      const request = await requestOf({ ...row, fresh: undefined }, 'owner', idsInB);
      const answer = await send(ownerOfB.headers, request);
      if (answer.status !== row.foreign) wrong.push(`${row.route}: ${answer.status} ${answer.text.slice(0, 120)} (expected ${row.foreign})`);
    }
    // Ids of A in a body: an assignee who is A's member, a label of A.
    const body = { assigneeId: people.member!.user.id, labelIds: [idsOfA.labelId] };
    const bFeedback = (await (await postFeedback(t.url, { clientId: b.id, rating: 1 })).json()) as { feedbackId: string };
    const own = await send(ownerOfB.headers, { method: 'PATCH', path: `/api/projects/${b.id}/feedbacks/${bFeedback.feedbackId}`, body });
    expect(own.status).toBe(400);
    expect(JSON.parse(own.text).issues).toMatchObject({ assigneeId: expect.any(Array), 'labelIds.0': expect.any(Array) });
    expect(wrong).toEqual([]);

    const team = t.server.storage.team;
    expect(await team.getMember(a.id, people.member!.user.id)).toMatchObject({ role: 'member' });
    expect((await team.listLabels(a.id)).map((l) => l.id)).toContain(idsOfA.labelId);
    expect(await team.getComment(idsOfA.commentId!)).toMatchObject({ body: 'Fresh comment of A', deletedAt: null });
    expect(await t.server.storage.getProjectKey(idsOfA.kid!)).toMatchObject({ revokedAt: null });
    expect(await t.server.storage.getFeedback(idsOfA.id!)).toMatchObject({ assigneeId: null });
  });

  it('leaves nothing of A to a member the owner removed: every route refuses, the bell and /api/me forget A', async () => {
    const leaving = await addPerson(t.server.storage, { clientId: a.id, role: 'member' });
    const assign = { method: 'PATCH', path: `/api/projects/${a.id}/feedbacks/${idsOfA.id}`, body: { assigneeId: leaving.user.id } };
    expect((await send(people.owner!.headers, assign)).status).toBe(200);
    const bell = () => send(leaving.headers, { method: 'GET', path: '/api/me/notifications' });
    expect((await bell()).text).toContain(idsOfA.id);
    expect((await send(people.owner!.headers, { method: 'DELETE', path: `/api/projects/${a.id}/members/${leaving.user.id}` })).status).toBe(204);

    expect((await bell()).text).not.toContain(a.id);
    expect((await send(leaving.headers, { method: 'GET', path: '/api/me' })).text).not.toContain(a.id);
    const wrong: string[] = [];
    for (const row of ROUTES.filter((r) => r.route.includes(':clientId') && r.need !== 'capability')) {
      const answer = await send(leaving.headers, await requestOf(row, 'otherMember', idsOfA));
      if (answer.status !== 403) wrong.push(`${row.route}: ${answer.status} ${answer.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    expect((await t.server.storage.getFeedback(idsOfA.id!))?.assigneeId).toBeNull();
  });

  it('refuses every state-changing request made with the cookie but without its CSRF token', async () => {
    const wrong: string[] = [];
    const { 'X-CSRF-Token': _, ...cookieOnly } = people.owner!.headers;
    for (const row of ROUTES.filter((r) => !r.route.startsWith('GET '))) {
      const answer = await send(cookieOnly, await requestOf(row, 'owner', idsOfA));
      if (answer.status !== 403) wrong.push(`${row.route}: ${answer.status} ${answer.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });
});
