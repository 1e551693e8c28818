import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { Client, FeedbackRow } from '../../server/storage/types.ts';
import { startTestServer, storeFeedback, type TestServer } from './helpers.ts';
import { callApi, createKey, feedbackInput, tokenFor, type TestKey } from './read-api-helpers.ts';
import { addPerson, type TestPerson } from './team-helpers.ts';

let t: TestServer;
let a: Client;
let b: Client;
let keyA: TestKey;
let alice: TestPerson;
let bob: TestPerson;
let viewer: TestPerson;
let carol: TestPerson;

beforeAll(async () => {
  t = await startTestServer();
  a = await createClient(t.server.storage, { name: 'Shop <A>' });
  b = await createClient(t.server.storage, { name: 'Other' });
  keyA = await createKey(t, a.id);
  alice = await addPerson(t.server.storage, { clientId: a.id, role: 'member' }, { name: 'Alice' });
  bob = await addPerson(t.server.storage, { clientId: a.id, role: 'member' }, { name: 'Bob' });
  viewer = await addPerson(t.server.storage, { clientId: a.id, role: 'viewer' });
  carol = await addPerson(t.server.storage, { clientId: b.id, role: 'member' });
});
afterAll(() => t.stop());

type Who = TestPerson | TestKey;
const as = (who: Who, path: string, method = 'GET', body?: unknown) =>
  'secret' in who ? callApi(t, path, tokenFor(who), { method, body }) : callApi(t, path, undefined, { method, body, headers: who.headers });

const report = (client: Client, comment = 'Checkout <b>broken</b>') => storeFeedback(t.server.storage, feedbackInput(client.id, { comment }));
const itemPath = (client: Client, row: FeedbackRow | string) => `/api/projects/${client.id}/feedbacks/${typeof row === 'string' ? row : row.id}`;
const patch = (who: Who, row: FeedbackRow, body: unknown, client = a) => as(who, itemPath(client, row), 'PATCH', body);
const bulk = (who: Who, body: unknown, client = a) => as(who, `/api/projects/${client.id}/feedbacks/bulk`, 'POST', body);
const labelsPath = (client: Client) => `/api/projects/${client.id}/labels`;
const newLabel = async (name: string, client = a, who: Who = client === a ? alice : carol) => {
  const res = await as(who, labelsPath(client), 'POST', { name, color: '#AA00ff' });
  expect(res.status).toBe(201);
  return res.json as { id: string; name: string; color: string };
};
const activityOf = async (row: FeedbackRow) =>
  (await t.server.storage.team.listActivity(row.id)).map((entry) => ({ kind: entry.kind, actorLabel: entry.actorLabel, actorId: entry.actorId, data: entry.data }));
const stored = async (row: FeedbackRow) => (await callApi(t, itemPath(a, row), tokenFor(keyA))).json;

