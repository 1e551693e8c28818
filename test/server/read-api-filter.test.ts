import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, FeedbackRow, FeedbackState, NewFeedback } from '../../server/storage/types.ts';
import { startTestServer, storeFeedback, type TestServer } from './helpers.ts';
import { callApi, createKey, feedbackInput, newestUpdatedFirst, tokenFor, type TestKey } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';
import { setFeedbackState } from '../../server/feedback-state.ts';
import type { Priority } from '../../server/storage/team-types.ts';
import { addPerson } from './team-helpers.ts';

let t: TestServer;
let client: Client;
let key: TestKey;
let rows: FeedbackRow[];
// Triage fields: two members, two labels; who, which labels and what priority vary by row.
let people: string[];
let labels: string[];
let labelsOf: Map<string, string[]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Filters' });
  key = await createKey(t, client.id);
  const member = { clientId: client.id, role: 'member' as const };
  people = [(await addPerson(t.server.storage, member)).user.id, (await addPerson(t.server.storage, member)).user.id];
  labels = [];
  for (const name of ['bug', 'idea']) {
    const res = await callApi(t, `/api/projects/${client.id}/labels`, tokenFor(key), { method: 'POST', body: { name, color: '#123456' } });
    labels.push(res.json.id);
  }
  const assignees = [null, people[0]!, people[1]!, null];
  const priorities: Priority[] = ['urgent', 'neutral', 'high', 'low', 'neutral'];
  const labelSets = [[], [labels[0]!], [labels[1]!], [labels[0]!, labels[1]!], [], []];
  const environments = [null, 'staging', 'production'];
  const states: FeedbackState[] = ['new', 'in_progress', 'done'];
  const pages = ['https://shop.example.com/checkout?step=2', 'https://shop.example.com/cart', 'https://docs.example.com/', null];
  const comments = ['Checkout is BROKEN', 'love the cart', '100% wrong_total', null, 'slow checkout page'];
  for (let i = 0; i < 36; i++) {
    const fields: Partial<NewFeedback> = {
      rating: i % 5 === 0 ? null : (i % 4) + 1,
      comment: comments[i % comments.length]!,
      environment: environments[i % 3]!,
      pageUrl: pages[i % 4]!,
      userEmail: i % 6 === 0 ? null : `user${i % 3}@Example.com`,
    };
    const row = await storeFeedback(t.server.storage, feedbackInput(client.id, fields));
    const state = states[Math.floor(i / 3) % 3]!;
    if (state !== 'new') await setFeedbackState(t.server.storage, client.id, row.id, state, Date.now());
    const triage = { assigneeId: assignees[i % 4]!, priority: priorities[i % 5]!, labelIds: labelSets[i % 6]! };
    const patched = await callApi(t, `/api/projects/${client.id}/feedbacks/${row.id}`, tokenFor(key), { method: 'PATCH', body: triage });
    expect(patched.status).toBe(200);
    // A few milliseconds apart, so time ranges split the set.
    if (i % 6 === 5) await sleep(3);
  }
  rows = await t.server.storage.listFeedback(client.id);
  labelsOf = await t.server.storage.team.labelsOf(rows.map((row) => row.id));
});
afterAll(() => t.stop());

const filterPath = () => `/api/projects/${client.id}/feedbacks/filter`;

async function filtered(body: unknown, query = '?limit=100'): Promise<{ ids: string[]; count: number }> {
  const list = await callApi(t, `${filterPath()}${query}`, tokenFor(key), { method: 'POST', body });
  expect(list.status).toBe(200);
  const count = await callApi(t, `${filterPath()}/count`, tokenFor(key), { method: 'POST', body });
  expect(count.status).toBe(200);
  return { ids: list.json.items.map((item: { id: string }) => item.id), count: count.json.count };
}

// Queries are thunks: the times they name exist only once the rows are stored.
type Case = [name: string, query: () => { filter_type: string; operator: string; value: unknown }[], keep: (row: FeedbackRow) => boolean];

const at = (i: number) => [...rows].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))[i]!.createdAt;
// The same instant written with a +02:00 offset: the API compares instants, not strings.
const withOffset = (iso: string) => new Date(Date.parse(iso) + 2 * 3600_000).toISOString().replace('Z', '+02:00');

