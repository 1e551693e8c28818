/**
 * Servers in child processes: test/server/child-server.ts (reading its resident memory from
 * /proc), or `npm run server`'s own entry in a process group of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { StartOptions } from '../../server/start.ts';
import { createTestInstall } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** How a CLI run ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tsx server/main.ts ...args` with `env` added to this process's, `stdin` written to it. */
export function runCli(args: string[], env: Record<string, string | undefined>, stdin = ''): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(resolve(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

/** A server running in its own process. */
export interface ChildServer {
  url: string;
  clientId: string;
  dataDir: string;
  /** Its resident set size now, in bytes (VmRSS). */
  rssBytes(): Promise<number>;
  /** What it wrote to stderr (unexpected errors are logged there). */
  stderr(): string;
  /** Stops it and deletes its data directory. */
  stop(): Promise<void>;
}

/** Spawns the server with `options` (JSON-serialisable ones) on a fresh install (data directory, and database on PostgreSQL). */
export async function startChildServer(options: Omit<StartOptions, 'host' | 'port' | 'dataDir' | 'logError' | 'nowMs'> = {}): Promise<ChildServer> {
  const install = await createTestInstall('loupe-child-');
  const { dataDir } = install;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/child-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...install.env, LOUPE_CHILD_OPTIONS: JSON.stringify({ ...options, dataDir }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const ready = await new Promise<{ url: string; clientId: string }>((resolveReady, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolveReady(JSON.parse(out.slice(0, out.indexOf('\n'))) as { url: string; clientId: string });
    });
    child.once('exit', (code) => reject(new Error(`child server exited (${code}) before listening: ${errors}`)));
  }).catch(async (error: unknown) => {
    await install.remove();
    throw error;
  });
  return {
    ...ready,
    dataDir,
    async rssBytes() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
    },
    stderr: () => errors,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await install.remove();
    },
  };
}

/** Samples `read` every `everyMs` until stopped; `stop()` returns the highest value seen. */
export function samplePeak(read: () => Promise<number>, everyMs: number): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      // The process may be gone (a failed test stops it): the peak so far stands.
      peak = Math.max(peak, await read().catch(() => 0));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

const CLI_START_TIMEOUT_MS = 10_000;

/** Starts `server/main.ts serve` on `dataDir` and a free port, detached (its own process group); resolves once it listens. */
export async function spawnCliServer(
  dataDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ url: string; proc: ChildProcess }> {
  const argv = ['--import', 'tsx', 'server/main.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...args];
  const proc = spawn(process.execPath, argv, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${CLI_START_TIMEOUT_MS} ms`)), CLI_START_TIMEOUT_MS);
    let stderr = '';
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    proc.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr.trim()}`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
  });
  return { url, proc };
}
