import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaySuccessSchema } from '../../lib/api/schemas.ts';
import type { Client } from '../../server/storage/types.ts';
import { startTestServer, type FormField, type TestServer } from './helpers.ts';
import { RECORDING_START_MS, gzipJson, postReplay, replayBomb, replayEvents, replayFile } from './replay-fixtures.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;
const MB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0 });
  client = await createClient(t.server.storage, { name: 'Replays' });
});
afterAll(() => t.stop());

interface ReplayBody {
  success: true;
  replay: { id: string; url: string; fileSize: number; durationMs: number; eventCount: number };
}

async function countReplays(clientId: string): Promise<number> {
  const rows = await t.server.storage.pageReplays(undefined, 10_000);
  return rows.filter((row) => row.clientId === clientId).length;
}

/** Sends a refused upload and checks the answer, and that nothing was written. */
async function expectRefused(fields: Record<string, FormField>, status: number, error: string, headers: Record<string, string> = {}) {
  const filesBefore = await t.everyFile();
  const rowsBefore = await countReplays(client.id);
  const res = await postReplay(t.url, fields, headers);
  expect(await res.json()).toEqual({ error });
  expect(res.status).toBe(status);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(await t.everyFile()).toEqual(filesBefore);
  expect(await countReplays(client.id)).toBe(rowsBefore);
}

const upload = (value: unknown) => ({ clientId: client.id, replay: replayFile(gzipJson(value)) });