const CASES: Case[] = [
  ['state eq', () => [{ filter_type: 'state', operator: 'eq', value: 'done' }], (r) => r.state === 'done'],
  ['state neq', () => [{ filter_type: 'state', operator: 'neq', value: 'new' }], (r) => r.state !== 'new'],
  ['state in', () => [{ filter_type: 'state', operator: 'in', value: ['new', 'done'] }], (r) => r.state !== 'in_progress'],
  ['rating eq', () => [{ filter_type: 'rating', operator: 'eq', value: 2 }], (r) => r.rating === 2],
  ['rating neq (no rating counts as not 2)', () => [{ filter_type: 'rating', operator: 'neq', value: 2 }], (r) => r.rating !== 2],
  ['rating in', () => [{ filter_type: 'rating', operator: 'in', value: [1, 4] }], (r) => r.rating === 1 || r.rating === 4],
  ['rating gt', () => [{ filter_type: 'rating', operator: 'gt', value: 2 }], (r) => r.rating !== null && r.rating > 2],
  ['rating gte', () => [{ filter_type: 'rating', operator: 'gte', value: 3 }], (r) => r.rating !== null && r.rating >= 3],
  ['rating lt', () => [{ filter_type: 'rating', operator: 'lt', value: 2 }], (r) => r.rating !== null && r.rating < 2],
  ['rating lte', () => [{ filter_type: 'rating', operator: 'lte', value: 2 }], (r) => r.rating !== null && r.rating <= 2],
  ['environment eq', () => [{ filter_type: 'environment', operator: 'eq', value: 'staging' }], (r) => r.environment === 'staging'],
  ['environment eq default (absent)', () => [{ filter_type: 'environment', operator: 'eq', value: 'default' }], (r) => r.environment === null],
  ['environment neq default', () => [{ filter_type: 'environment', operator: 'neq', value: 'default' }], (r) => r.environment !== null],
  ['environment neq staging (default included)', () => [{ filter_type: 'environment', operator: 'neq', value: 'staging' }], (r) => r.environment !== 'staging'],
  ['environment in with default', () => [{ filter_type: 'environment', operator: 'in', value: ['default', 'production'] }], (r) => r.environment !== 'staging'],
  ['userEmail eq', () => [{ filter_type: 'userEmail', operator: 'eq', value: 'user1@Example.com' }], (r) => r.userEmail === 'user1@Example.com'],
  ['userEmail contains (any case)', () => [{ filter_type: 'userEmail', operator: 'contains', value: 'r2@example' }], (r) => r.userEmail === 'user2@Example.com'],
  ['pageUrl eq', () => [{ filter_type: 'pageUrl', operator: 'eq', value: 'https://shop.example.com/cart' }], (r) => r.pageUrl === 'https://shop.example.com/cart'],
  ['pageUrl starts_with', () => [{ filter_type: 'pageUrl', operator: 'starts_with', value: 'https://shop.example.com/' }], (r) => r.pageUrl?.startsWith('https://shop.example.com/') === true],
  ['pageUrl starts_with is case-sensitive', () => [{ filter_type: 'pageUrl', operator: 'starts_with', value: 'https://SHOP' }], () => false],
  ['comment contains, any case', () => [{ filter_type: 'comment', operator: 'contains', value: 'checkout' }], (r) => /checkout/i.test(r.comment ?? '')],
  ['comment contains % and _ literally', () => [{ filter_type: 'comment', operator: 'contains', value: '0% wrong_' }], (r) => r.comment === '100% wrong_total'],
  ['comment contains _ is not a wildcard', () => [{ filter_type: 'comment', operator: 'contains', value: 'love_the' }], () => false],
  ['created_at gt', () => [{ filter_type: 'created_at', operator: 'gt', value: at(17) }], (r) => r.createdAt > at(17)],
  ['created_at gte and lt (a range)', () => [
    { filter_type: 'created_at', operator: 'gte', value: at(6) },
    { filter_type: 'created_at', operator: 'lt', value: at(30) },
  ], (r) => r.createdAt >= at(6) && r.createdAt < at(30)],
  ['created_at lte with an offset', () => [{ filter_type: 'created_at', operator: 'lte', value: withOffset(at(12)) }], (r) => r.createdAt <= at(12)],
  ['created_at eq', () => [{ filter_type: 'created_at', operator: 'eq', value: at(20) }], (r) => r.createdAt === at(20)],
  ['updated_at gte', () => [{ filter_type: 'updated_at', operator: 'gte', value: at(18) }], (r) => r.updatedAt >= at(18)],
  ['assignee eq', () => [{ filter_type: 'assignee', operator: 'eq', value: people[0] }], (r) => r.assigneeId === people[0]],
  ['assignee eq null (unassigned)', () => [{ filter_type: 'assignee', operator: 'eq', value: null }], (r) => r.assigneeId === null],
  ['assignee neq null (assigned to anyone)', () => [{ filter_type: 'assignee', operator: 'neq', value: null }], (r) => r.assigneeId !== null],
  ['assignee neq (unassigned included)', () => [{ filter_type: 'assignee', operator: 'neq', value: people[0] }], (r) => r.assigneeId !== people[0]],
  ['assignee in with null', () => [{ filter_type: 'assignee', operator: 'in', value: [people[1], null] }], (r) => r.assigneeId !== people[0]],
  ['assignee eq an id no one has', () => [{ filter_type: 'assignee', operator: 'eq', value: 'usr_nobody' }], () => false],
  ['label eq', () => [{ filter_type: 'label', operator: 'eq', value: labels[0] }], (r) => (labelsOf.get(r.id) ?? []).includes(labels[0]!)],
  ['label in (any of them)', () => [{ filter_type: 'label', operator: 'in', value: labels }], (r) => (labelsOf.get(r.id) ?? []).length > 0],
  ['label eq an unknown label', () => [{ filter_type: 'label', operator: 'eq', value: 'lbl_unknown' }], () => false],
  ['priority eq', () => [{ filter_type: 'priority', operator: 'eq', value: 'urgent' }], (r) => r.priority === 'urgent'],
  ['priority neq', () => [{ filter_type: 'priority', operator: 'neq', value: 'neutral' }], (r) => r.priority !== 'neutral'],
  ['priority in', () => [{ filter_type: 'priority', operator: 'in', value: ['high', 'low'] }], (r) => r.priority === 'high' || r.priority === 'low'],
  ['triage filters ANDed with a state', () => [
    { filter_type: 'label', operator: 'eq', value: labels[1] },
    { filter_type: 'assignee', operator: 'neq', value: null },
    { filter_type: 'state', operator: 'neq', value: 'done' },
  ], (r) => (labelsOf.get(r.id) ?? []).includes(labels[1]!) && r.assigneeId !== null && r.state !== 'done'],
  ['several filters ANDed', () => [
    { filter_type: 'state', operator: 'eq', value: 'new' },
    { filter_type: 'rating', operator: 'gte', value: 3 },
    { filter_type: 'environment', operator: 'neq', value: 'production' },
  ], (r) => r.state === 'new' && r.rating !== null && r.rating >= 3 && r.environment !== 'production'],
];

