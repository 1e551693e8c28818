/**
 * The server with its files in S3 (a real S3-protocol server on loopback), whatever
 * LOUPE_TEST_FILES says: uploads land in the bucket, are served through the server with the
 * same URL and headers as from disk, the sweep removes orphans there, and /readyz sees the
 * bucket go away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { ORPHAN_FILE_GRACE_MS } from '../../server/constants.ts';
import { sweepOrphanFiles } from '../../server/orphan-sweep.ts';
import type { Client } from '../../server/storage/types.ts';
import { readStoredFile } from '../support/stored-files.ts';
import { pngBytes, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';

let t: TestServer;
let client: Client;
beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0 }, 's3');
  client = await createClient(t.server.storage, { name: 'S3' });
});
afterAll(() => t.stop());

const upload = async (bytes = pngBytes(32, 24)) => {
  const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes, type: 'image/png' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { screenshot: { fileName: string; url: string } }).screenshot;
};

describe('files in S3', () => {
  it('stores an upload in the bucket and serves it at the usual URL with the usual headers', async () => {
    expect(t.server.files.description).toMatch(/^S3 bucket "loupe-test-\d+-1" at http:\/\/127\.0\.0\.1:\d+$/);
    const bytes = pngBytes(64, 48);
    const shot = await upload(bytes);
    expect(shot.url).toBe(`${t.url}/files/${shot.fileName}`);
    expect((await readStoredFile(t.server.files, shot.fileName)).equals(bytes)).toBe(true);
    const res = await fetch(shot.url);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(['content-type', 'content-length', 'cache-control', 'x-content-type-options', 'content-security-policy'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'content-type': 'image/png',
      'content-length': String(bytes.length),
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const head = await fetch(shot.url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, String(bytes.length), '']);
  });

  it('serves a replay from the bucket', async () => {
    const gzip = gzipJson(replayEvents());
    const res = await postReplay(t.url, { clientId: client.id, replay: replayFile(gzip) });
    const { url } = ((await res.json()) as { replay: { url: string } }).replay;
    const served = await fetch(url);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'application/gzip']);
    expect(Buffer.from(await served.arrayBuffer()).equals(gzip)).toBe(true);
  });

  it('never serves an object no row names, and the sweep removes it once past the grace', async () => {
    const recorded = await upload();
    const orphan = await t.server.files.put(client.id, 'png', pngBytes(4, 4));
    expect((await fetch(`${t.url}/files/${orphan}`)).status).toBe(404);
    const removed = await sweepOrphanFiles({
      files: t.server.files,
      storage: t.server.storage,
      nowMs: () => Date.now() + ORPHAN_FILE_GRACE_MS + 60_000,
    });
    expect(removed).toEqual([orphan]);
    expect(await t.storedFiles()).toContain(recorded.fileName);
    expect(await t.storedFiles()).not.toContain(orphan);
  });

  it('answers /readyz 503 naming the files once the S3 server is gone', async () => {
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    await t.breakFileStore();
    const res = await fetch(`${t.url}/readyz`);
    expect([res.status, await res.json()]).toEqual([503, { ok: false, failed: ['files'] }]);
    expect(String(t.loggedErrors.at(-1))).toMatch(/S3 bucket .* is not usable/);
  });
});
