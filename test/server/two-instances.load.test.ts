/**
 * Two stateless instances of `npm run server` on one real PostgreSQL and one real S3 server
 * (s3rver), as a team runs them behind a load balancer: what one stores the other serves and
 * lists, an Idempotency-Key sent to both at once is stored once, the per-client limit is one
 * allowance, and a rolling restart under load loses no answered request.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectKey } from '../../server/auth/keys.ts';
import { createClient } from '../../server/clients.ts';
import { openPgStorage } from '../../server/storage/pg.ts';
import { createPgDatabase, startPgCluster, type PgCluster, type PgDatabase } from '../support/postgres.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { spawnCliServer } from './child-process.ts';
import { pngBytes, postFeedback, postScreenshot } from './helpers.ts';

const CLIENT_LIMIT_PER_MIN = 60;
// What a load balancer's instances share: the address clients reach them all by.
const PUBLIC_URL = 'https://feedback.loupe.test';

let cluster: PgCluster;
let database: PgDatabase;
let s3: TestS3;
let env: Record<string, string>;
let clientId: string;
let limitedClientId: string;
let readKey: { kid: string; secret: string };
const workDirs: string[] = [];
const running = new Set<ChildProcess>();

/** One instance with its own (upload temp) data directory, sharing the database and the bucket. */
async function startInstance(args: string[] = []): Promise<{ url: string; proc: ChildProcess }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-instance-'));
  workDirs.push(dataDir);
  const instance = await spawnCliServer(dataDir, ['--public-url', PUBLIC_URL, ...args], env);
  running.add(instance.proc);
  instance.proc.once('exit', () => running.delete(instance.proc));
  return instance;
}

/** SIGTERM, as a rolling restart sends it; resolves with the exit code. */
async function stopInstance(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return proc.exitCode;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  return (await exited)[0] as number | null;
}

const token = () => jwt.sign({}, readKey.secret, { algorithm: 'HS256', keyid: readKey.kid, expiresIn: 300 });

async function count(base: string, forClient = clientId): Promise<number> {
  const res = await fetch(`${base}/api/projects/${forClient}/feedbacks/filter/count`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { count: number }).count;
}