describe('labels', () => {
  it('are made, listed, renamed, recoloured and deleted by members; names are unique ignoring case', async () => {
    const label = await newLabel('Bug');
    expect(label).toEqual({ id: expect.stringMatching(/^lbl_/), name: 'Bug', color: '#aa00ff' });
    expect(await as(alice, labelsPath(a), 'POST', { name: 'bug', color: '#000000' })).toMatchObject({
      status: 409,
      json: { error: 'This project already has a label with this name' },
    });
    const listed = await as(viewer, labelsPath(a));
    expect(listed.json.items).toContainEqual(label);
    const renamed = await as(alice, `${labelsPath(a)}/${label.id}`, 'PATCH', { name: 'Defect', color: '#112233' });
    expect(renamed.json).toEqual({ id: label.id, name: 'Defect', color: '#112233' });
    const other = await newLabel('Idea');
    expect((await as(alice, `${labelsPath(a)}/${other.id}`, 'PATCH', { name: 'DEFECT' })).status).toBe(409);
    expect((await as(alice, `${labelsPath(a)}/lbl_unknown`, 'PATCH', { name: 'X' })).json).toEqual({ error: 'Label not found' });
    expect((await as(alice, `${labelsPath(a)}/${label.id}`, 'DELETE')).status).toBe(204);
    expect((await as(alice, `${labelsPath(a)}/${label.id}`, 'DELETE')).status).toBe(404);
  });

  it('refuses a bad colour, an empty name and unknown fields, naming each', async () => {
    const res = await as(alice, labelsPath(a), 'POST', { name: '  ', color: 'red', shade: 1 });
    expect(res).toMatchObject({ status: 400, json: { error: 'Invalid body' } });
    expect(Object.keys(res.json.issues).sort()).toEqual(['color', 'name', 'shade']);
  });

  it('taken off every report when deleted', async () => {
    const label = await newLabel('Temporary');
    const keep = await newLabel('Keep');
    const row = await report(a);
    await patch(alice, row, { labelIds: [label.id, keep.id] });
    expect((await as(alice, `${labelsPath(a)}/${label.id}`, 'DELETE')).status).toBe(204);
    expect((await stored(row)).labelIds).toEqual([keep.id]);
  });

  it('of another project are out of reach: 404 through this project, 403 for its non-members', async () => {
    const theirs = await newLabel('Theirs', b);
    expect((await as(alice, `${labelsPath(a)}/${theirs.id}`, 'PATCH', { name: 'Mine' })).status).toBe(404);
    expect((await as(alice, `${labelsPath(a)}/${theirs.id}`, 'DELETE')).status).toBe(404);
    expect((await as(alice, labelsPath(b))).status).toBe(403);
    expect((await as(alice, labelsPath(b), 'POST', { name: 'Sneaky', color: '#000000' })).json).toEqual({ error: 'You are not a member of this project' });
    expect((await as(carol, labelsPath(b))).json.items).toEqual([theirs]);
  });
});

