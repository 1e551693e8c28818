import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, FeedbackRow } from '../../server/storage/types.ts';
import { startTestServer, storeFeedback, storeReplay, type TestServer } from './helpers.ts';
import { callApi, createKey, feedbackInput, newestUpdatedFirst, tokenFor, type TestKey } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;
let key: TestKey;

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Paging' });
  key = await createKey(t, client.id);
});
afterAll(() => t.stop());

interface Page {
  items: { id: string; updatedAt: string }[];
  next: string | null;
  previous: string | null;
  has_more: boolean;
}

async function list(clientId: string, query: string, as: TestKey = key): Promise<Page> {
  const res = await callApi(t, `/api/projects/${clientId}/feedbacks${query}`, tokenFor(as));
  expect(res.status).toBe(200);
  return res.json as Page;
}

async function insert(clientId: string, count: number, label: string): Promise<FeedbackRow[]> {
  const rows: FeedbackRow[] = [];
  for (let i = 0; i < count; i++) rows.push(await storeFeedback(t.server.storage, feedbackInput(clientId, { comment: `${label} ${i}` })));
  return rows;
}

describe('GET /api/projects/{clientId}/feedbacks paging', () => {
  it('pages 250 items by 100 forwards then backwards, each exactly once and in order, while new ones arrive', async () => {
    const pagingClient = await createClient(t.server.storage, { name: 'Big' });
    const bigKey = await createKey(t, pagingClient.id);
    const seeded = newestUpdatedFirst(await insert(pagingClient.id, 250, 'seeded'));

    // Forwards from the top: new items land above page 1 and never shift the pages being read.
    const forward: Page[] = [];
    let after: string | null = null;
    do {
      const page = await list(pagingClient.id, `?limit=100${after ? `&after=${after}` : ''}`, bigKey);
      forward.push(page);
      after = page.next;
      await insert(pagingClient.id, 3, 'arrived while paging forwards');
    } while (after);
    expect(forward.map((page) => page.items.length)).toEqual([100, 100, 50]);
    expect(forward.flatMap((page) => page.items.map((item) => item.id))).toEqual(seeded.map((row) => row.id));
    expect(forward.map((page) => page.has_more)).toEqual([true, true, false]);
    expect(forward.map((page) => page.next)).toEqual([forward[0]!.items[99]!.id, forward[1]!.items[99]!.id, null]);
    expect(forward.map((page) => page.previous)).toEqual([null, forward[1]!.items[0]!.id, forward[2]!.items[0]!.id]);

    // Backwards from the last page's first item, up past the top into what arrived meanwhile.
    const backward: Page[] = [];
    let before: string | null = forward[2]!.items[0]!.id;
    while (before) {
      const page = await list(pagingClient.id, `?limit=100&before=${before}`, bigKey);
      backward.push(page);
      before = page.previous;
      if (backward.length === 1) await insert(pagingClient.id, 2, 'arrived while paging backwards');
    }
    const backwardIds = [...backward].reverse().flatMap((page) => page.items.map((item) => item.id));
    const everything = newestUpdatedFirst(await t.server.storage.listFeedback(pagingClient.id));
    // All but the last page, once each, in list order: exactly the whole list above that page.
    expect(backwardIds).toEqual(everything.slice(0, everything.length - 50).map((row) => row.id));
    expect(new Set(backwardIds).size).toBe(backwardIds.length);
    expect(backward[0]!.items.map((item) => item.id)).toEqual(forward[1]!.items.map((item) => item.id));
    expect(backward.at(-1)!.has_more).toBe(false);
    expect(backward.at(-1)!.previous).toBeNull();
    expect(backward.every((page) => page.next === page.items.at(-1)!.id)).toBe(true);
  });

  it('defaults to 10 items, newest updated first, with every field of an item', async () => {
    const replay = await storeReplay(t.server.storage, {
      clientId: client.id,
      fileName: `${client.id}/1700000000000-abcdefghijklmnopqrstuv.json.gz`,
      fileSize: 1234,
      durationMs: 15_000,
      eventCount: 42,
      startedAt: new Date().toISOString(),
    });
    const strangers = await createClient(t.server.storage, { name: 'Strangers' });
    const foreignReplay = await storeReplay(t.server.storage, {
      clientId: strangers.id,
      fileName: `${strangers.id}/1700000000000-abcdefghijklmnopqrstuv.json.gz`,
      fileSize: 1,
      durationMs: 1,
      eventCount: 2,
      startedAt: new Date().toISOString(),
    });
    await insert(client.id, 11, 'filler');
    const foreign = await storeFeedback(t.server.storage, feedbackInput(client.id, { sessionReplayId: foreignReplay.id }));
    const full = await storeFeedback(t.server.storage, 
      feedbackInput(client.id, {
        rating: 4,
        comment: 'Checkout button does nothing',
        userEmail: 'ada@example.com',
        pageUrl: 'https://shop.example.com/checkout',
        pageTitle: 'Checkout',
        referrer: 'https://shop.example.com/cart',
        environment: 'staging',
        screenshots: [{ fileName: `${client.id}/1-a.png`, url: 'https://x.example/1-a.png', fileSize: 10, mimeType: 'image/png' }],
        metadata: { appVersion: '1.2.3' },
        sessionReplayId: replay.id,
        replayOffsetMs: 12_000,
        userAgent: 'UA',
        origin: 'https://shop.example.com',
      }),
    );
    const page = await list(client.id, '');
    expect(page.items).toHaveLength(10);
    expect(page.has_more).toBe(true);
    const expected = newestUpdatedFirst(await t.server.storage.listFeedback(client.id));
    expect(page.items.map((item) => item.id)).toEqual(expected.slice(0, 10).map((row) => row.id));
    // Items stored within one millisecond are ordered by id, so look these two up by id.
    const all = (await list(client.id, '?limit=100')).items;
    expect(all.find((item) => item.id === full.id)).toEqual({
      id: full.id,
      clientId: client.id,
      state: 'new',
      assigneeId: null,
      priority: 'neutral',
      labelIds: [],
      rating: 4,
      comment: 'Checkout button does nothing',
      userEmail: 'ada@example.com',
      pageUrl: 'https://shop.example.com/checkout',
      pageTitle: 'Checkout',
      referrer: 'https://shop.example.com/cart',
      environment: 'staging',
      screenshots: full.screenshots,
      metadata: { appVersion: '1.2.3' },
      sessionReplayId: replay.id,
      replayOffsetMs: 12_000,
      replay: { id: replay.id, url: `${t.url}/replays/${replay.id}.json.gz`, durationMs: 15_000, eventCount: 42 },
      createdAt: full.createdAt,
      updatedAt: full.updatedAt,
    });
    // Another client's replay id does not pull that replay in; absent fields are null, not missing.
    expect(all.find((item) => item.id === foreign.id)).toMatchObject({ id: foreign.id, replay: null, rating: null, comment: null, environment: null });
  });

  it.each([['0'], ['101'], ['abc'], ['1.5'], ['-1'], [''], ['010']])('refuses limit=%j with 400 naming limit', async (limit) => {
    const res = await callApi(t, `/api/projects/${client.id}/feedbacks?limit=${limit}`, tokenFor(key));
    expect(res).toMatchObject({ status: 400, json: { error: 'Invalid query', issues: { limit: ['Must be an integer from 1 to 100'] } } });
  });

  it('refuses an unknown cursor, another project\'s item as cursor, and after with before', async () => {
    const base = `/api/projects/${client.id}/feedbacks`;
    const unknown = await callApi(t, `${base}?after=fb_nothing`, tokenFor(key));
    expect(unknown).toMatchObject({ status: 400, json: { error: 'Invalid query', issues: { after: [expect.any(String)] } } });
    const stranger = await createClient(t.server.storage, { name: 'Stranger' });
    const [theirs] = await insert(stranger.id, 1, 'theirs');
    expect((await callApi(t, `${base}?before=${theirs!.id}`, tokenFor(key))).json.issues).toHaveProperty('before');
    const [mine] = await insert(client.id, 1, 'mine');
    const both = await callApi(t, `${base}?after=${mine!.id}&before=${mine!.id}`, tokenFor(key));
    expect(both).toMatchObject({ status: 400, json: { error: 'Invalid query', issues: { before: ['Use after or before, not both'] } } });
  });

  it('answers an empty page past the end with no cursors', async () => {
    const lonely = await createClient(t.server.storage, { name: 'Lonely' });
    const lonelyKey = await createKey(t, lonely.id);
    const [only] = await insert(lonely.id, 1, 'only');
    const res = await callApi(t, `/api/projects/${lonely.id}/feedbacks?after=${only!.id}`, tokenFor(lonelyKey));
    expect(res.json).toEqual({ items: [], next: null, previous: null, has_more: false });
    const first = await callApi(t, `/api/projects/${lonely.id}/feedbacks`, tokenFor(lonelyKey));
    expect(first.json).toMatchObject({ next: null, previous: null, has_more: false });
    expect(first.json.items).toHaveLength(1);
  });
});