describe('POST /api/replays', () => {
  it('stores a valid replay once, reads its duration and events, and serves the same gzip back', async () => {
    const gzip = gzipJson(replayEvents({ moves: 7, durationMs: 12_345 }));
    const res = await postReplay(t.url, { clientId: client.id, replay: replayFile(gzip) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReplayBody;
    expect(replaySuccessSchema.safeParse(body).success).toBe(true);
    expect(body.replay).toEqual({
      id: expect.stringMatching(/^rp_[A-Za-z0-9_-]{24}$/),
      url: `${t.url}/replays/${body.replay.id}.json.gz`,
      fileSize: gzip.length,
      durationMs: 12_345,
      eventCount: 10,
    });

    const row = await t.server.storage.getReplay(body.replay.id);
    expect(row).toMatchObject({
      clientId: client.id,
      fileName: expect.stringMatching(new RegExp(`^${client.id}/\\d{13}-[A-Za-z0-9_-]{16,}\\.json\\.gz$`)),
      fileSize: gzip.length,
      durationMs: 12_345,
      eventCount: 10,
      startedAt: new Date(RECORDING_START_MS).toISOString(),
    });
    expect(await t.storedFiles()).toContain(row!.fileName);

    const served = await fetch(body.replay.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/gzip');
    expect(served.headers.get('content-encoding')).toBeNull();
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await served.arrayBuffer()).equals(gzip)).toBe(true);
  });

  it('answers a missing replay with a JSON 404', async () => {
    for (const path of ['/replays/rp_doesnotexist000000000000.json.gz', '/replays/rp_x', '/replays/..%2Floupe.db']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: 'Not found' });
    }
  });

  it('reports 0 ms when the recording clock stepped back', async () => {
    const events = replayEvents({ moves: 1, durationMs: 1_000 }) as { timestamp: number }[];
    events[events.length - 1]!.timestamp = RECORDING_START_MS - 50;
    const body = (await (await postReplay(t.url, upload(events))).json()) as ReplayBody;
    expect(body.replay.durationMs).toBe(0);
  });

  it('stores a recording whose timestamps have decimals, its duration in whole milliseconds', async () => {
    const events = replayEvents({ moves: 1, durationMs: 1_000 }) as { timestamp: number }[];
    events[events.length - 1]!.timestamp += 0.6;
    const res = await postReplay(t.url, upload(events));
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReplayBody;
    expect(body.replay.durationMs).toBe(Math.round(events.at(-1)!.timestamp - RECORDING_START_MS));
    expect((await t.server.storage.getReplay(body.replay.id))?.durationMs).toBe(body.replay.durationMs);
  });

  it('answers 400 Replay file is required without a file, with a text field, or without multipart', async () => {
    await expectRefused({ clientId: client.id }, 400, 'Replay file is required');
    await expectRefused({ clientId: client.id, replay: 'not a file' }, 400, 'Replay file is required');
    const json = await fetch(`${t.url}/api/replays`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect([json.status, await json.json()]).toEqual([400, { error: 'Replay file is required' }]);
  });

  it('answers 400 Client ID is required without a clientId (or an empty one)', async () => {
    const replay = replayFile(gzipJson(replayEvents()));
    await expectRefused({ replay }, 400, 'Client ID is required');
    await expectRefused({ replay, clientId: ' ' }, 400, 'Client ID is required');
  });

  it('answers 404 Invalid client ID for unknown and path-like ids', async () => {
    const replay = replayFile(gzipJson(replayEvents()));
    for (const clientId of ['client_nobodyhere', '../../escape', `${client.id}/../x`, 'client_..']) {
      await expectRefused({ clientId, replay }, 404, 'Invalid client ID');
    }
  });

  it('answers 400 File too large for a file just over 20 MB, and for a body far over it', async () => {
    const head = gzipJson(replayEvents());
    const justOver = Buffer.concat([head, Buffer.alloc(20 * MB + 1 - head.length)]);
    await expectRefused({ clientId: client.id, replay: replayFile(justOver) }, 400, 'File too large (max 20MB)');
    await expectRefused({ clientId: client.id, replay: replayFile(Buffer.alloc(23 * MB)) }, 400, 'File too large (max 20MB)');
  });

  it.each([
    ['plain JSON', Buffer.from(JSON.stringify(replayEvents())), 'Replay must be gzip-compressed'],
    ['an empty file', Buffer.alloc(0), 'Replay must be gzip-compressed'],
    ['a zip archive', Buffer.from('PK\u0003\u0004rest'), 'Replay must be gzip-compressed'],
    ['a truncated gzip', gzipJson(replayEvents()).subarray(0, 40), 'Replay gzip data is truncated or corrupt'],
    ['a gzip with a bad checksum', (() => { const g = Buffer.from(gzipJson(replayEvents())); g[g.length - 6]! ^= 0xff; return g; })(), 'Replay gzip data is truncated or corrupt'],
    ['text that is not JSON', gzipJson('hello, replay'), 'Replay must be JSON (UTF-8)'],
    ['JSON cut short', gzipJson(JSON.stringify(replayEvents()).slice(0, -3)), 'Replay must be JSON (UTF-8)'],
    ['invalid UTF-8', gzipSync(Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d])), 'Replay must be JSON (UTF-8)'],
    ['an empty gzip', gzipSync(Buffer.alloc(0)), 'Replay must be JSON (UTF-8)'],
    ['an object', gzipJson({ events: replayEvents() }), 'Replay must be a JSON array of rrweb events'],
    ['a string', gzipJson('"events"'), 'Replay must be a JSON array of rrweb events'],
    ['a number among the events', gzipJson([...replayEvents(), 5]), 'Replay events must be objects with a numeric type and timestamp (event 6 is not)'],
    ['an event without a timestamp', gzipJson([{ type: 4, data: {} }, ...replayEvents().slice(1)]), 'Replay events must be objects with a numeric type and timestamp (event 0 is not)'],
    ['a type given as a string', gzipJson([replayEvents()[0], { type: '2', timestamp: 1 }]), 'Replay events must be objects with a numeric type and timestamp (event 1 is not)'],
    ['a timestamp beyond any date', gzipJson([replayEvents()[0], { type: 2, timestamp: 1e300 }]), 'Replay events must be objects with a numeric type and timestamp (event 1 is not)'],
    ['an empty array', gzipJson([]), 'Replay must start with a Meta and a FullSnapshot event'],
    ['a FullSnapshot first', gzipJson([replayEvents()[1], replayEvents()[0]]), 'Replay must start with a Meta and a FullSnapshot event'],
    ['a Meta alone', gzipJson([replayEvents()[0]]), 'Replay must start with a Meta and a FullSnapshot event'],
    ['incremental events only', gzipJson(replayEvents().slice(2)), 'Replay must start with a Meta and a FullSnapshot event'],
  ])('answers 400 naming the problem for %s', async (_name, bytes, error) => {
    await expectRefused({ clientId: client.id, replay: replayFile(bytes) }, 400, error);
  });

  it('refuses a valid replay of more than 50 MB unpacked', async () => {
    const big = [...replayEvents(), { type: 5, timestamp: RECORDING_START_MS + 6_000, data: { payload: 'x'.repeat(50 * MB) } }];
    await expectRefused(upload(big), 400, 'Replay too large (max 50MB unpacked)');
  });

  it('refuses a zip bomb quickly, inflating no more than the limit', async () => {
    // 32 members of 64 MB: 2 GB of JSON-looking text in about 2 MB of gzip.
    const bomb = replayBomb(32);
    expect(bomb.length).toBeLessThan(3 * MB);
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    // The server runs in this process, so sampling here sees its buffers too.
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    const startedMs = performance.now();
    try {
      await expectRefused({ clientId: client.id, replay: replayFile(bomb) }, 400, 'Replay too large (max 50MB unpacked)');
    } finally {
      clearInterval(sampler);
    }
    expect(performance.now() - startedMs).toBeLessThan(5_000);
    expect(peak - baseline).toBeLessThan(64 * MB);
  });

  it('refuses a valid replay followed by more bytes (a NUL and 19 MB of HTML), and stores none of it', async () => {
    const html = Buffer.alloc(19 * MB, '<html><body><script>alert(1)</script></body></html>');
    const padded = Buffer.concat([gzipJson(replayEvents()), Buffer.from([0]), html]);
    await expectRefused({ clientId: client.id, replay: replayFile(padded) }, 400, 'Replay has bytes after the end of its gzip data');
    const small = Buffer.concat([gzipJson(replayEvents()), Buffer.from('\0<html>')]);
    await expectRefused({ clientId: client.id, replay: replayFile(small) }, 400, 'Replay has bytes after the end of its gzip data');
  });

  it('refuses 1.4 million tiny events (under 200 KB of gzip) naming the cap, without scanning them all', async () => {
    const tiny = '{"type":3,"timestamp":1717754400000,"data":{}}';
    const text = `${JSON.stringify(replayEvents({ moves: 0 })).slice(0, -1)},${Array<string>(1_400_000).fill(tiny).join(',')}]`;
    const gzip = gzipSync(text, { level: 9 });
    expect(gzip.length).toBeLessThan(200 * 1024);
    const startedMs = performance.now();
    await expectRefused({ clientId: client.id, replay: replayFile(gzip) }, 400, 'Replay has too many events (max 200000)');
    const elapsedMs = performance.now() - startedMs;
    // Scanning all 1.4 million took ~2.5 s of CPU; the cap stops after 200,000.
    expect(elapsedMs).toBeLessThan(1_500);
    console.info(`1.4 M tiny events (${(gzip.length / 1024).toFixed(0)} KB gzip): refused in ${elapsedMs.toFixed(0)} ms`);
  });

  it('accepts a replay of exactly 200,000 events', async () => {
    const tiny = `{"type":3,"timestamp":${RECORDING_START_MS + 10},"data":{}}`;
    const text = `${JSON.stringify(replayEvents({ moves: 0 })).slice(0, -1)},${Array<string>(200_000 - 3).fill(tiny).join(',')}]`;
    const res = await postReplay(t.url, { clientId: client.id, replay: replayFile(gzipSync(text)) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ReplayBody).replay.eventCount).toBe(200_000);
  });

  it('answers 500 Failed to upload replay when the file cannot be written, and stores no row', async () => {
    const blocked = await createClient(t.server.storage, { name: 'Blocked' });
    await t.blockFileWrites(blocked.id);
    const errorsBefore = t.loggedErrors.length;
    const res = await postReplay(t.url, { clientId: blocked.id, replay: replayFile(gzipJson(replayEvents())) });
    expect([res.status, await res.json()]).toEqual([500, { error: 'Failed to upload replay' }]);
    expect(t.loggedErrors.length).toBe(errorsBefore + 1);
    expect(await countReplays(blocked.id)).toBe(0);
  });
});