describe('PATCH .../feedbacks/:id', () => {
  it('sets the state, with an activity entry by the person', async () => {
    const row = await report(a);
    const res = await patch(alice, row, { state: 'in_progress' });
    expect(res.json).toMatchObject({ id: row.id, state: 'in_progress', assigneeId: null, labelIds: [], priority: 'neutral' });
    expect(res.json.updatedAt > row.updatedAt).toBe(true);
    expect(await activityOf(row)).toEqual([{ kind: 'state', actorLabel: 'Alice', actorId: alice.user.id, data: { from: 'new', to: 'in_progress' } }]);
  });

  it('assigns a member: activity, a notification and an e-mail linking the report to them', async () => {
    const row = await report(a);
    const res = await patch(alice, row, { assigneeId: bob.user.id });
    expect(res.json.assigneeId).toBe(bob.user.id);
    expect(await activityOf(row)).toEqual([{ kind: 'assigned', actorLabel: 'Alice', actorId: alice.user.id, data: { from: null, to: bob.user.id } }]);
    const notes = await t.server.storage.team.listNotifications(bob.user.id, 50);
    expect(notes.filter((n) => n.feedbackId === row.id)).toEqual([
      expect.objectContaining({ kind: 'assigned', clientId: a.id, actorLabel: 'Alice', readAt: null }),
    ]);
    const emails = (await t.server.storage.team.listEmails()).filter((e) => e.to === bob.user.email && e.text.includes(row.id));
    expect(emails).toHaveLength(1);
    const link = `${t.url}/feedback/${row.id}`;
    expect(emails[0]!.subject).toBe('Alice assigned you a report in Shop <A>');
    expect(emails[0]!.text).toContain(link);
    expect(emails[0]!.html).toContain(`href="${link}"`);
    expect(emails[0]!.html).toContain('Shop &#60;A&#62;');
    expect(emails[0]!.html).not.toContain('<b>broken');
  });

  it('notifies no one who assigns themselves, and unassigns with null', async () => {
    const row = await report(a);
    await patch(alice, row, { assigneeId: alice.user.id });
    expect((await t.server.storage.team.listNotifications(alice.user.id, 50)).some((n) => n.feedbackId === row.id)).toBe(false);
    expect((await t.server.storage.team.listEmails()).some((e) => e.text.includes(row.id))).toBe(false);
    const res = await patch(alice, row, { assigneeId: null });
    expect(res.json.assigneeId).toBeNull();
    expect((await activityOf(row)).map((entry) => entry.data)).toEqual([
      { from: null, to: alice.user.id },
      { from: alice.user.id, to: null },
    ]);
  });

  it('sets the priority and the labels, each logged', async () => {
    const [one, two] = [await newLabel('P-one'), await newLabel('P-two')];
    const row = await report(a);
    const res = await patch(alice, row, { priority: 'urgent', labelIds: [two.id, one.id] });
    expect(res.json).toMatchObject({ priority: 'urgent', labelIds: [one.id, two.id].sort() });
    await patch(alice, row, { labelIds: [two.id] });
    // The entries of one change share its time, so they come in the order of their random ids.
    const entries = await activityOf(row);
    expect(entries.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'priority', data: { from: 'neutral', to: 'urgent' } }),
        expect.objectContaining({ kind: 'labelled', data: { added: [one.id, two.id].sort(), removed: [] } }),
      ]),
    );
    expect(entries.slice(2)).toEqual([expect.objectContaining({ kind: 'labelled', data: { added: [], removed: [one.id] } })]);
  });

  it('a project key acts as a member, logged as the key', async () => {
    const row = await report(a);
    expect((await patch(keyA, row, { priority: 'low' })).json.priority).toBe('low');
    expect(await activityOf(row)).toEqual([{ kind: 'priority', actorLabel: `Key ${keyA.kid}`, actorId: null, data: { from: 'neutral', to: 'low' } }]);
  });

  it('changes nothing (no activity, same updatedAt) when every field already has its value', async () => {
    const row = await report(a);
    const res = await patch(alice, row, { state: 'new', priority: 'neutral', assigneeId: null, labelIds: [] });
    expect(res.json.updatedAt).toBe(row.updatedAt);
    expect(await activityOf(row)).toEqual([]);
  });

  it('refuses an assignee who is not a member, a label of another project, and an empty change; nothing changes', async () => {
    const row = await report(a);
    const theirs = await newLabel('Foreign', b);
    const ours = await newLabel('Ours');
    const res = await patch(alice, row, { assigneeId: carol.user.id, labelIds: [ours.id, theirs.id], state: 'done' });
    expect(res).toMatchObject({
      status: 400,
      json: { error: 'Invalid body', issues: { assigneeId: ['Must be a member of this project, or null'], 'labelIds.1': ['Must be a label of this project'] } },
    });
    expect(Object.keys(res.json.issues)).toHaveLength(2);
    expect((await patch(alice, row, {})).json).toEqual({ error: 'Invalid body', issues: { body: ['Give at least one field to change'] } });
    expect((await patch(alice, row, { priority: 'p1' })).json.issues).toEqual({ priority: ['Must be one of urgent, high, neutral, low'] });
    expect((await patch(alice, row, { assigneeId: 7 })).json.issues).toHaveProperty('assigneeId');
    expect(await stored(row)).toMatchObject({ state: 'new', assigneeId: null, labelIds: [], updatedAt: row.updatedAt });
    expect(await activityOf(row)).toEqual([]);
  });

  it('is 403 for a viewer, and for a member of another project', async () => {
    const row = await report(a);
    expect(await patch(viewer, row, { state: 'done' })).toMatchObject({ status: 403, json: { error: 'This needs the member role in this project' } });
    expect(await patch(carol, row, { state: 'done' })).toMatchObject({ status: 403, json: { error: 'You are not a member of this project' } });
    // Through their own project, another project's report does not exist.
    expect((await patch(carol, row, { state: 'done' }, b)).status).toBe(404);
    expect((await stored(row)).state).toBe('new');
  });
});