describe('POST .../feedbacks/filter and .../filter/count', () => {
  it('{} lists every item newest-updated first, and counts them', async () => {
    const { ids, count } = await filtered({});
    expect(ids).toEqual(newestUpdatedFirst(rows).map((row) => row.id));
    expect(count).toBe(36);
  });

  it.each(CASES)('%s: the list holds exactly the matching items, and count equals its length', async (_name, query, keep) => {
    const expected = newestUpdatedFirst(rows.filter(keep)).map((row) => row.id);
    const { ids, count } = await filtered({ query: query() });
    expect(ids).toEqual(expected);
    expect(count).toBe(expected.length);
  });

  it('orders by created_at either way, and pages a filtered list with the same cursors', async () => {
    const oldestFirst = await filtered({ order_by: { direction: 'asc', order_by_type: 'created_at' } });
    const byCreated = [...rows].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    expect(oldestFirst.ids).toEqual(byCreated.map((row) => row.id));
    const newestFirst = await filtered({ order_by: { direction: 'desc', order_by_type: 'created_at' } });
    expect(newestFirst.ids).toEqual([...oldestFirst.ids].reverse());

    const body = { query: [{ filter_type: 'state', operator: 'neq', value: 'done' }] };
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res = await callApi(t, `${filterPath()}?limit=7${after ? `&after=${after}` : ''}`, tokenFor(key), { method: 'POST', body });
      seen.push(...res.json.items.map((item: { id: string }) => item.id));
      after = res.json.next;
    } while (after);
    expect(seen).toEqual((await filtered(body)).ids);
  });
});

