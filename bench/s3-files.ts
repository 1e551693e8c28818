/**
 * Serving a ~300 KB screenshot with its files in S3: through the server (GET /files/<name>,
 * streamed from the bucket) vs a direct GET from the S3 server (what a signed URL would cost a
 * client), with the server on disk as the baseline. Three processes on loopback: the server
 * (bench/serve-child.ts), s3rver (test/support/s3.ts) and this one, the load generator.
 *
 * The decision it informs (server/storage/s3-files.ts): files stay served through the server.
 * The URLs stay the same on every engine, a file is reachable only through the unguessable name
 * the server made and only while a row names it (the sweep's orphans never are), nothing needs a
 * public bucket or CORS on it, and a link copied into an issue tracker never expires the way a
 * presigned URL does (at most 7 days on AWS). The price is the extra hop measured here.
 */
import { Agent, request } from 'node:http';
import { createS3FileStore } from '../server/storage/s3-files.ts';
import { startTestS3 } from '../test/support/s3.ts';
import { readStoredFile } from '../test/support/stored-files.ts';
import { startBenchChild, type BenchChild } from './bench-child.ts';
import { percentile, screenshotPng } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_S3_ROUNDS ?? 300);
const WARMUP_ROUNDS = 20;
const CONCURRENCY = 16;
const LOAD_MS = 4_000;
/** Hard cap on the concurrent case, whatever the duration. */
const MAX_REQUESTS = 100_000;
/** Rows of noise in the screenshot: about 300 KB of PNG. */
const NOISY_ROWS = 255;

/** One GET; resolves with the bytes of the answer once it is all read, rejects on a non-200. */
function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`GET ${url} answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface CaseResult {
  name: string;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}

/** Times `fetchOnce` (which answers the bytes it read), sequentially and then under load. */
async function runCase(name: string, sizeBytes: number, fetchOnce: (agent: Agent) => Promise<number>): Promise<CaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const check = (bytes: number) => {
    if (bytes !== sizeBytes) throw new Error(`${name}: got ${bytes} bytes, not ${sizeBytes}`);
  };
  try {
    const timesMs: number[] = [];
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const startMs = performance.now();
      check(await fetchOnce(agent));
      if (round >= WARMUP_ROUNDS) timesMs.push(performance.now() - startMs);
    }
    timesMs.sort((a, b) => a - b);
    let count = 0;
    const loadStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < loadStart + LOAD_MS && count < MAX_REQUESTS) {
          count++;
          check(await fetchOnce(agent));
        }
      }),
    );
    const perSecond = count / ((performance.now() - loadStart) / 1000);
    return { name, p50Ms: percentile(timesMs, 50), p99Ms: percentile(timesMs, 99), perSecond };
  } finally {
    agent.destroy();
  }
}

/** Uploads the screenshot through the server; answers its stored name. */
async function upload(base: string, clientId: string, png: Uint8Array<ArrayBuffer>): Promise<string> {
  const form = new FormData();
  form.set('clientId', clientId);
  form.set('screenshot', new Blob([png], { type: 'image/png' }), 'shot.png');
  const res = await fetch(`${base}/api/screenshots`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`The bench upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { screenshot: { fileName: string } }).screenshot.fileName;
}

/** Runs the three cases; returns a Markdown section. */
export async function benchS3Files(): Promise<string> {
  const png = screenshotPng(NOISY_ROWS);
  const s3 = await startTestS3();
  const servers: BenchChild[] = [];
  try {
    const bucket = await s3.createBucket('loupe-bench');
    const { accessKeyId, secretAccessKey } = bucket.credentials!;
    const onS3 = await startBenchChild('serve-child.ts', [], {
      S3_BUCKET: bucket.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    servers.push(onS3);
    const onDisk = await startBenchChild('serve-child.ts');
    servers.push(onDisk);
    const s3Name = await upload(onS3.url, onS3.clientId, png);
    const diskName = await upload(onDisk.url, onDisk.clientId, png);

    const getting = (url: URL) => (agent: Agent) => get(agent, url);
    const through = await runCase('GET /files/… through the server, files in S3', png.length, getting(new URL(`/files/${s3Name}`, onS3.url)));
    // s3rver serves an unsigned GET: the same bytes and hop a presigned URL would take, minus its signature check.
    const direct = await runCase('GET straight from the S3 server (as a signed URL would)', png.length, getting(new URL(`/${bucket.bucket}/${s3Name}`, s3.endpoint)));
    const disk = await runCase('GET /files/… through the server, files on disk', png.length, getting(new URL(`/files/${diskName}`, onDisk.url)));
    // The server's own hop to the bucket, on its own: the same store code, in this process.
    const store = createS3FileStore(bucket);
    const hop = await runCase('the server\'s hop alone: store.open() + read, in this process', png.length, async () =>
      (await readStoredFile(store, s3Name)).length,
    );
    const row = (r: CaseResult) =>
      `| ${r.name} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.p50Ms / direct.p50Ms).toFixed(2)}x | ${r.perSecond.toFixed(0)} | ${(r.perSecond / direct.perSecond).toFixed(2)}x |`;
    return [
      '## Screenshots from S3: through the server vs straight from the bucket',
      '',
      `One ${(png.length / 1024).toFixed(0)} KB PNG, uploaded through POST /api/screenshots. Three processes on loopback: the`,
      'server (its own process, fresh SQLite file), s3rver (its own process) and the load generator. Each case:',
      `${ROUNDS} sequential GETs after ${WARMUP_ROUNDS} warm-up ones (p50, p99), then ${CONCURRENCY} concurrent keep-alive connections`,
      `for ${LOAD_MS / 1000} s (requests/s); every answer's length is checked.`,
      '',
      '| request | p50 ms | p99 ms | p50 vs direct | requests/s | throughput vs direct |',
      '|---|---|---|---|---|---|',
      row(through),
      row(direct),
      row(disk),
      row(hop),
      '',
      `Through the server costs ${(through.p50Ms / direct.p50Ms).toFixed(2)}x the direct p50 and gives ` +
        `${(through.perSecond / direct.perSecond).toFixed(2)}x its throughput: about the server's own serving (the disk row) plus its`,
      'hop to the bucket (the last row), one after the other, all on 2 cores. Files stay served through the server: the same',
      'URLs on every engine, names only the server hands out and only while a row names them, no public bucket, and no',
      'presigned-URL expiry in links copied into issues.',
      '',
    ].join('\n');
  } finally {
    for (const server of servers) await server.stop();
    await s3.stop();
  }
}
