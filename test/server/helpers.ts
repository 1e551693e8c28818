/** Shared helpers for the server tests: a real server on a temp data dir, real images, raw HTTP. */
import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { newFeedbackRow, newReplayRow } from '../../server/new-rows.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/start.ts';
import type { FeedbackRow, NewFeedback, NewReplay, ReplayRow, Storage } from '../../server/storage/types.ts';

/** A running server on 127.0.0.1:0 with its own temporary data directory. */
export interface TestServer {
  url: string;
  dataDir: string;
  server: RunningServer;
  /** Errors the app reported through logError (so expected 500s stay quiet). */
  loggedErrors: unknown[];
  /** Stops the server and deletes the data directory. */
  stop(): Promise<void>;
}

/** Starts a real server (real SQLite file, real sockets) for one test file. */
export async function startTestServer(options: Omit<StartOptions, 'dataDir' | 'host' | 'port'> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-server-test-'));
  const loggedErrors: unknown[] = [];
  const server = await startServer({
    ...options,
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logError: (_message, error) => loggedErrors.push(error),
  });
  return {
    url: server.url,
    dataDir,
    server,
    loggedErrors,
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
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
export async function storeFeedback(storage: Storage, input: NewFeedback): Promise<FeedbackRow> {
  const row = newFeedbackRow(input, Date.now());
  await storage.insertFeedback(row);
  return row;
}

/** Stores a replay row straight into storage (no route, no file), with a fresh id. */
export async function storeReplay(storage: Storage, input: NewReplay): Promise<ReplayRow> {
  const row = newReplayRow(input, Date.now());
  await storage.insertReplay(row);
  return row;
}
