/**
/**
 * Shared helpers for the server tests: a real server on a temp data dir (and, in the
 * `server-pg` project, a fresh PostgreSQL database), real images, raw HTTP. With env
 * LOUPE_TEST_FILES=s3 its files go to a bucket of a real S3 server (test/support/s3.ts).
 */
import { request } from 'node:http';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { inject } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { POSTGRES } from '../../server/constants.ts';
import { newFeedbackRow, newReplayRow } from '../../server/new-rows.ts';
import { openStorage, startServer, type RunningServer, type StartOptions } from '../../server/start.ts';
import type { FeedbackRow, NewFeedback, NewReplay, ReplayRow, Storage } from '../../server/storage/types.ts';
import { createPgDatabase } from '../support/postgres.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { storedFileNames } from '../support/stored-files.ts';

/** The file store engine the test servers use: env LOUPE_TEST_FILES (`disk`, the default, or `s3`). */
export const TEST_FILES_ENGINE = process.env.LOUPE_TEST_FILES === 's3' ? 's3' : 'disk';

/** The engine the server tests run on: `LOUPE_TEST_ENGINE=postgres` (the `server-pg` project), else SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.LOUPE_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** Where one test install keeps its data: a temp directory and, on PostgreSQL, a database of its own. */
export interface TestInstall {
  dataDir: string;
  /** Set on PostgreSQL: pass it wherever a server or storage is opened on this install. */
  databaseUrl?: string;
  /** Environment for a server process on this install (DATABASE_URL on PostgreSQL). */
  env: Record<string, string>;
  /** The install's storage, opened afresh. */
  open(): Promise<Storage>;
  /** Deletes the directory and drops the database. */
  remove(): Promise<void>;
}

