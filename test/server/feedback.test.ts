import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../server/storage/types.ts';
import type { ScreenshotRef } from '../../lib/api/schemas.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Acme' });
});
afterAll(() => t.stop());

const invalid = (issues: Record<string, string[]>) => ({ error: 'Invalid data provided', issues });

describe('POST /api/feedback', () => {
  it('stores a full submission with every field, state new, user agent and origin', async () => {
    // A screenshot this server stored for this client, as the upload answered it.
    const upload = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(1280, 800), type: 'image/png' } });
    const { screenshot } = (await upload.json()) as { screenshot: ScreenshotRef };
    const body = {
      clientId: client.id,
      rating: 4,
      comment: 'Love the new checkout',
      userEmail: 'ada@example.com',
      pageUrl: 'https://shop.example.com/checkout?step=2',
      pageTitle: 'Checkout',
      referrer: 'https://shop.example.com/cart',
      environment: 'staging',
      screenshots: [screenshot],
      metadata: { appVersion: '1.2.3', flags: ['a', 'b'], nested: { os: 'Linux' } },
      sessionReplayId: 'replay_123',
      replayOffsetMs: 25_000,
      unknownField: 'dropped',
    };
    const before = Date.now();
    const res = await postFeedback(t.url, body, { Origin: 'https://shop.example.com', 'User-Agent': 'LoupeTest/1.0' });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { success: boolean; feedbackId: string };
    expect(json).toEqual({ success: true, feedbackId: expect.stringMatching(/^fb_[A-Za-z0-9_-]{20,}$/) });

    const row = await t.server.storage.getFeedback(json.feedbackId);
    const { unknownField: _dropped, ...stored } = body;
    expect(row).toMatchObject({ ...stored, id: json.feedbackId, state: 'new', userAgent: 'LoupeTest/1.0', origin: 'https://shop.example.com' });
    expect(row).not.toHaveProperty('unknownField');
    expect(row!.createdAt).toBe(row!.updatedAt);
    expect(Date.parse(row!.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(row!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gives every submission a different, unguessable id and lists newest first', async () => {
    const other = await createClient(t.server.storage, { name: 'Listing' });
    const ids: string[] = [];
    for (const comment of ['first', 'second', 'third']) {
      const res = await postFeedback(t.url, { clientId: other.id, comment });
      ids.push(((await res.json()) as { feedbackId: string }).feedbackId);
    }
    expect(new Set(ids).size).toBe(3);
    const listed = await t.server.storage.listFeedback(other.id);
    expect(listed.map((row) => row.comment)).toEqual(['third', 'second', 'first']);
  });

  it('accepts a rating alone or a comment alone', async () => {
    expect((await postFeedback(t.url, { clientId: client.id, rating: 1 })).status).toBe(200);
    expect((await postFeedback(t.url, { clientId: client.id, comment: 'just words' })).status).toBe(200);
  });

  it('uses the Referer header when pageUrl is absent, and stores absent fields as null', async () => {
    const res = await postFeedback(t.url, { clientId: client.id, rating: 3 }, { Referer: 'https://docs.example.com/page?q=1' });
    const { feedbackId } = (await res.json()) as { feedbackId: string };
    const row = await t.server.storage.getFeedback(feedbackId);
    expect(row).toMatchObject({
      pageUrl: 'https://docs.example.com/page?q=1',
      comment: null,
      userEmail: null,
      environment: null,
      screenshots: null,
      metadata: null,
      sessionReplayId: null,
      replayOffsetMs: null,
      origin: null,
    });
  });

  it('keeps the body pageUrl over the Referer', async () => {
    const res = await postFeedback(
      t.url,
      { clientId: client.id, rating: 3, pageUrl: 'https://a.example.com/x' },
      { Referer: 'https://b.example.com/y' },
    );
    const row = await t.server.storage.getFeedback(((await res.json()) as { feedbackId: string }).feedbackId);
    expect(row?.pageUrl).toBe('https://a.example.com/x');
  });

  it('treats "" email and "" environment as absent', async () => {
    const res = await postFeedback(t.url, { clientId: client.id, rating: 2, userEmail: '', environment: '' });
    expect(res.status).toBe(200);
    const row = await t.server.storage.getFeedback(((await res.json()) as { feedbackId: string }).feedbackId);
    expect(row?.userEmail).toBeNull();
    expect(row?.environment).toBeNull();
  });

  it('answers 400 with issues keyed by field when neither rating nor comment is given', async () => {
    const res = await postFeedback(t.url, { clientId: client.id, comment: '   ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(
      invalid({
        rating: ['Provide a rating or a non-empty comment'],
        comment: ['Provide a rating or a non-empty comment'],
      }),
    );
  });

  it('reports every failing field at once', async () => {
    const res = await postFeedback(t.url, { clientId: 'acme', rating: 7, userEmail: 'nope', replayOffsetMs: -5 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: Record<string, string[]> };
    expect(body.error).toBe('Invalid data provided');
    expect(Object.keys(body.issues).sort()).toEqual(['clientId', 'rating', 'replayOffsetMs', 'userEmail']);
  });

  it('answers 400 invalid data when clientId is missing', async () => {
    const res = await postFeedback(t.url, { rating: 3 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: Record<string, string[]> };
    expect(Object.keys(body.issues)).toEqual(['clientId']);
  });

  it('answers 400 with the clientId issue for a well-formed but unknown client, and stores nothing', async () => {
    const res = await postFeedback(t.url, { clientId: 'client_doesnotexist', rating: 3 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(invalid({ clientId: ['Unknown client ID'] }));
    expect(await t.server.storage.listFeedback('client_doesnotexist')).toEqual([]);
  });

  it('answers 400 for malformed JSON and for JSON that is not an object', async () => {
    const malformed = await postFeedback(t.url, '{"clientId": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual(invalid({ body: ['Body must be valid JSON'] }));

    const empty = await postFeedback(t.url, '');
    expect(empty.status).toBe(400);

    const array = await postFeedback(t.url, '[1,2]');
    expect(array.status).toBe(400);
    expect(await array.json()).toEqual(invalid({ body: ['Body must be a JSON object'] }));
  });

  it('accepts metadata of exactly 10 KB and refuses one byte more', async () => {
    // {"k":"..."} is 8 bytes of framing around the value.
    const fits = { k: 'x'.repeat(10 * 1024 - 8) };
    const ok = await postFeedback(t.url, { clientId: client.id, rating: 3, metadata: fits });
    expect(ok.status).toBe(200);
    const row = await t.server.storage.getFeedback(((await ok.json()) as { feedbackId: string }).feedbackId);
    expect(row?.metadata).toEqual(fits);

    const tooBig = await postFeedback(t.url, { clientId: client.id, rating: 3, metadata: { k: 'x'.repeat(10 * 1024 - 7) } });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toEqual({ error: 'Metadata too large (max 10KB)' });
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await postFeedback(t.url, { clientId: client.id, comment: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Payload too large (max 1MB)' });
  });

  it('keeps working for the next request after refusing an oversized body', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await postFeedback(t.url, { clientId: client.id, comment: 'y'.repeat(2 * 1024 * 1024) })).status).toBe(413);
      expect((await postFeedback(t.url, { clientId: client.id, rating: 4 })).status).toBe(200);
    }
  });

  it('answers 413 for a chunked body over 1 MB with no Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${t.url}/api/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Payload too large (max 1MB)' });
  });
});

describe('POST /api/feedback with deeply nested JSON', () => {
  it('answers 400 under issues.body instead of overflowing the stack while measuring metadata', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await postFeedback(t.url, `{"clientId":"${client.id}","rating":3,"metadata":{"deep":${deep}}}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(invalid({ body: ['Body nests too deeply (max 64 levels)'] }));
    expect(t.loggedErrors).toEqual([]);
  });

  it('still accepts metadata nested a few levels', async () => {
    const res = await postFeedback(t.url, { clientId: client.id, rating: 3, metadata: { a: { b: { c: [1, [2, [3]]] } } } });
    expect(res.status).toBe(200);
  });
});

describe('POST /api/feedback when storage fails', () => {
  it('answers 500 Internal server error, not a crash', async () => {
    const broken = await startTestServer();
    try {
      const created = await createClient(broken.server.storage, { name: 'Doomed' });
      await broken.server.storage.close(); // the database is gone from under the app
      const res = await postFeedback(broken.url, { clientId: created.id, rating: 3 });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'Internal server error' });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      // The background loops (e-mail, outbox) may also log their failing rounds on the closed database.
      expect(broken.loggedMessages.filter((message) => message.includes('/api/feedback'))).toEqual(['Unhandled error on POST /api/feedback:']);
    } finally {
      await broken.stop();
    }
  });
});
