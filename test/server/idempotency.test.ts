import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/start.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let clock = Date.now();

beforeAll(async () => {
  t = await startTestServer({ nowMs: () => clock });
});
afterAll(() => t.stop());

const newClient = (name = 'Idem') => createClient(t.server.storage, { name });
const key = (label: string) => `${label}-${crypto.randomUUID()}`;
const withKey = (k: string) => ({ 'Idempotency-Key': k });
const feedbackId = async (res: Response) => ((await res.json()) as { feedbackId: string }).feedbackId;

interface UploadBody {
  success: true;
  screenshot: { fileName: string; url: string; fileSize: number };
}

describe('Idempotency-Key on POST /api/feedback', () => {
  it('answers a repeated key with the first feedbackId and stores one row', async () => {
    const client = await newClient();
    const k = key('same');
    const first = await postFeedback(t.url, { clientId: client.id, rating: 4 }, withKey(k));
    const second = await postFeedback(t.url, { clientId: client.id, rating: 4 }, withKey(k));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await feedbackId(second)).toBe(await feedbackId(first));
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(1);
  });

  it('stores two rows for two different keys, and one per request without a key', async () => {
    const client = await newClient();
    const a = await feedbackId(await postFeedback(t.url, { clientId: client.id, comment: 'a' }, withKey(key('a'))));
    const b = await feedbackId(await postFeedback(t.url, { clientId: client.id, comment: 'a' }, withKey(key('b'))));
    await postFeedback(t.url, { clientId: client.id, comment: 'no key' });
    await postFeedback(t.url, { clientId: client.id, comment: 'no key' });
    expect(a).not.toBe(b);
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(4);
  });

  it('runs concurrent requests with the same key once; the others wait and get its answer', async () => {
    const client = await newClient();
    const k = key('race');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => postFeedback(t.url, { clientId: client.id, rating: 2 }, withKey(k))),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    const ids = await Promise.all(answers.map(feedbackId));
    expect(new Set(ids).size).toBe(1);
    expect(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(11);
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(1);
  });

  it('scopes keys by client: the same key for two clients makes two rows', async () => {
    const [one, two] = [await newClient('one'), await newClient('two')];
    const k = key('shared');
    const a = await feedbackId(await postFeedback(t.url, { clientId: one.id, rating: 3 }, withKey(k)));
    const b = await feedbackId(await postFeedback(t.url, { clientId: two.id, rating: 3 }, withKey(k)));
    expect(a).not.toBe(b);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['an inner space', 'two words'],
    ['a tab', 'a\tb'],
    ['a non-ASCII character', 'caf\u00e9'],
  ])('refuses a key with %s: 400 Invalid Idempotency-Key header, nothing stored', async (_label, value) => {
    const client = await newClient();
    const res = await postFeedback(t.url, { clientId: client.id, rating: 3 }, withKey(value));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Invalid Idempotency-Key header' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(0);
  });

  it('accepts keys of 1 and 255 visible ASCII characters', async () => {
    const client = await newClient();
    for (const k of ['!', '~'.repeat(255), '{"quoted":"json"}']) {
      expect((await postFeedback(t.url, { clientId: client.id, rating: 3 }, withKey(k))).status).toBe(200);
    }
  });

  it('does not remember a failed request: fixing the body and reusing the key stores it', async () => {
    const client = await newClient();
    const k = key('retry');
    const bad = await postFeedback(t.url, { clientId: client.id, rating: 9 }, withKey(k));
    expect(bad.status).toBe(400);
    const fixed = await postFeedback(t.url, { clientId: client.id, rating: 4 }, withKey(k));
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    const again = await postFeedback(t.url, { clientId: client.id, rating: 4 }, withKey(k));
    expect(await feedbackId(again)).toBe(await feedbackId(fixed));
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(1);
  });

  it('forgets a key after 7 days: the same key then stores a new row', async () => {
    const client = await newClient();
    const k = key('old');
    const first = await feedbackId(await postFeedback(t.url, { clientId: client.id, rating: 1 }, withKey(k)));
    clock += 7 * 24 * 60 * 60 * 1000 - 1;
    expect(await feedbackId(await postFeedback(t.url, { clientId: client.id, rating: 1 }, withKey(k)))).toBe(first);
    clock += 2;
    const later = await postFeedback(t.url, { clientId: client.id, rating: 1 }, withKey(k));
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(await feedbackId(later)).not.toBe(first);
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(2);
  });
});

describe('Idempotency-Key on POST /api/screenshots', () => {
  it('answers a repeated key with the same screenshot object and writes one file', async () => {
    const client = await newClient('shots');
    const k = key('shot');
    const fields = { clientId: client.id, screenshot: { bytes: pngBytes(20, 10), type: 'image/png' } };
    const first = await postScreenshot(t.url, fields, withKey(k));
    const second = await postScreenshot(t.url, fields, withKey(k));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const firstBody = (await first.json()) as UploadBody;
    expect(await second.json()).toEqual(firstBody);
    expect(await t.storedFiles(client.id)).toHaveLength(1);
  });

  it('writes one file for concurrent uploads with the same key', async () => {
    const client = await newClient('shots-race');
    const k = key('shot-race');
    const bytes = pngBytes(300, 200);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => postScreenshot(t.url, { clientId: client.id, screenshot: { bytes, type: 'image/png' } }, withKey(k))),
    );
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as UploadBody[];
    expect(new Set(bodies.map((b) => b.screenshot.fileName)).size).toBe(1);
    expect(await t.storedFiles(client.id)).toHaveLength(1);
  });

  it('keeps the feedback and screenshot routes apart: one key may be used on both', async () => {
    const client = await newClient('both');
    const k = key('both');
    const shot = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(2, 2), type: 'image/png' } }, withKey(k));
    const feedback = await postFeedback(t.url, { clientId: client.id, rating: 3 }, withKey(k));
    expect([shot.status, feedback.status]).toEqual([200, 200]);
    expect(feedback.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('Idempotency-Key across a restart', () => {
  it('replays the first answer from a new server on the same data directory', async () => {
    const dataDir = join(t.dataDir, 'restart');
    const k = key('restart');
    const first = await startServer({ host: '127.0.0.1', port: 0, dataDir, logError: () => undefined });
    const client = await createClient(first.storage, { name: 'restart' });
    const before = await feedbackId(await postFeedback(first.url, { clientId: client.id, comment: 'once' }, withKey(k)));
    await first.close();

    const second = await startServer({ host: '127.0.0.1', port: 0, dataDir, logError: () => undefined });
    try {
      const res = await postFeedback(second.url, { clientId: client.id, comment: 'once' }, withKey(k));
      expect(res.headers.get('idempotent-replayed')).toBe('true');
      expect(await feedbackId(res)).toBe(before);
      expect(await second.storage.listFeedback(client.id)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
