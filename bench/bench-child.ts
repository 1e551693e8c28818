/**
 * Servers under test in their own process, so that the load generator's work is not theirs:
 * spawns a script that prints one JSON line (`{url, clientId, databaseFile, owner?}`) once it listens,
 * and stops it again. `BENCH_CPU_PROF=DIR` writes each child's CPU profile (`node --cpu-prof`)
 * into DIR when it stops, to see where its time goes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** A listening server in a child process. */
export interface BenchChild {
  url: string;
  clientId: string;
  /** Its SQLite file; its WAL is this plus `-wal`. */
  databaseFile: string;
  /** The headers of an owner's session, when the child made one (serve-child.ts, BENCH_OWNER). */
  owner?: Record<string, string>;
  /** Stops it (SIGTERM, then SIGKILL after a while) and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts `bench/<script>` with `args` (and `env` added to this process's) and waits for its line. */
export async function startBenchChild(
  script: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<BenchChild> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killTimer);
  };
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    for await (const line of lines) {
      if (line.startsWith('{')) {
        const ready = JSON.parse(line) as Omit<BenchChild, 'stop'>;
        return { url: ready.url, clientId: ready.clientId, databaseFile: ready.databaseFile, owner: ready.owner, stop };
      }
    }
    throw new Error(`bench/${script} ${args.join(' ')} exited before printing its URL`);
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
