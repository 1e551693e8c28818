/**
 * U+0000 in what clients send: PostgreSQL's text cannot hold it, so the server stores it as
 * U+FFFD on both engines (server/storable-text.ts), and lookups with a NUL find nothing
 * instead of failing. Runs in `server` (SQLite) and `server-pg` (PostgreSQL) alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { Client } from '../../server/storage/types.ts';
import { postFeedback, startTestServer, type TestServer } from './helpers.ts';
import { callApi, createKey, tokenFor, type TestKey } from './read-api-helpers.ts';

let t: TestServer;
let client: Client;
let key: TestKey;

beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  client = await createClient(t.server.storage, { name: 'NUL' });
  key = await createKey(t, client.id);
});
afterAll(() => t.stop());

describe('a NUL character in text', () => {
  it('is accepted at ingest and stored as U+FFFD in every text field, metadata kept as sent', async () => {
    const res = await postFeedback(t.url, {
      clientId: client.id,
      rating: 2,
      comment: 'before\u0000after',
      pageTitle: 'title\u0000',
      pageUrl: 'https://shop.example.com/a\u0000b',
      referrer: 'https://ref.example.com/\u0000',
      environment: 'stag\u0000ing',
      sessionReplayId: 'session\u0000id',
      metadata: { note: 'meta\u0000data' },
    });
    expect(res.status).toBe(200);
    const { feedbackId } = (await res.json()) as { feedbackId: string };
    const row = await t.server.storage.getFeedback(feedbackId);
    expect(row).toMatchObject({
      comment: 'before\uFFFDafter',
      pageTitle: 'title\uFFFD',
      pageUrl: 'https://shop.example.com/a\uFFFDb',
      referrer: 'https://ref.example.com/\uFFFD',
      environment: 'stag\uFFFDing',
      sessionReplayId: 'session\uFFFDid',
      metadata: { note: 'meta\u0000data' },
    });
    expect(t.loggedErrors).toEqual([]);
  });

  it('in a filter value finds what was stored for it', async () => {
    const body = { query: [{ filter_type: 'comment', operator: 'contains', value: 'e\u0000a' }] };
    const res = await callApi(t, `/api/projects/${client.id}/feedbacks/filter`, tokenFor(key), { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(res.json.items.map((item: { comment: string }) => item.comment)).toEqual(['before\uFFFDafter']);
  });

  it('in a cursor, a client id or a token’s kid is an unknown name, never a server error', async () => {
    const cursor = await callApi(t, `/api/projects/${client.id}/feedbacks?after=fb_%00x`, tokenFor(key));
    expect(cursor.status).toBe(400);
    const project = await callApi(t, `/api/projects/client_%00x/feedbacks`, tokenFor(key));
    expect(project.status).toBe(401); // as for any project the key is not for
    const kid = await callApi(t, `/api/projects/${client.id}/feedbacks`, tokenFor({ ...key, kid: `${key.kid}\u0000` }));
    expect(kid.status).toBe(401);
    const ingest = await postFeedback(t.url, { clientId: 'client_\u0000nope', rating: 1 });
    expect(ingest.status).toBe(400);
    expect(t.loggedErrors).toEqual([]);
  });
});
