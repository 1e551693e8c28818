/**
 * `npm run bench`: ingest latency on loopback, measured side by side in one run against a
 * real server and SQLite file (p50/p99 and ratios to a bare HTTP round trip), then ingest
 * throughput with each server in its own process, side by side with a bare node:http +
 * better-sqlite3 server (per-request and group commit), then the same on PostgreSQL against a bare
 * node:http + pg server with one and two Loupe instances (pg-ingest-load), then Send to delivered through the real
 * extension in Chromium, then the replay recorder's cost on a busy page, then what a screenshot
 * costs (captureVisibleTab vs the html2canvas fallback, and a full page from the panel), then the
 * read API's list, filter and count at 10,000 and 1,000,000 rows on SQLite and on PostgreSQL
 * (read-api-pg), then a panel open with an empty and a ~150 MB outbox, then a screenshot served
 * from S3 through the server vs straight from the bucket, then webhooks: an accepted report to
 * its webhook at a loopback receiver (SQLite, PostgreSQL, two instances on one database) and a
 * backlog of 1,000 deliveries drained. The PostgreSQL sections start a throwaway cluster
 * (test/support/postgres.ts). Writes all eleven sections to bench/RESULTS.md.
 *
 * `BENCH_ONLY=outbox-full,read-api npm run bench` (or `npm run bench -- outbox-full read-api`)
 * runs only the named sections and replaces just those in bench/RESULTS.md (by heading),
 * leaving the others as they were measured.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../server/start.ts';
import { benchCapture } from './capture.ts';
import { benchIngestLoad } from './ingest-load.ts';
import { benchOutboxFull } from './outbox-full.ts';
import { benchOutboxSend } from './outbox-send.ts';
import { benchPgIngestLoad } from './pg-ingest-load.ts';
import { benchReadApi, benchReadApiPg } from './read-api.ts';
import { benchRecorder } from './recorder.ts';
import { benchS3Files } from './s3-files.ts';
import { benchWebhooks } from './webhooks.ts';
import { percentile, sampleFeedbackJson, screenshotPng } from './stats.ts';
import { createClient } from '../server/clients.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP_ROUNDS = 20;

type Case = { name: string; run: () => Promise<Response> };

/** Sequential requests against an in-process server; returns a Markdown section. */
async function benchIngestLatency(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  // No rate limits: the defaults (120 ingest requests per minute per address) would answer 429 here.
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  try {
    const { id: clientId } = await createClient(server.storage, { name: 'bench' });
    const png = screenshotPng();
    const feedback = sampleFeedbackJson(clientId);
    const cases: Case[] = [
      { name: 'GET /healthz (bare round trip)', run: () => fetch(`${server.url}/healthz`) },
      {
        name: 'POST /api/feedback',
        run: () => fetch(`${server.url}/api/feedback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: feedback }),
      },
      {
        name: `POST /api/screenshots (${(png.length / 1024).toFixed(0)} KB PNG)`,
        run: () => {
          const form = new FormData();
          form.set('clientId', clientId);
          form.set('screenshot', new Blob([png], { type: 'image/png' }), 'shot.png');
          return fetch(`${server.url}/api/screenshots`, { method: 'POST', body: form });
        },
      },
    ];

    const results: { name: string; p50: number; p99: number }[] = [];
    for (const benchCase of cases) {
      const timesMs: number[] = [];
      for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
        const startMs = performance.now();
        const response = await benchCase.run();
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${benchCase.name} answered ${response.status}`);
        if (round >= WARMUP_ROUNDS) timesMs.push(performance.now() - startMs);
      }
      timesMs.sort((a, b) => a - b);
      results.push({ name: benchCase.name, p50: percentile(timesMs, 50), p99: percentile(timesMs, 99) });
    }

    const base = results[0]!;
    const rows = results.map(
      (r) => `| ${r.name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.p50 / base.p50).toFixed(1)}x |`,
    );
    return [
      '## Ingest latency',
      '',
      `Each case: ${ROUNDS} sequential requests on loopback after ${WARMUP_ROUNDS} warm-up ones, against a real server and SQLite file.`,
      '',
      '| request | p50 ms | p99 ms | p50 vs bare round trip |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every section by the name BENCH_ONLY selects it with, in the order a full run takes them. */
const SECTIONS: Record<string, () => Promise<string>> = {
  'ingest-latency': benchIngestLatency,
  'ingest-load': benchIngestLoad,
  'pg-ingest-load': benchPgIngestLoad,
  'outbox-send': benchOutboxSend,
  recorder: benchRecorder,
  capture: benchCapture,
  'read-api': benchReadApi,
  'read-api-pg': benchReadApiPg,
  'outbox-full': benchOutboxFull,
  's3-files': benchS3Files,
  webhooks: benchWebhooks,
};

/**
 * Puts each new section in place of the one with the same heading (or at the end), keeping the
 * rest; a section measured on its own says when, since the file's header dates the full run.
 */
function replaceSections(previous: string, measured: string[], startedAt: Date): string {
  const parts = previous.split(/^(?=## )/m);
  for (const fresh of measured) {
    const heading = fresh.slice(0, fresh.indexOf('\n'));
    const section = `${heading}\n\n_Measured on its own (BENCH_ONLY) ${startedAt.toISOString()}._${fresh.slice(heading.length)}`;
    const at = parts.findIndex((part) => part.startsWith(`${heading}\n`));
    if (at >= 0) parts[at] = `${section}\n`;
    else parts.push(`${parts.at(-1)?.endsWith('\n\n') ? '' : '\n'}${section}\n`);
  }
  return parts.join('');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const named = process.argv.slice(2).flatMap((arg) => arg.split(','));
  const only = (named.length > 0 ? named : process.env.BENCH_ONLY?.split(','))?.map((name) => name.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !Object.hasOwn(SECTIONS, name)) ?? [];
  if (unknown.length > 0) throw new Error(`Unknown bench section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const sections: string[] = [];
  // One after the other: each section owns the machine while it measures.
  for (const [name, run] of Object.entries(SECTIONS)) if (!only || only.includes(name)) sections.push(await run());
  const resultsPath = join(import.meta.dirname, 'RESULTS.md');
  const report = only
    ? replaceSections(readFileSync(resultsPath, 'utf8'), sections, startedAt)
    : [
        '# Benchmark results',
        '',
        `Run ${startedAt.toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}.`,
        '',
        ...sections,
      ].join('\n');
  writeFileSync(resultsPath, report);
  console.log(only ? sections.join('\n') : report);
}

await main();