/** A fresh install on the test engine; `dataDir` is created (with `subdir` below it, if given, not yet created). */
export async function createTestInstall(prefix = 'loupe-server-test-', subdir?: string): Promise<TestInstall> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = subdir ? join(root, subdir) : root;
  const database = TEST_ENGINE === 'postgres' ? await createPgDatabase(inject('pgAdminUrl')) : undefined;
  return {
    dataDir,
    databaseUrl: database?.url,
    env: database ? { [POSTGRES.envVar]: database.url } : {},
    open: () => openStorage(dataDir, database?.url),
    async remove() {
      await rm(root, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

/** A fresh install holding one client named `name` (for the CLI's commands); its storage is closed again. */
export async function installWithClient(name: string): Promise<{ install: TestInstall; clientId: string }> {
  const install = await createTestInstall();
  const storage = await install.open();
  try {
    return { install, clientId: (await createClient(storage, { name })).id };
  } finally {
    await storage.close();
  }
}

/** A running server on 127.0.0.1:0 with its own temporary data directory (and database). */
export interface TestServer {
  url: string;
  dataDir: string;
  /** Its database on PostgreSQL: a restart on the same install passes it to startServer. */
  databaseUrl?: string;
  server: RunningServer;
  /** Errors the app reported through logError (so expected 500s stay quiet). */
  loggedErrors: unknown[];
  /** The messages those errors were logged with, in the same order. */
  loggedMessages: string[];
  /** Names of every stored file (of one client when given), sorted, read through the store. */
  storedFiles(clientId?: string): Promise<string[]>;
  /** Every file in the data directory and every stored file (the same ones twice on disk): what a refused request must not change. */
  everyFile(): Promise<string[]>;
  /** Makes every write of this client's files fail for real (disk: a file where its folder goes; S3: the same inside the S3 server). */
  blockFileWrites(clientId: string): Promise<void>;
  /** Makes the whole file store unusable (disk: its directory replaced by a file; S3: the S3 server stopped). */
  breakFileStore(): Promise<void>;
  /** Stops the server (and its S3 server), deletes the data directory and drops the database. */
  stop(): Promise<void>;
}

/** Starts a real server (real SQLite file or PostgreSQL database, real sockets, files on `engine`) for one test file. */
export async function startTestServer(
  options: Omit<StartOptions, 'dataDir' | 'host' | 'port' | 'databaseUrl' | 's3'> = {},
  engine: 'disk' | 's3' = TEST_FILES_ENGINE,
): Promise<TestServer> {
  const install = await createTestInstall();
  const { dataDir } = install;
  const loggedErrors: unknown[] = [];
  const loggedMessages: string[] = [];
  let s3: TestS3 | undefined;
  let server: RunningServer;
  try {
    s3 = engine === 's3' ? await startTestS3() : undefined;
    const bucket = await s3?.createBucket();
    server = await startServer({
      ...options,
      host: '127.0.0.1',
      port: 0,
      dataDir,
      databaseUrl: install.databaseUrl,
      s3: bucket,
      logError: (message, error) => {
        loggedMessages.push(message);
        loggedErrors.push(error);
      },
    });
  } catch (error) {
    await s3?.stop();
    await install.remove();
    throw error;
  }
  const filesDir = join(dataDir, 'files');
  return {
    url: server.url,
    dataDir: install.dataDir,
    databaseUrl: install.databaseUrl,
    server,
    loggedErrors,
    loggedMessages,
    storedFiles: (clientId) => storedFileNames(server.files, clientId),
    everyFile: async () => [...(await listFilesBelow(dataDir)), ...(await storedFileNames(server.files))],
    async blockFileWrites(clientId) {
      if (s3) await s3.blockWrites(s3.buckets[0]!, clientId);
      else await writeFile(join(filesDir, clientId), 'in the way');
    },
    async breakFileStore() {
      if (s3) return s3.stop();
      await rm(filesDir, { recursive: true, force: true });
      await writeFile(filesDir, 'not a directory');
    },
    async stop() {
      await server.close();
      await s3?.stop();
      await install.remove();
    },
  };
}

/** A real PNG of the given size, encoded by pngjs. */
export function pngBytes(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = (i / 4) % 256;
    png.data[i + 1] = 128;
    png.data[i + 2] = 64;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** POSTs JSON (or a raw string) to /api/feedback. */
export function postFeedback(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/feedback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** One multipart field: a string, or a file with its declared type. */
export type FormField = string | { bytes: Uint8Array; type: string; name?: string };

/** POSTs a multipart form to /api/screenshots. */
export function postScreenshot(
  base: string,
  fields: Record<string, FormField>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name ?? 'screenshot.png');
  }
  return fetch(`${base}/api/screenshots`, { method: 'POST', body: form, headers });
}

/** GET with the path sent byte for byte (fetch would resolve `..` before sending). */
export function rawGet(base: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every file below a directory, as paths relative to it. */
export async function listFilesBelow(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Stores a feedback item straight into storage (no route), with a fresh id and now's times. */
export async function storeFeedback(storage: Storage, input: NewFeedback, nowMs = Date.now()): Promise<FeedbackRow> {
  const row = newFeedbackRow(input, nowMs);
  await storage.insertFeedback(row);
  return row;
}

/** Stores a replay row straight into storage (no route, no file), with a fresh id. */
export async function storeReplay(storage: Storage, input: NewReplay): Promise<ReplayRow> {
  const row = newReplayRow(input, Date.now());
  await storage.insertReplay(row);
  return row;
}

/** A storage on a fresh install of the test engine, for the storage contract (storage-contract.ts). */
export async function openTestStorage(): Promise<{ storage: Storage; openAnother(): Promise<Storage>; dispose(): Promise<void> }> {
  const install = await createTestInstall('loupe-storage-');
  const opened: Storage[] = [];
  const openAnother = async () => {
    const storage = await install.open();
    opened.push(storage);
    return storage;
  };
  return {
    storage: await openAnother(),
    openAnother,
    async dispose() {
      for (const storage of opened) await storage.close();
      await install.remove();
    },
  };
}
