/**
 * A real S3-protocol server for tests: s3rver in a child process (test/support/s3-server.mjs)
 * on a free 127.0.0.1 port, its objects in a temp directory. Requests go over real sockets with
 * real SigV4 signatures; nothing in the SDK or the store is mocked. Its own process keeps its
 * work off the event loop of the server under test (which the bench measures). A server that
 * cannot start fails naming why.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3FilesConfig } from '../../server/storage/s3-files.ts';

const SERVER_SCRIPT = join(import.meta.dirname, 's3-server.mjs');
const START_TIMEOUT_MS = 15_000;

// s3rver checks signatures against these fixed credentials.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A running S3 server. */
export interface TestS3 {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The buckets made so far, oldest first. */
  buckets: string[];
  /** Makes a fresh bucket and answers the store config for it. */
  createBucket(name?: string): Promise<S3FilesConfig>;
  /** Puts raw bytes at any key, past every check of the store (foreign or planted objects). */
  putRaw(bucket: string, key: string, bytes: Uint8Array | string): Promise<void>;
  /** Makes every write under `<bucket>/<keyPrefix>/` fail on the S3 server itself (a file where its folder must go). */
  blockWrites(bucket: string, keyPrefix: string): Promise<void>;
  /** The SDK client the helpers use, for tests that talk to the bucket directly. */
  client: S3Client;
  stop(): Promise<void>;
}

let buckets = 0;

/** Starts s3rver's process; resolves to the port it listens on, or rejects naming why it did not start. */
async function spawnS3rver(directory: string) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', SERVER_SCRIPT, directory], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const why = (reason: string) => new Error(`The test S3 server (s3rver) could not start on 127.0.0.1: ${reason}${stderr ? `\n${stderr}` : ''}`);
  const firstLine = createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const exited = once(child, 'exit').then(([code, signal]) => Promise.reject(why(`it exited (${signal ?? code})`)));
  const failed = once(child, 'error').then(([error]) => Promise.reject(why((error as Error).message)));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(why(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
  });
  try {
    const line = await Promise.race([firstLine, exited, failed, timedOut]);
    const port = Number((JSON.parse(String(line.value)) as { port?: unknown }).port);
    if (!Number.isInteger(port)) throw why(`it printed ${String(line.value)}`);
    return { child, port };
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    clearTimeout(timer);
    exited.catch(() => undefined);
    failed.catch(() => undefined);
  }
}

/** Starts s3rver on 127.0.0.1:0 in its own process. */
export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'loupe-s3-'));
  let started;
  try {
    started = await spawnS3rver(directory);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const { child, port } = started;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const made: string[] = [];
  return {
    endpoint,
    client,
    buckets: made,
    async createBucket(name = `loupe-test-${process.pid}-${++buckets}`) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      made.push(name);
      return { bucket: name, endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS };
    },
    async putRaw(bucket, key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async blockWrites(bucket, keyPrefix) {
      // s3rver keeps `<bucket>/<a>/<b>` as folders on disk: a plain file at `<a>` fails each write below it.
      await writeFile(join(directory, bucket, keyPrefix), 'in the way');
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.stdin.end();
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
