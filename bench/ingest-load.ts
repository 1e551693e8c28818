/**
 * Ingest throughput, side by side in one run: POST /api/feedback with the same body and the
 * same load generator (bench/http-load.ts) against a bare `node:http` + `better-sqlite3`
 * server committing per request and with group commit (bench/bare-ingest-server.ts), against
 * Loupe, and against Loupe with a unique Idempotency-Key per request. Each server runs in its
 * own process; the rounds are interleaved so that the machine's noise hits every case alike.
 * Also samples each database's WAL file size, whose peak shows whether checkpoints keep up.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { startBenchChild, type BenchChild } from './bench-child.ts';
import { runLoad, type LoadResult } from './http-load.ts';
import { percentile, sampleFeedbackJson } from './stats.ts';

const ROUND_MS = Number(process.env.BENCH_LOAD_SECONDS ?? 3) * 1000;
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 4);
const WARMUP_MS = 1000;
const CONNECTIONS = 32;
/** Hard cap per round, whatever the duration: the bench must end even on a very fast machine. */
const MAX_REQUESTS_PER_ROUND = 400_000;
const WAL_SAMPLE_MS = 50;
/** The goal: Loupe at half the group-committing bare server's throughput or more, p99 at most this. */
const GOAL = { ratio: 0.5, p99Ms: 25 };

interface Case {
  name: string;
  server: BenchChild;
  withKey: boolean;
  rounds: LoadResult[];
  walPeakBytes: number;
}

function walBytes(databaseFile: string): number {
  try {
    return statSync(`${databaseFile}-wal`).size;
  } catch {
    return 0;
  }
}

/** One load run against a case's server, its WAL sampled meanwhile. */
async function measure(c: Case, durationMs: number): Promise<LoadResult> {
  const sample = () => (c.walPeakBytes = Math.max(c.walPeakBytes, walBytes(c.server.databaseFile)));
  const sampler = setInterval(sample, WAL_SAMPLE_MS);
  try {
    return await runLoad({
      url: new URL(c.server.url),
      method: 'POST',
      path: '/api/feedback',
      body: sampleFeedbackJson(c.server.clientId),
      headers: c.withKey ? () => ({ 'Idempotency-Key': randomUUID() }) : undefined,
      connections: CONNECTIONS,
      durationMs,
      maxRequests: MAX_REQUESTS_PER_ROUND,
    });
  } finally {
    clearInterval(sampler);
    sample();
  }
}

/** One case's rounds together (also bench/pg-ingest-load.ts's). */
export interface Summary {
  count: number;
  failures: number;
  perSecond: number;
  roundsPerSecond: number[];
  p50Ms: number;
  p99Ms: number;
}

export function summarize(c: Pick<Case, 'rounds'>): Summary {
  const latencies = c.rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const count = c.rounds.reduce((sum, r) => sum + r.count, 0);
  const elapsedMs = c.rounds.reduce((sum, r) => sum + r.elapsedMs, 0);
  return {
    count,
    failures: c.rounds.reduce((sum, r) => sum + r.failures, 0),
    perSecond: count / (elapsedMs / 1000),
    roundsPerSecond: c.rounds.map((r) => r.count / (r.elapsedMs / 1000)),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs every case against its own server process; returns a Markdown section. */
export async function benchIngestLoad(): Promise<string> {
  const servers: BenchChild[] = [];
  try {
    const start = async (script: string, args: string[] = []) => {
      const server = await startBenchChild(script, args);
      servers.push(server);
      return server;
    };
    const barePerRequest = await start('bare-ingest-server.ts', ['per-request']);
    const bareGroup = await start('bare-ingest-server.ts', ['group']);
    const loupe = await start('serve-child.ts');
    const made = (name: string, server: BenchChild, withKey: boolean): Case => ({ name, server, withKey, rounds: [], walPeakBytes: 0 });
    const cases = [
      made('bare node:http + better-sqlite3, commit per request', barePerRequest, false),
      made('bare node:http + better-sqlite3, group commit', bareGroup, false),
      made('Loupe POST /api/feedback', loupe, false),
      made('Loupe POST /api/feedback + unique Idempotency-Key', loupe, true),
    ];
    for (const c of cases) await measure(c, WARMUP_MS);
    for (const c of cases) c.walPeakBytes = 0;
    for (let round = 0; round < ROUNDS; round++) for (const c of cases) c.rounds.push(await measure(c, ROUND_MS));

    const summaries = cases.map(summarize);
    const [perRequest, group, plain, keyed] = summaries as [Summary, Summary, Summary, Summary];
    const rows = cases.map((c, i) => {
      const s = summaries[i]!;
      const range = `${Math.min(...s.roundsPerSecond).toFixed(0)}–${Math.max(...s.roundsPerSecond).toFixed(0)}`;
      return `| ${c.name} | ${s.count} | ${s.failures} | ${s.perSecond.toFixed(0)} | ${range} | ${s.p50Ms.toFixed(2)} | ${s.p99Ms.toFixed(2)} | ${(s.perSecond / group.perSecond).toFixed(2)}x | ${mb(c.walPeakBytes)} |`;
    });
    const ratio = plain.perSecond / group.perSecond;
    const met = ratio >= GOAL.ratio && plain.p99Ms <= GOAL.p99Ms;
    return [
      '## Ingest throughput (two processes)',
      '',
      'POST /api/feedback with the same body from the same load generator (raw keep-alive sockets, bench/http-load.ts)',
      `in this process, ${CONNECTIONS} connections, against servers each in its own process on loopback with a fresh SQLite`,
      'file (WAL, synchronous=NORMAL) and no rate limits: a bare node:http + better-sqlite3 server doing the same insert',
      '(bench/bare-ingest-server.ts) committing per request and with group commit, and Loupe without and with a',
      `unique Idempotency-Key. ${ROUNDS} interleaved rounds of ${ROUND_MS / 1000} s per case after ${WARMUP_MS / 1000} s of warm-up each;`,
      'requests/s over all rounds, the range over single rounds; latency percentiles over every request of a case.',
      'WAL peak: the largest size of the database\'s -wal file sampled every 50 ms during the case\'s rounds.',
      '',
      '| server | count | failures | requests/s | per round | p50 ms | p99 ms | vs bare group commit | WAL peak |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Loupe: ${ratio.toFixed(2)}x the group-committing bare server's throughput ` +
        `(${(plain.perSecond / perRequest.perSecond).toFixed(2)}x the per-request one), p99 ${plain.p99Ms.toFixed(1)} ms; ` +
        `goal ≥ ${GOAL.ratio}x with p99 ≤ ${GOAL.p99Ms} ms: ${met ? 'met' : 'not met'}. ` +
        `With the idempotency check: ${(keyed.perSecond / plain.perSecond).toFixed(2)}x Loupe's throughput, ` +
        `p99 ${keyed.p99Ms.toFixed(1)} ms.`,
      '',
    ].join('\n');
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
