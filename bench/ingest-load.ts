/**
 * Ingest throughput with two processes on loopback: the server runs in a child process
 * (bench/serve-child.ts), this process is the load generator. POST /api/feedback under a
 * fixed concurrency, once without and once with a unique Idempotency-Key per request, so
 * the cost of the exactly-once check shows as a ratio. Bounded in time and in count.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { percentile, sampleFeedbackJson } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const DURATION_MS = Number(process.env.BENCH_LOAD_SECONDS ?? 8) * 1000;
const WARMUP_MS = 1000;
const CONCURRENCY = 32;
/** Hard cap per case, whatever the duration: the bench must end even on a very fast machine. */
const MAX_REQUESTS = 400_000;
const CHILD_START_TIMEOUT_MS = 30_000;

interface CaseResult {
  name: string;
  count: number;
  failures: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** One POST; resolves with its status once the whole answer is read. */
function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method: 'POST', path: '/api/feedback', headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runCase(name: string, url: URL, body: string, withKey: boolean): Promise<CaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const base = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
  const headers = () => (withKey ? { ...base, 'Idempotency-Key': randomUUID() } : base);
  try {
    const warmupEnd = performance.now() + WARMUP_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < warmupEnd) await post(agent, url, body, headers());
      }),
    );
    const timesMs: number[] = [];
    let failures = 0;
    let started = 0;
    const startMs = performance.now();
    const endMs = startMs + DURATION_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < endMs && started < MAX_REQUESTS) {
          started++;
          const t0 = performance.now();
          const status = await post(agent, url, body, headers()).catch(() => 0);
          timesMs.push(performance.now() - t0);
          if (status !== 200) failures++;
        }
      }),
    );
    const elapsedS = (performance.now() - startMs) / 1000;
    timesMs.sort((a, b) => a - b);
    return {
      name,
      count: timesMs.length,
      failures,
      perSecond: timesMs.length / elapsedS,
      p50Ms: percentile(timesMs, 50),
      p99Ms: percentile(timesMs, 99),
    };
  } finally {
    agent.destroy();
  }
}

/** Starts bench/serve-child.ts (with `env` added to this process's) and waits for its `{url, clientId}` line. */
export async function startServeChild(env: Record<string, string> = {}) {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bench', 'serve-child.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_START_TIMEOUT_MS);
  try {
    for await (const line of lines) {
      if (line.startsWith('{')) return { child, exited, ...(JSON.parse(line) as { url: string; clientId: string }) };
    }
    throw new Error('The bench server exited before printing its URL');
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

/** Runs both cases against a server in a child process; returns a Markdown section. */
export async function benchIngestLoad(): Promise<string> {
  const { child, exited, url, clientId } = await startServeChild();
  try {
    const body = sampleFeedbackJson(clientId);
    const target = new URL(url);
    const plain = await runCase('POST /api/feedback', target, body, false);
    const keyed = await runCase('POST /api/feedback + unique Idempotency-Key', target, body, true);
    const row = (r: CaseResult) =>
      `| ${r.name} | ${r.count} | ${r.failures} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`;
    return [
      '## Ingest throughput (two processes)',
      '',
      `Server in a child process (no rate limits, fresh SQLite file), load from this process over loopback:`,
      `${CONCURRENCY} concurrent keep-alive connections, ${DURATION_MS / 1000} s per case after ${WARMUP_MS / 1000} s of warm-up.`,
      '',
      '| request | count | failures | requests/s | p50 ms | p99 ms |',
      '|---|---|---|---|---|---|',
      row(plain),
      row(keyed),
      '',
      `With the idempotency check: ${(keyed.perSecond / plain.perSecond).toFixed(2)}x the throughput, ` +
        `${(keyed.p50Ms / plain.p50Ms).toFixed(2)}x the p50 and ${(keyed.p99Ms / plain.p99Ms).toFixed(2)}x the p99 latency.`,
      '',
    ].join('\n');
  } finally {
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killTimer);
  }
}