beforeAll(async () => {
  [cluster, s3] = await Promise.all([startPgCluster(), startTestS3()]);
  database = await createPgDatabase(cluster.adminUrl);
  const bucket = await s3.createBucket();
  const masterKey = randomBytes(32);
  env = {
    DATABASE_URL: database.url,
    LOUPE_MASTER_KEY: masterKey.toString('base64'),
    S3_BUCKET: bucket.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: bucket.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: bucket.credentials!.secretAccessKey,
  };
  // Set up the way an operator would, on the shared database.
  const storage = await openPgStorage(database.url);
  try {
    clientId = (await createClient(storage, { name: 'Shared' })).id;
    limitedClientId = (await createClient(storage, { name: 'Limited' })).id;
    const { key, secret } = await createProjectKey(storage, masterKey, { clientId, name: 'two instances' });
    readKey = { kid: key.kid, secret };
  } finally {
    await storage.close();
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([...running].map(stopInstance));
  await database?.drop();
  await Promise.all([cluster?.stop(), s3?.stop()]);
  await Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('two instances on one PostgreSQL and one bucket', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    const limits = ['--rate-limit-ip-per-min', '0', '--rate-limit-client-per-min', String(CLIENT_LIMIT_PER_MIN)];
    [a, b] = (await Promise.all([startInstance(limits), startInstance(limits)])).map((instance) => instance.url) as [string, string];
  }, 60_000);

  it('stores one item for an Idempotency-Key sent to both at once, and gives both the same answer', async () => {
    const before = await count(a);
    for (let round = 0; round < 10; round++) {
      const key = `both-${round}-${randomBytes(6).toString('hex')}`;
      const body = { clientId, rating: 3, comment: `round ${round}` };
      const [fromA, fromB] = await Promise.all([a, b].map((base) => postFeedback(base, body, { 'Idempotency-Key': key })));
      expect([fromA!.status, fromB!.status]).toEqual([200, 200]);
      const [answerA, answerB] = await Promise.all([fromA!.json(), fromB!.json()]);
      expect(answerA).toEqual(answerB);
    }
    expect(await count(b)).toBe(before + 10);
  });

  it('serves through one instance a screenshot uploaded through the other, and accepts feedback citing it there', async () => {
    const png = pngBytes(64, 48);
    const upload = await postScreenshot(a, { clientId, screenshot: { bytes: png, type: 'image/png' } });
    expect(upload.status).toBe(200);
    const { screenshot } = (await upload.json()) as { screenshot: { fileName: string; url: string } };
    expect(screenshot.url).toBe(`${PUBLIC_URL}/files/${screenshot.fileName}`);
    const served = await fetch(`${b}${new URL(screenshot.url).pathname}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    const cited = await postFeedback(b, { clientId, rating: 4, screenshots: [screenshot] });
    expect(cited.status).toBe(200);
    const { feedbackId } = (await cited.json()) as { feedbackId: string };
    const listed = await fetch(`${a}/api/projects/${clientId}/feedbacks?limit=5`, { headers: { Authorization: `Bearer ${token()}` } });
    const page = (await listed.json()) as { items: { id: string; screenshots: { fileName: string }[] | null }[] };
    expect(page.items.find((item) => item.id === feedbackId)?.screenshots?.map((s) => s.fileName)).toEqual([screenshot.fileName]);
  });

  it('counts the per-client limit across both instances', async () => {
    const statuses: number[][] = [[], []];
    for (let i = 0; i < 80; i++) {
      const side = i % 2;
      const res = await postFeedback([a, b][side]!, { clientId: limitedClientId, rating: 1 });
      statuses[side]!.push(res.status);
      await res.body?.cancel();
    }
    const stored = statuses.map((list) => list.filter((status) => status === 200).length);
    const refused = statuses.map((list) => list.filter((status) => status === 429).length);
    // One allowance of 60 (plus what refills while the requests run); each instance alone would allow 60 more.
    const total = stored[0]! + stored[1]!;
    expect(total).toBeGreaterThanOrEqual(CLIENT_LIMIT_PER_MIN);
    expect(total).toBeLessThanOrEqual(CLIENT_LIMIT_PER_MIN + 5);
    expect(refused[0]! + refused[1]! + total).toBe(80);
    expect(refused[0]).toBeGreaterThan(0);
    expect(refused[1]).toBeGreaterThan(0);
  });
});

describe('a rolling restart under load', () => {
  it('loses no answered request and stores each once: requests to a stopping instance finish or go to the other', async () => {
    const noLimits = ['--rate-limit-ip-per-min', '0', '--rate-limit-client-per-min', '0'];
    const instances = await Promise.all([startInstance(noLimits), startInstance(noLimits)]);
    const urls = instances.map((instance) => instance.url);
    const before = await count(urls[0]!);
    const answered = new Map<string, string>();
    let failures = 0;
    let retried = 0;

    // Eight senders, each retrying a request whose connection failed on the other instance
    // with the same Idempotency-Key, as the extension's outbox does.
    const send = async (key: string, first: number): Promise<void> => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const base = urls[(first + attempt) % 2]!;
        try {
          const res = await postFeedback(base, { clientId, rating: 2, comment: key }, { 'Idempotency-Key': key });
          if (res.status === 200) {
            answered.set(key, ((await res.json()) as { feedbackId: string }).feedbackId);
            return;
          }
          failures++;
          await res.body?.cancel();
        } catch {
          // Refused or reset: that instance is going away; the next attempt goes to the other.
          retried++;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    // Each instance is stopped (SIGTERM) and started again in turn while the senders run;
    // they go on until a hundred more requests have gone through after the last restart.
    let next = 0;
    let until = Number.POSITIVE_INFINITY;
    const senders = Array.from({ length: 8 }, async (_, sender) => {
      while (next < until) {
        const index = next++;
        await send(`roll-${index}`, (index + sender) % 2);
      }
    });
    const afterMore = async (count: number) => {
      const target = next + count;
      while (next < target) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const stoppedAt: number[] = [];
    const restarts = (async () => {
      for (const side of [0, 1]) {
        await afterMore(100);
        stoppedAt.push(next);
        expect(await stopInstance(instances[side]!.proc)).toBe(0);
        instances[side] = await startInstance(noLimits);
        urls[side] = instances[side]!.url;
      }
      until = next + 100;
    })();
    await Promise.all([...senders, restarts]);
    const total = next;
    console.info(`rolling restart: ${total} requests, instances stopped at ${stoppedAt.join(' and ')}, ${retried} attempts retried on the other`);

    expect(failures).toBe(0);
    expect(answered.size).toBe(total);
    expect(new Set(answered.values()).size).toBe(total);
    expect(await count(urls[1]!)).toBe(before + total);
  }, 120_000);
});
