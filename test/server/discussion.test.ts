/** Comments, activity and the bell over real HTTP, on each engine (docs/team-api.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { Client } from '../../server/storage/types.ts';
import { startTestServer, storeFeedback, type TestServer } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';
import { callAs, signedInUser, type TestPerson } from './team-helpers.ts';

let t: TestServer;
let a: Client;
let b: Client;
let author: TestPerson;
let other: TestPerson;
let viewer: TestPerson;
let feedbackId: string;

beforeAll(async () => {
  t = await startTestServer();
  a = await createClient(t.server.storage, { name: 'Project A' });
  b = await createClient(t.server.storage, { name: 'Project B' });
  author = await signedInUser(t, { name: 'Ada Lovelace', roles: { [a.id]: 'member' } });
  other = await signedInUser(t, { name: 'Bob', email: 'bob@example.com', roles: { [a.id]: 'member', [b.id]: 'viewer' } });
  viewer = await signedInUser(t, { name: 'Vera', roles: { [a.id]: 'viewer' } });
  feedbackId = (await storeFeedback(t.server.storage, feedbackInput(a.id, { comment: 'It broke' }))).id;
});
afterAll(() => t?.stop());

const comments = (clientId: string, id: string) => `/api/projects/${clientId}/feedbacks/${id}/comments`;

describe('comments', () => {
  it('a member comments; the mentioned member is notified, the author is not', async () => {
    const made = await callAs(t, author, comments(a.id, feedbackId), { method: 'POST', body: { body: 'Hi @bob and @Ada Lovelace' } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ author: { id: author.user.id, name: 'Ada Lovelace' }, body: 'Hi @bob and @Ada Lovelace', deletedAt: null });

    const listed = await callAs(t, viewer, comments(a.id, feedbackId));
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((c: { id: string }) => c.id)).toEqual([made.json.id]);

    const bell = await callAs(t, other, '/api/me/notifications');
    expect(bell.json.unread).toBe(1);
    expect(bell.json.items).toMatchObject([{ kind: 'mentioned', clientId: a.id, feedbackId, actorLabel: 'Ada Lovelace', readAt: null }]);
    expect((await callAs(t, author, '/api/me/notifications')).json.items).toEqual([]);

    expect((await callAs(t, other, '/api/me/notifications/read', { method: 'POST' })).status).toBe(204);
    expect((await callAs(t, other, '/api/me/notifications')).json.unread).toBe(0);

    const queued = await t.server.storage.team.listEmails();
    expect(queued.map((e) => e.to)).toEqual(['bob@example.com']);
  });

  it('only its author edits or deletes a comment; a deleted one keeps its place without its body', async () => {
    const made = await callAs(t, author, comments(a.id, feedbackId), { method: 'POST', body: { body: 'first' } });
    const path = `/api/projects/${a.id}/comments/${made.json.id}`;
    expect((await callAs(t, other, path, { method: 'PATCH', body: { body: 'mine now' } })).status).toBe(403);
    expect((await callAs(t, other, path, { method: 'DELETE' })).status).toBe(403);
    const edited = await callAs(t, author, path, { method: 'PATCH', body: { body: 'second' } });
    expect(edited.status).toBe(200);
    expect(edited.json.body).toBe('second');
    expect(edited.json.updatedAt > made.json.updatedAt).toBe(true);
    expect((await callAs(t, author, path, { method: 'DELETE' })).status).toBe(204);
    const listed = (await callAs(t, author, comments(a.id, feedbackId))).json.items;
    expect(listed.find((c: { id: string }) => c.id === made.json.id)).toMatchObject({ body: '', deletedAt: expect.any(String) });
    expect((await callAs(t, author, path, { method: 'PATCH', body: { body: 'back' } })).status).toBe(409);
  });

  it('an edit that adds a mention notifies and e-mails the member it adds, once', async () => {
    const made = await callAs(t, author, comments(a.id, feedbackId), { method: 'POST', body: { body: 'Looking into it' } });
    const path = `/api/projects/${a.id}/comments/${made.json.id}`;
    const unread = async () => (await callAs(t, viewer, '/api/me/notifications')).json.unread as number;
    const mailsToVera = async () => (await t.server.storage.team.listEmails()).filter((e) => e.to === viewer.user.email).length;
    expect([await unread(), await mailsToVera()]).toEqual([0, 0]);
    expect((await callAs(t, author, path, { method: 'PATCH', body: { body: 'Looking into it, @Vera' } })).status).toBe(200);
    expect([await unread(), await mailsToVera()]).toEqual([1, 1]);
    expect((await callAs(t, author, path, { method: 'PATCH', body: { body: 'Looking into it, @vera!' } })).status).toBe(200);
    expect([await unread(), await mailsToVera()]).toEqual([1, 1]);
  });

  it('refuses viewers, other projects, empty and oversized bodies, and unknown fields', async () => {
    expect((await callAs(t, viewer, comments(a.id, feedbackId), { method: 'POST', body: { body: 'hi' } })).status).toBe(403);
    // Bob is a viewer of B: the report of A is not found there, and he cannot comment in B anyway.
    expect((await callAs(t, other, comments(b.id, feedbackId), { method: 'POST', body: { body: 'hi' } })).status).toBe(403);
    // Ada is no member of B at all.
    const outsider = await callAs(t, author, comments(b.id, feedbackId), { method: 'POST', body: { body: 'hi' } });
    expect(outsider).toMatchObject({ status: 403, json: { error: 'You are not a member of this project' } });
    for (const body of [{ body: '' }, { body: '   ' }, { body: 'x'.repeat(10_001) }, { body: 'hi', extra: 1 }, [], 'nope']) {
      expect((await callAs(t, author, comments(a.id, feedbackId), { method: 'POST', body })).status).toBe(400);
    }
    expect((await callAs(t, author, comments(a.id, feedbackId), { method: 'POST', body: { body: 'x'.repeat(10_000) } })).status).toBe(201);
    // Without the CSRF token, a cookie cannot write.
    const noCsrf = { headers: { Cookie: author.headers.Cookie! } };
    expect((await callAs(t, noCsrf, comments(a.id, feedbackId), { method: 'POST', body: { body: 'hi' } })).status).toBe(403);
  });
});

describe('activity', () => {
  it('starts with the report created, then each comment and state change', async () => {
    const fresh = await storeFeedback(t.server.storage, feedbackInput(a.id));
    await callAs(t, author, comments(a.id, fresh.id), { method: 'POST', body: { body: 'looking' } });
    const patched = await callAs(t, author, `/api/projects/${a.id}/feedbacks/${fresh.id}`, { method: 'PATCH', body: { state: 'done' } });
    expect(patched.status).toBe(200);
    const activity = await callAs(t, viewer, `/api/projects/${a.id}/feedbacks/${fresh.id}/activity`);
    expect(activity.status).toBe(200);
    expect(activity.json.items.map((e: { kind: string; actorLabel: string }) => [e.kind, e.actorLabel])).toEqual([
      ['created', 'Reporter'],
      ['commented', 'Ada Lovelace'],
      ['state', 'Ada Lovelace'],
    ]);
    expect(activity.json.items[2].data).toEqual({ from: 'new', to: 'done' });
    expect((await callAs(t, other, `/api/projects/${b.id}/feedbacks/${fresh.id}/activity`)).status).toBe(404);
  });
});

describe('notifications', () => {
  it('a new report notifies the members who turned it on, and the report is answered as before', async () => {
    const watcher = await signedInUser(t, { roles: { [b.id]: 'member' }, notifyNewReports: true });
    const res = await fetch(`${t.url}/api/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: b.id, comment: 'New one', pageUrl: 'https://example.com/' }),
    });
    const answer = await res.json();
    expect(res.status).toBe(200);
    expect(Object.keys(answer).sort()).toEqual(['feedbackId', 'success']);
    await expect.poll(async () => (await callAs(t, watcher, '/api/me/notifications')).json.items.length).toBe(1);
    const bell = await callAs(t, watcher, '/api/me/notifications?limit=5');
    expect(bell.json.items[0]).toMatchObject({ kind: 'new_report', clientId: b.id, feedbackId: answer.feedbackId });
  });

  it('is for signed-in people only, with a bounded limit', async () => {
    expect((await fetch(`${t.url}/api/me/notifications`)).status).toBe(401);
    expect((await callAs(t, other, '/api/me/notifications?limit=0')).status).toBe(400);
    expect((await callAs(t, other, '/api/me/notifications?limit=101')).status).toBe(400);
    expect((await callAs(t, other, '/api/me/notifications/read', { method: 'POST', body: { ids: 'all' } })).status).toBe(400);
  });
});