describe('POST /api/replays exactly once', () => {
  it('answers a repeated Idempotency-Key with the first replay, one row and one file', async () => {
    const c = await createClient(t.server.storage, { name: 'Idem replays' });
    const key = { 'Idempotency-Key': crypto.randomUUID() };
    const fields = { clientId: c.id, replay: replayFile(gzipJson(replayEvents())) };
    const answers = await Promise.all([postReplay(t.url, fields, key), postReplay(t.url, fields, key)]);
    answers.push(await postReplay(t.url, fields, key));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as ReplayBody[];
    expect(new Set(bodies.map((b) => b.replay.id)).size).toBe(1);
    expect(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(await countReplays(c.id)).toBe(1);
    expect(await t.storedFiles(c.id)).toHaveLength(1);

    const other = await postReplay(t.url, fields, { 'Idempotency-Key': crypto.randomUUID() });
    expect(((await other.json()) as ReplayBody).replay.id).not.toBe(bodies[0]!.replay.id);
    expect(await countReplays(c.id)).toBe(2);
  });
});

describe('POST /api/replays domain allowlist', () => {
  const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
  it.each([
    ['a listed Origin', { Origin: 'https://app.acme.com' }, undefined, 200],
    ['an unlisted Origin', { Origin: 'https://evil.example' }, undefined, 403],
    ['an unlisted Origin with a listed pageUrl', { Origin: 'https://evil.example' }, 'https://app.acme.com/x', 403],
    ['the extension with a listed pageUrl', { Origin: EXT }, 'https://app.acme.com/settings', 200],
    ['the extension with an unlisted pageUrl', { Origin: EXT }, 'https://evil.example/', 403],
    ['the extension and nothing else', { Origin: EXT }, undefined, 403],
  ])('%s', async (_name, headers: Record<string, string>, pageUrl, status) => {
    const locked = await createClient(t.server.storage, { name: 'Locked', allowedOrigins: ['https://app.acme.com'] });
    const fields: Record<string, FormField> = { clientId: locked.id, replay: replayFile(gzipJson(replayEvents())) };
    if (pageUrl) fields.pageUrl = pageUrl;
    const res = await postReplay(t.url, fields, headers);
    expect(res.status).toBe(status);
    if (status === 403) expect(await res.json()).toEqual({ error: 'Domain not allowed' });
    expect(await countReplays(locked.id)).toBe(status === 200 ? 1 : 0);
  });
});