describe('POST .../feedbacks/bulk', () => {
  it('changes every report at once, in the order asked, each logged, one e-mail to the assignee', async () => {
    const label = await newLabel('Bulk');
    const rows = [await report(a, 'first'), await report(a, 'second'), await report(a, 'third')];
    const ids = [rows[2]!.id, rows[0]!.id, rows[1]!.id, rows[0]!.id];
    const res = await bulk(alice, { ids, change: { state: 'done', assigneeId: bob.user.id, addLabelIds: [label.id] } });
    expect(res.status).toBe(200);
    expect(res.json.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 3));
    for (const item of res.json.items) expect(item).toMatchObject({ state: 'done', assigneeId: bob.user.id, labelIds: [label.id] });
    for (const row of rows) expect((await activityOf(row)).map((entry) => entry.kind).sort()).toEqual(['assigned', 'labelled', 'state']);
    const notes = (await t.server.storage.team.listNotifications(bob.user.id, 100)).filter((n) => rows.some((row) => row.id === n.feedbackId));
    expect(notes).toHaveLength(3);
    const emails = (await t.server.storage.team.listEmails()).filter((e) => e.text.includes(rows[0]!.id));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('Alice assigned you 3 reports in Shop <A>');
    for (const row of rows) expect(emails[0]!.text).toContain(`${t.url}/feedback/${row.id}`);

    const removed = await bulk(alice, { ids: [rows[0]!.id], change: { removeLabelIds: [label.id] } });
    expect(removed.json.items[0].labelIds).toEqual([]);
  });

  it('refuses the whole change when one id is not a report of the project: nothing changes', async () => {
    const label = await newLabel('Atomic');
    const mine = [await report(a), await report(a)];
    const theirs = await report(b);
    const res = await bulk(alice, { ids: [mine[0]!.id, theirs.id, mine[1]!.id, 'fb_unknown'], change: { state: 'done', addLabelIds: [label.id] } });
    expect(res).toMatchObject({
      status: 400,
      json: { error: 'Invalid body', issues: { 'ids.1': ['No feedback item of this project has this id'], 'ids.3': ['No feedback item of this project has this id'] } },
    });
    for (const row of mine) {
      expect(await stored(row)).toMatchObject({ state: 'new', labelIds: [], updatedAt: row.updatedAt });
      expect(await activityOf(row)).toEqual([]);
    }
    expect((await t.server.storage.getFeedback(theirs.id))!.state).toBe('new');
  });

  it('refuses more than 100 ids, foreign labels and assignees, and an empty change', async () => {
    const row = await report(a);
    const many = await bulk(alice, { ids: Array.from({ length: 101 }, () => row.id), change: { state: 'done' } });
    expect(many).toMatchObject({ status: 400, json: { issues: { ids: ['Must be a list of at most 100 ids'] } } });
    const theirs = await newLabel('Elsewhere', b);
    const foreign = await bulk(alice, { ids: [row.id], change: { addLabelIds: [theirs.id], assigneeId: carol.user.id } });
    expect(foreign.json.issues).toEqual({
      'change.addLabelIds.0': ['Must be a label of this project'],
      'change.assigneeId': ['Must be a member of this project, or null'],
    });
    expect((await bulk(alice, { ids: [row.id], change: {} })).json.issues).toEqual({ change: ['Give at least one field to change'] });
    expect((await bulk(alice, { ids: [], change: { state: 'done' } })).json.issues).toEqual({ ids: ['Must be a list of at least one id'] });
    expect(await stored(row)).toMatchObject({ state: 'new', updatedAt: row.updatedAt });
  });

  it('is 403 for a viewer and for a member of another project', async () => {
    const row = await report(a);
    expect((await bulk(viewer, { ids: [row.id], change: { state: 'done' } })).status).toBe(403);
    expect((await bulk(carol, { ids: [row.id], change: { state: 'done' } })).status).toBe(403);
    expect((await bulk(carol, { ids: [row.id], change: { state: 'done' } }, b)).json.issues).toEqual({ 'ids.0': ['No feedback item of this project has this id'] });
    expect((await stored(row)).state).toBe('new');
  });

  it('in storage, a change of several reports applies to all or none (one stale report stops all)', async () => {
    const rows = [await report(a), await report(a)];
    const at = new Date(Date.now() + 1000).toISOString();
    const change = (row: FeedbackRow, previousUpdatedAt: string) => ({ clientId: a.id, id: row.id, state: 'done' as const, updatedAt: at, previousUpdatedAt });
    const stale = await t.server.storage.team.changeFeedbacks([change(rows[0]!, rows[0]!.updatedAt), change(rows[1]!, '2000-01-01T00:00:00.000Z')], {});
    expect(stale).toBe(false);
    for (const row of rows) expect((await t.server.storage.getFeedback(row.id))!.state).toBe('new');
    expect(await t.server.storage.team.changeFeedbacks(rows.map((row) => change(row, row.updatedAt)), {})).toBe(true);
    for (const row of rows) expect((await t.server.storage.getFeedback(row.id))!.state).toBe('done');
  });
});
