/**
 * Heavy: the server in its own process under many large, hostile or stalled uploads; its
 * memory is read from /proc. Run alone, under the shared lock:
 *   flock /tmp/loupe-heavy.lock npx vitest run --project load
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startChildServer, samplePeak, type ChildServer } from './child-process.ts';
import { pngBytes } from './helpers.ts';
import { RECORDING_START_MS, replayEvents } from './replay-fixtures.ts';
import { BOUNDARY, openPost, postMultipart, tinyPartsBody, whenClosed } from './upload-http.ts';

const MB = 1024 * 1024;
let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

/** A ~9 MB screenshot (a real PNG header, padded) and a ~9 MB replay (random text does not compress). */
function nineMegabyteFiles(): { screenshot: Blob; replay: Blob } {
  const png = pngBytes(4, 4);
  const screenshot = new Blob([new Uint8Array(png), new Uint8Array(9 * MB - png.length)], { type: 'image/png' });
  const payload = randomBytes(6.8 * MB).toString('base64');
  const events = [...replayEvents({ moves: 2 }), { type: 5, timestamp: RECORDING_START_MS + 6_000, data: { tag: 'load', payload } }];
  const replay = new Blob([new Uint8Array(gzipSync(JSON.stringify(events), { level: 1 }))], { type: 'application/octet-stream' });
  return { screenshot, replay };
}

/** Uploads until it lands, honouring 429/503 Retry-After; returns every status it was answered. */
async function uploadUntilStored(url: string, route: 'screenshots' | 'replays', clientId: string, file: Blob): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const form = new FormData();
    form.set('clientId', clientId);
    form.set(route === 'screenshots' ? 'screenshot' : 'replay', file, route === 'screenshots' ? 's.png' : 'r.json.gz');
    const res = await fetch(`${url}/api/${route}`, { method: 'POST', body: form });
    await res.arrayBuffer();
    statuses.push(res.status);
    if (res.status === 200) return statuses;
    if (res.status !== 429 && res.status !== 503) return statuses;
    const retryAfterSeconds = Number(res.headers.get('retry-after'));
    expect(retryAfterSeconds).toBeGreaterThan(0);
    await sleep(retryAfterSeconds * 1000 * (0.5 + Math.random()));
  }
  return statuses;
}

describe('the server under heavy and hostile uploads (own process)', () => {
  it('takes 60 concurrent 9 MB uploads within +300 MB resident, none answered 500', async () => {
    // One test process plays sixty browsers from one address: give it the whole budget.
    server = await startChildServer({ rateLimitIpPerMin: 0, rateLimitClientPerMin: 0, uploads: { perAddressBytes: 256 * MB } });
    const { url, clientId } = server;
    const files = nineMegabyteFiles();
    // Warm up (lazy imports, SQLite pages), then take the baseline.
    expect(await uploadUntilStored(url, 'screenshots', clientId, files.screenshot)).toEqual([200]);
    expect(await uploadUntilStored(url, 'replays', clientId, files.replay)).toEqual([200]);
    const baselineBytes = await server.rssBytes();

    const child = server;
    const sampler = samplePeak(() => child.rssBytes(), 25);
    const startedMs = performance.now();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0 ? uploadUntilStored(url, 'screenshots', clientId, files.screenshot) : uploadUntilStored(url, 'replays', clientId, files.replay),
      ),
    );
    const elapsedMs = performance.now() - startedMs;
    const peakBytes = await sampler.stop();

    const all = results.flat();
    const busy = all.filter((s) => s === 503 || s === 429).length;
    console.info(
      `60 x 9 MB uploads: ${(elapsedMs / 1000).toFixed(1)} s, RSS ${(baselineBytes / MB).toFixed(0)} MB -> peak ${(peakBytes / MB).toFixed(0)} MB ` +
        `(+${((peakBytes - baselineBytes) / MB).toFixed(0)} MB), ${busy} answers 503/429 then retried`,
    );
    expect(all.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(results.every((statuses) => statuses.at(-1) === 200)).toBe(true);
    expect(peakBytes - baselineBytes).toBeLessThan(300 * MB);
    expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
    expect(server.stderr()).toBe('');
  }, 60_000);

  it('keeps /healthz p95 within 150 ms while refusing eight 10 MB bodies of 180,000 tiny parts at once', async () => {
    server = await startChildServer({ rateLimitIpPerMin: 0 });
    const { url } = server;
    const body = tinyPartsBody(10 * MB - 1024);
    let running = true;
    const refusals: number[] = [];
    const attackers = Array.from({ length: 8 }, async () => {
      while (running) {
        const answer = await postMultipart(`${url}/api/screenshots`, body).catch(() => undefined);
        if (answer) refusals.push(answer.status);
      }
    });
    await sleep(300);
    const latenciesMs: number[] = [];
    const endMs = performance.now() + 5_000;
    while (performance.now() < endMs) {
      const startedMs = performance.now();
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      latenciesMs.push(performance.now() - startedMs);
      await sleep(20);
    }
    running = false;
    await Promise.all(attackers);
    const p95 = percentile(latenciesMs, 0.95);
    console.info(`healthz under 8 tiny-part bodies at once: ${latenciesMs.length} probes, p50 ${percentile(latenciesMs, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; ${refusals.length} bodies refused`);
    expect(refusals.length).toBeGreaterThanOrEqual(8);
    expect(new Set(refusals)).toEqual(new Set([400]));
    expect(p95).toBeLessThanOrEqual(150);
    expect(server.stderr()).toBe('');
  }, 30_000);

  it('closes 40 stalled 19 MB uploads after the no-progress time, holding neither memory nor temp files', async () => {
    const stallMs = 2_000;
    server = await startChildServer({ rateLimitIpPerMin: 0, uploads: { stallMs } });
    const { url, clientId } = server;
    const baselineBytes = await server.rssBytes();
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\n${clientId}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="replay"; filename="r.json.gz"\r\n\r\n`,
    );
    const sent = Buffer.concat([head, gzipSync('[') , randomBytes(5 * MB)]);
    const child = server;
    const sampler = samplePeak(() => child.rssBytes(), 25);
    const startedMs = performance.now();
    const closedAfterMs = await Promise.all(
      Array.from({ length: 40 }, () => {
        const req = openPost(`${url}/api/replays`, 19 * MB);
        const closed = whenClosed(req);
        req.write(sent);
        return closed;
      }),
    );
    const peakBytes = await sampler.stop();
    const allClosedMs = performance.now() - startedMs;
    console.info(
      `40 stalled 19 MB uploads: all closed after ${(allClosedMs / 1000).toFixed(1)} s (no-progress limit ${stallMs / 1000} s), ` +
        `RSS +${((peakBytes - baselineBytes) / MB).toFixed(0)} MB at peak`,
    );
    expect(Math.max(...closedAfterMs)).toBeLessThan(stallMs + 3_000);
    expect(peakBytes - baselineBytes).toBeLessThan(200 * MB);
    expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
    // The budget they held is free again.
    expect(await uploadUntilStored(url, 'screenshots', clientId, nineMegabyteFiles().screenshot)).toEqual([200]);
    expect(server.stderr()).toBe('');
  }, 30_000);
});