describe('malformed filters: 400 naming the place', () => {
  const bad: [string, unknown, Record<string, string[]>][] = [
    ['an operator the type does not take', { query: [{ filter_type: 'rating', operator: 'starts_with', value: 'x' }] }, { 'query.0.operator': ['rating cannot use starts_with'] }],
    ['comment eq', { query: [{ filter_type: 'comment', operator: 'eq', value: 'x' }] }, { 'query.0.operator': ['comment cannot use eq'] }],
    ['an unknown filter type', { query: [{ filter_type: 'mood', operator: 'eq', value: 'x' }] }, { 'query.0.filter_type': [expect.stringContaining('Unknown filter type mood')] }],
    ['a rating out of range', { query: [{ filter_type: 'rating', operator: 'eq', value: 5 }] }, { 'query.0.value': ['Must be an integer from 1 to 4'] }],
    ['a rating as text', { query: [{ filter_type: 'rating', operator: 'gte', value: '3' }] }, { 'query.0.value': ['Must be an integer from 1 to 4'] }],
    ['a bad state in a list (second filter)', {
      query: [{ filter_type: 'rating', operator: 'eq', value: 1 }, { filter_type: 'state', operator: 'in', value: ['new', 'closed'] }],
    }, { 'query.1.value.1': ['Must be one of new, in_progress, done'] }],
    ['an empty in list', { query: [{ filter_type: 'state', operator: 'in', value: [] }] }, { 'query.0.value': ['Must be a list of at least one value'] }],
    ['in without a list', { query: [{ filter_type: 'state', operator: 'in', value: 'new' }] }, { 'query.0.value': ['Must be a list'] }],
    ['a date without a time', { query: [{ filter_type: 'created_at', operator: 'gt', value: '2024-06-07' }] }, { 'query.0.value': [expect.stringContaining('ISO 8601 date-time')] }],
    ['a missing value', { query: [{ filter_type: 'pageUrl', operator: 'eq' }] }, { 'query.0.value': ['Required'] }],
    ['an unknown key in a filter', { query: [{ filter_type: 'state', operator: 'eq', value: 'new', negate: true }] }, { 'query.0.negate': ['Unknown field'] }],
    ['query not a list', { query: { filter_type: 'state' } }, { query: ['Must be a list'] }],
    ['a bad direction', { order_by: { direction: 'up', order_by_type: 'created_at' } }, { 'order_by.direction': ['Must be "asc" or "desc"'] }],
    ['a bad order type', { order_by: { direction: 'asc', order_by_type: 'rating' } }, { 'order_by.order_by_type': ['Must be "created_at" or "updated_at"'] }],
    ['assignee contains', { query: [{ filter_type: 'assignee', operator: 'contains', value: 'usr' }] }, { 'query.0.operator': ['assignee cannot use contains'] }],
    ['label neq', { query: [{ filter_type: 'label', operator: 'neq', value: 'lbl_x' }] }, { 'query.0.operator': ['label cannot use neq'] }],
    ['label eq null', { query: [{ filter_type: 'label', operator: 'eq', value: null }] }, { 'query.0.value': ['Must be a label id'] }],
    ['an assignee as a number', { query: [{ filter_type: 'assignee', operator: 'eq', value: 3 }] }, { 'query.0.value': ['Must be a user id or null'] }],
    ['a priority that is not one', { query: [{ filter_type: 'priority', operator: 'in', value: ['high', 'p1'] }] }, { 'query.0.value.1': ['Must be one of urgent, high, neutral, low'] }],
    ['a misspelt top-level key', { filters: [] }, { filters: ['Unknown field'] }],
    ['a JSON array body', [], { body: ['Body must be a JSON object'] }],
    ['a body that is not JSON', '{nope', { body: ['Body must be valid JSON'] }],
    ['no body at all', '', { body: [expect.stringContaining('required')] }],
  ];

  it.each(bad)('%s', async (_name, body, issues) => {
    for (const path of [filterPath(), `${filterPath()}/count`]) {
      const res = await callApi(t, path, tokenFor(key), { method: 'POST', body: typeof body === 'string' ? body || undefined : body });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'Invalid filter', issues });
    }
  });

  it('refuses a bad limit on the filter route as an invalid query', async () => {
    const res = await callApi(t, `${filterPath()}?limit=500`, tokenFor(key), { method: 'POST', body: {} });
    expect(res.json).toEqual({ error: 'Invalid query', issues: { limit: ['Must be an integer from 1 to 100'] } });
  });

  it('refuses a body far larger than any filter with 413', async () => {
    const body = { query: [{ filter_type: 'comment', operator: 'contains', value: 'x'.repeat(100 * 1024) }] };
    const res = await callApi(t, filterPath(), tokenFor(key), { method: 'POST', body });
    expect(res.status).toBe(413);
  });
});

