import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, startTestServer, type TestServer } from './helpers.ts';
import { BOUNDARY, multipartBody, openPost, postMultipart, tinyPartsBody, whenClosed, type Part } from './upload-http.ts';
import { createClient } from '../../server/clients.ts';

const MB = 1024 * 1024;
const STALL_MS = 400;
// Room for one 10 MB upload at a time, so a 1 MB one beside it is over budget.
const BUDGET_BYTES = 10.5 * MB;

let t: TestServer;
let client: Client;
const screenshots = () => `${t.url}/api/screenshots`;
const tempFiles = () => readdir(join(t.dataDir, 'tmp'));

beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0, uploads: { stallMs: STALL_MS, budgetBytes: BUDGET_BYTES } });
  client = await createClient(t.server.storage, { name: 'Limits' });
});
afterAll(() => t.stop());

const screenshotPart = (bytes: Uint8Array = pngBytes(8, 6)): Part => ({ name: 'screenshot', fileName: 's.png', type: 'image/png', bytes });
const json = (body: string) => JSON.parse(body) as unknown;

describe('upload forms are held to what the route takes while they stream in', () => {
  it('stores a screenshot sent as hand-made multipart, and leaves no temp file', async () => {
    const answer = await postMultipart(screenshots(), multipartBody([{ name: 'clientId', value: client.id }, screenshotPart()]));
    expect(answer.status).toBe(200);
    expect(await tempFiles()).toEqual([]);
  });

  it('refuses more parts than the route takes, naming the limit, and stores nothing', async () => {
    const extra: Part[] = Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, value: 'x' }));
    const answer = await postMultipart(screenshots(), multipartBody([{ name: 'clientId', value: client.id }, ...extra, screenshotPart()]));
    expect([answer.status, json(answer.body)]).toEqual([400, { error: 'Too many form parts (max 8, one file)' }]);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    const twoFiles = await postMultipart(screenshots(), multipartBody([{ name: 'clientId', value: client.id }, screenshotPart(), screenshotPart()]));
    expect([twoFiles.status, json(twoFiles.body)]).toEqual([400, { error: 'Too many form parts (max 8, one file)' }]);
    expect(await t.storedFiles()).toHaveLength(1);
    expect(await tempFiles()).toEqual([]);
  });

  it('refuses a 10 MB body of 180,000 tiny parts after its first few, and closes the connection', async () => {
    const body = tinyPartsBody(10 * MB - 1024);
    expect(body.length).toBeGreaterThan(9.9 * MB);
    const startedMs = performance.now();
    const answer = await postMultipart(screenshots(), body);
    const elapsedMs = performance.now() - startedMs;
    expect([answer.status, json(answer.body)]).toEqual([400, { error: 'Too many form parts (max 8, one file)' }]);
    expect(answer.headers.connection).toBe('close');
    console.info(`180,000 tiny parts: refused in ${elapsedMs.toFixed(0)} ms`);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('refuses a text field over 16 KB', async () => {
    const answer = await postMultipart(screenshots(), multipartBody([{ name: 'clientId', value: client.id }, { name: 'pageUrl', value: `https://a.example/${'p'.repeat(17 * 1024)}` }, screenshotPart()]));
    expect([answer.status, json(answer.body)]).toEqual([400, { error: 'Form field too long (max 16KB)' }]);
  });
});

describe('uploads in flight are held to a budget', () => {
  it('answers 503 with Retry-After while the budget is taken, then takes the retry', async () => {
    // A 10 MB upload that has started and not finished holds its share of the budget.
    const big = multipartBody([{ name: 'clientId', value: client.id }, screenshotPart(Buffer.concat([pngBytes(2, 2), Buffer.alloc(10 * MB - 200)]))]);
    const holding = openPost(screenshots(), big.length);
    const held = new Promise((resolve) => holding.on('response', resolve));
    holding.write(big.subarray(0, MB));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const small = multipartBody([{ name: 'clientId', value: client.id }, screenshotPart(Buffer.concat([pngBytes(2, 2), Buffer.alloc(MB)]))]);
    const busy = await postMultipart(screenshots(), small);
    expect([busy.status, json(busy.body)]).toEqual([503, { error: 'Server busy with other uploads, retry later' }]);
    expect(busy.headers['retry-after']).toBe('2');
    expect(busy.headers['access-control-allow-origin']).toBe('*');

    holding.end(big.subarray(MB));
    await held;
    expect((await postMultipart(screenshots(), small)).status).toBe(200);
  });
});

describe('one client address holds at most its share of the budget', () => {
  it('answers the address over its share 503, and takes another address beside it', async () => {
    // Behind one proxy (so X-Forwarded-For names the client): a 64 MB budget, 10.5 MB of it per address.
    const shared = await startTestServer({ trustProxyHops: 1, uploads: { budgetBytes: 64 * MB, perAddressBytes: BUDGET_BYTES } });
    try {
      const { id } = await createClient(shared.server.storage, { name: 'Shares' });
      const url = `${shared.url}/api/screenshots`;
      const from = (address: string) => ({ 'X-Forwarded-For': address });
      const big = multipartBody([{ name: 'clientId', value: id }, screenshotPart(Buffer.concat([pngBytes(2, 2), Buffer.alloc(10 * MB - 200)]))]);
      const holding = openPost(url, big.length, from('203.0.113.7'));
      const held = new Promise((resolve) => holding.on('response', resolve));
      holding.write(big.subarray(0, MB));
      await new Promise((resolve) => setTimeout(resolve, 100));

      const small = multipartBody([{ name: 'clientId', value: id }, screenshotPart(Buffer.concat([pngBytes(2, 2), Buffer.alloc(MB)]))]);
      const sameAddress = await postMultipart(url, small, from('203.0.113.7'));
      expect([sameAddress.status, sameAddress.headers['retry-after']]).toEqual([503, '2']);
      expect((await postMultipart(url, small, from('198.51.100.9'))).status).toBe(200);

      holding.end(big.subarray(MB));
      await held;
      expect((await postMultipart(url, small, from('203.0.113.7'))).status).toBe(200);
    } finally {
      await shared.stop();
    }
  });
});

describe('a body that stops sending', () => {
  it('is dropped after the no-progress time: connection closed, temp file gone, budget given back', async () => {
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\n${client.id}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="screenshot"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const stalled = openPost(screenshots(), 10 * MB);
    const closed = whenClosed(stalled);
    stalled.write(Buffer.concat([head, pngBytes(4, 4), Buffer.alloc(2 * MB)]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await tempFiles()).toHaveLength(1);

    const closedAfterMs = await closed;
    expect(closedAfterMs).toBeGreaterThanOrEqual(STALL_MS - 50);
    expect(closedAfterMs).toBeLessThan(STALL_MS + 1_500);
    expect(await tempFiles()).toEqual([]);
    // The stalled 10 MB no longer counts: a full-size upload is admitted.
    const big = multipartBody([{ name: 'clientId', value: client.id }, screenshotPart(Buffer.concat([pngBytes(2, 2), Buffer.alloc(10 * MB - 200)]))]);
    expect((await postMultipart(screenshots(), big)).status).toBe(200);
  });
});
