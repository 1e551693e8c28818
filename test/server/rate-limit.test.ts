import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/rate-limit.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

describe('createRateLimiter', () => {
  it('lets a full minute’s allowance through, then says when the next token is due', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 3, nowMs: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual(Array(3).fill({ ok: true }));
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(limiter.take('b')).toEqual({ ok: true });
    now += 19_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a').ok).toBe(false);
  });

  it('never refuses when the limit is 0, and tracks nothing', () => {
    const limiter = createRateLimiter({ perMinute: 0, nowMs: () => 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const limiter = createRateLimiter({ perMinute: 7, nowMs: () => 0 });
    for (let i = 0; i < 7; i++) limiter.take('a');
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 9 }); // 60/7 = 8.57 s
  });

  it('keeps at most maxKeys entries, forgetting the least recently seen first', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 1, nowMs: () => now, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    now += 1;
    expect(limiter.take('a').ok).toBe(false); // a is now the most recent
    limiter.take('d'); // evicts b
    expect(limiter.size).toBe(3);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true); // forgotten, so full again
    for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`);
    expect(limiter.size).toBe(3);
  });

  it('peek says what take would, without taking or tracking anything', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 2, nowMs: () => now });
    expect(limiter.peek('a')).toEqual({ ok: true });
    expect(limiter.size).toBe(0);
    limiter.take('a');
    limiter.take('a');
    for (let i = 0; i < 5; i++) expect(limiter.peek('a')).toEqual({ ok: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(limiter.peek('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.peek('a').ok).toBe(false);
  });

  it('does not mint tokens when the clock steps back', () => {
    let now = 60_000;
    const limiter = createRateLimiter({ perMinute: 1, nowMs: () => now });
    limiter.take('a');
    now = 0;
    expect(limiter.take('a').ok).toBe(false);
  });
});

describe('rate limits over HTTP', () => {
  let t: TestServer | undefined;
  let clock = 1_000_000;
  afterEach(() => t?.stop());

  const png = () => ({ bytes: pngBytes(4, 4), type: 'image/png' });

  it('answers 429 Too many requests with Retry-After per IP, on both routes, and recovers', async () => {
    t = await startTestServer({ rateLimitIpPerMin: 3, rateLimitClientPerMin: 0, nowMs: () => clock });
    const client = await createClient(t.server.storage, { name: 'ip' });
    const statuses = [
      (await postFeedback(t.url, { clientId: client.id, rating: 3 })).status,
      (await postFeedback(t.url, '{not json')).status, // a refused request still counts
      (await postScreenshot(t.url, { clientId: client.id, screenshot: png() })).status,
    ];
    expect(statuses).toEqual([200, 400, 200]);
    for (const res of [
      await postFeedback(t.url, { clientId: client.id, rating: 3 }),
      await postScreenshot(t.url, { clientId: client.id, screenshot: png() }),
    ]) {
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ error: 'Too many requests' });
      expect(res.headers.get('retry-after')).toBe('20');
      expect(res.headers.get('connection')).toBe('close');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
    }
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(1);

    // The preflight and the other routes are never limited.
    const preflight = await fetch(`${t.url}/api/feedback`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

    clock += 20_000;
    expect((await postFeedback(t.url, { clientId: client.id, rating: 3 })).status).toBe(200);
    expect((await postFeedback(t.url, { clientId: client.id, rating: 3 })).status).toBe(429);
  });

  it('limits writes per client, leaves other clients alone, and recovers', async () => {
    t = await startTestServer({ rateLimitIpPerMin: 0, rateLimitClientPerMin: 2, nowMs: () => clock });
    const busy = await createClient(t.server.storage, { name: 'busy' });
    const quiet = await createClient(t.server.storage, { name: 'quiet' });
    expect((await postFeedback(t.url, { clientId: busy.id, rating: 1 })).status).toBe(200);
    expect((await postScreenshot(t.url, { clientId: busy.id, screenshot: png() })).status).toBe(200);
    const refused = await postFeedback(t.url, { clientId: busy.id, rating: 1 });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: 'Too many requests' });
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await postFeedback(t.url, { clientId: quiet.id, rating: 1 })).status).toBe(200);
    expect(await t.server.storage.listFeedback(busy.id)).toHaveLength(1);
    clock += 30_000;
    expect((await postFeedback(t.url, { clientId: busy.id, rating: 1 })).status).toBe(200);
  });

  it('takes a per-client limit that does not divide a minute (fractional intervals) on every engine', async () => {
    t = await startTestServer({ rateLimitIpPerMin: 0, rateLimitClientPerMin: 7, nowMs: () => clock });
    const client = await createClient(t.server.storage, { name: 'seven' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await postFeedback(t.url, { clientId: client.id, rating: 2 })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    clock += 8_572; // one interval (60 s / 7), in whole milliseconds
    expect((await postFeedback(t.url, { clientId: client.id, rating: 2 })).status).toBe(200);
    expect(t.loggedErrors).toEqual([]);
  });

  it('does not refuse a replayed request: it writes nothing, so the client limit does not count it', async () => {
    t = await startTestServer({ rateLimitIpPerMin: 0, rateLimitClientPerMin: 1, nowMs: () => clock });
    const client = await createClient(t.server.storage, { name: 'replay' });
    const headers = { 'Idempotency-Key': 'replayed-key' };
    const first = await postFeedback(t.url, { clientId: client.id, rating: 2 }, headers);
    const replay = await postFeedback(t.url, { clientId: client.id, rating: 2 }, headers);
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await postFeedback(t.url, { clientId: client.id, rating: 2 })).status).toBe(429);
    // A 429 is not remembered: the same key works once the limit has room again.
    const limitedKey = { 'Idempotency-Key': 'limited-key' };
    expect((await postFeedback(t.url, { clientId: client.id, rating: 2 }, limitedKey)).status).toBe(429);
    clock += 60_000;
    const later = await postFeedback(t.url, { clientId: client.id, rating: 2 }, limitedKey);
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });
});