describe('GET .../feedbacks/{id}', () => {
  it('answers one item as lists do, and 404 for an unknown id or an item of another project', async () => {
    const row = rows[3]!;
    const res = await callApi(t, `/api/projects/${client.id}/feedbacks/${row.id}`, tokenFor(key));
    expect(res.status).toBe(200);
    const listed = (await filtered({})).ids.indexOf(row.id);
    expect(listed).toBeGreaterThanOrEqual(0);
    expect(res.json).toMatchObject({ id: row.id, clientId: client.id, comment: row.comment, state: row.state, replay: null });
    const unknown = await callApi(t, `/api/projects/${client.id}/feedbacks/fb_unknown`, tokenFor(key));
    expect(unknown).toMatchObject({ status: 404, json: { error: 'Feedback not found' } });
    const other = await createClient(t.server.storage, { name: 'Elsewhere' });
    const theirs = await storeFeedback(t.server.storage, feedbackInput(other.id, { comment: 'theirs' }));
    expect((await callApi(t, `/api/projects/${client.id}/feedbacks/${theirs.id}`, tokenFor(key))).status).toBe(404);
  });
});

describe('PATCH .../feedbacks/{id}', () => {
  it('changes the state, bumps updatedAt strictly, and moves the item to the top', async () => {
    const oldest = [...rows].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1))[0]!;
    const before = (await t.server.storage.getFeedback(oldest.id))!;
    const path = `/api/projects/${client.id}/feedbacks/${oldest.id}`;
    const res = await callApi(t, path, tokenFor(key), { method: 'PATCH', body: { state: 'in_progress' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: oldest.id, state: 'in_progress', createdAt: before.createdAt, replay: null });
    expect(res.json.updatedAt > before.updatedAt).toBe(true);
    const again = await callApi(t, path, tokenFor(key), { method: 'PATCH', body: { state: 'done' } });
    expect(again.json.updatedAt > res.json.updatedAt).toBe(true);
    const top = await callApi(t, `/api/projects/${client.id}/feedbacks?limit=1`, tokenFor(key));
    expect(top.json.items[0]).toMatchObject({ id: oldest.id, state: 'done' });
    expect((await t.server.storage.getFeedback(oldest.id))!.state).toBe('done');
    rows = await t.server.storage.listFeedback(client.id);
  });

  it('keeps counts by state right as states change', async () => {
    const counted = async (state: string) =>
      (await filtered({ query: [{ filter_type: 'state', operator: 'eq', value: state }] })).count;
    const byState = (state: string) => rows.filter((row) => row.state === state).length;
    expect([await counted('new'), await counted('in_progress'), await counted('done')]).toEqual([byState('new'), byState('in_progress'), byState('done')]);
  });

  it('answers 404 for an unknown id or an item of another project', async () => {
    const unknown = await callApi(t, `/api/projects/${client.id}/feedbacks/fb_unknown`, tokenFor(key), { method: 'PATCH', body: { state: 'done' } });
    expect(unknown).toMatchObject({ status: 404, json: { error: 'Feedback not found' } });
    const other = await createClient(t.server.storage, { name: 'Other' });
    const theirs = await storeFeedback(t.server.storage, feedbackInput(other.id, { comment: 'theirs' }));
    const res = await callApi(t, `/api/projects/${client.id}/feedbacks/${theirs.id}`, tokenFor(key), { method: 'PATCH', body: { state: 'done' } });
    expect(res.status).toBe(404);
    expect((await t.server.storage.getFeedback(theirs.id))!.state).toBe('new');
  });

  it('refuses a state that is not one of the three, or a missing one', async () => {
    const path = `/api/projects/${client.id}/feedbacks/${rows[0]!.id}`;
    const bad = await callApi(t, path, tokenFor(key), { method: 'PATCH', body: { state: 'closed' } });
    expect(bad).toMatchObject({ status: 400, json: { error: 'Invalid body', issues: { state: ['Must be one of new, in_progress, done'] } } });
    const none = await callApi(t, path, tokenFor(key), { method: 'PATCH', body: {} });
    expect(none.json).toEqual({ error: 'Invalid body', issues: { body: ['Give at least one field to change'] } });
  });
});
