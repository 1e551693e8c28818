/**
 * The read API at 10,000 and 1,000,000 rows: list (first page, a deep cursor page), filter and
 * count latency over HTTP with a real HS256 JWT, against a real server and SQLite file, plus
 * each query's plan, to show that a request costs what its page costs, not what the table holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { createProjectKey } from '../server/auth/keys.ts';
import { dataPaths, openMasterKey, startServer } from '../server/start.ts';
import { countSql, scanSql, type Sql } from '../server/storage/sqlite-feedback-query.ts';
import type { FeedbackFilter } from '../server/storage/types.ts';
import { percentile } from './stats.ts';
import { createClient } from '../server/clients.ts';

const SIZES = [10_000, 1_000_000];
const ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 200);
const WARMUP_ROUNDS = 20;
/** Rows go to this many clients; the measured one holds half of them, the rest share the other half. */
const CLIENTS = 4;
const DAY_MS = 86_400_000;
const SPAN_DAYS = 365;
const END_MS = Date.UTC(2026, 0, 1);
const STATES = ['new', 'new', 'new', 'new', 'new', 'in_progress', 'in_progress', 'done', 'done', 'done'];
const ENVIRONMENTS = [null, null, null, null, null, 'staging', 'staging', 'staging', 'production', 'production'];
const COMMENTS = ['The checkout button does nothing', 'Love the new cart', 'Search is slow today', 'Typo in the footer', null];

/** A small deterministic generator, so both sizes hold the same mix. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** Writes `rows` feedback rows straight into the file in one transaction (the server made the schema). */
function seed(databaseFile: string, clientIds: string[], rows: number): number {
  const startMs = performance.now();
  const db = new Database(databaseFile);
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    `INSERT INTO feedback (id, client_id, rating, comment, page_url, environment, metadata, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const random = lcg(rows);
  const metadata = JSON.stringify({ browser: 'Chrome 156', os: 'Linux', viewport: { width: 1280, height: 800 } });
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const pick = random();
      const clientId = pick < 0.5 ? clientIds[0]! : clientIds[1 + Math.floor((pick - 0.5) * 2 * (CLIENTS - 1))]!;
      const createdMs = END_MS - SPAN_DAYS * DAY_MS + Math.floor((i / rows) * SPAN_DAYS * DAY_MS);
      const state = STATES[Math.floor(random() * STATES.length)]!;
      // Triaged items were touched again within a week of arriving.
      const updatedMs = state === 'new' ? createdMs : createdMs + Math.floor(random() * 7 * DAY_MS);
      const rating = random() < 0.1 ? null : 1 + Math.floor(random() * 4);
      const id = `fb_${Math.floor(random() * 2 ** 52).toString(36)}${i.toString(36)}`;
      insert.run(
        id,
        clientId,
        rating,
        COMMENTS[i % COMMENTS.length],
        `https://shop.example.com/page/${i % 500}`,
        ENVIRONMENTS[Math.floor(random() * ENVIRONMENTS.length)],
        metadata,
        state,
        new Date(createdMs).toISOString(),
        new Date(updatedMs).toISOString(),
      );
    }
  })();
  db.close();
  return performance.now() - startMs;
}

type Case = { name: string; method: 'GET' | 'POST'; path: string; body?: unknown; plan: Sql };
type Result = { name: string; p50: number; p99: number; returned: string; plan: string };

const NEW_AND_GOOD = [
  { filter_type: 'state', operator: 'eq', value: 'new' },
  { filter_type: 'rating', operator: 'gte', value: 3 },
];
const NEW_AND_GOOD_FILTERS: FeedbackFilter[] = [
  { field: 'state', operator: 'eq', value: 'new' },
  { field: 'rating', operator: 'gte', value: 3 },
];

/** Seeds one size, then times each case; returns the results and the seeding time. */
async function measure(rows: number): Promise<{ results: Result[]; seedMs: number; clientRows: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-read-'));
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  try {
    const clients = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await createClient(server.storage, { name: `bench ${i}` }));
    const clientId = clients[0]!.id;
    const seedMs = seed(dataPaths(dataDir).databaseFile, clients.map((client) => client.id), rows);
    const { key, secret } = await createProjectKey(server.storage, openMasterKey(dataDir), { clientId, name: 'bench' });
    // One token for the run, as a script would: the server still verifies it on every request.
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));

    const db = new Database(dataPaths(dataDir).databaseFile, { readonly: true });
    const clientRows = (db.prepare('SELECT count(*) AS n FROM feedback WHERE client_id = ?').get(clientId) as { n: number }).n;
    // A cursor 90% of the way down the client's list: what offset paging would make slowest.
    const deep = db
      .prepare('SELECT id, updated_at FROM feedback WHERE client_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?')
      .get(clientId, Math.floor(clientRows * 0.9)) as { id: string; updated_at: string };
    const monthAgo = new Date(END_MS - 30 * DAY_MS).toISOString();
    const base = `/api/projects/${clientId}/feedbacks`;
    const scan = { clientId, orderBy: 'updated_at' as const, ascending: false, columns: '*' as const };
    const cases: Case[] = [
      { name: 'list, first page of 10', method: 'GET', path: base, plan: scanSql({ ...scan, filters: [], limit: 11 }) },
      { name: 'list, first page of 100', method: 'GET', path: `${base}?limit=100`, plan: scanSql({ ...scan, filters: [], limit: 101 }) },
      {
        name: 'list, page of 100 at 90% depth (after=)',
        method: 'GET',
        path: `${base}?limit=100&after=${deep.id}`,
        plan: scanSql({ ...scan, filters: [], limit: 101, from: { key: deep.updated_at, id: deep.id } }),
      },
      {
        name: 'filter state=new, rating>=3, page of 100',
        method: 'POST',
        path: `${base}/filter?limit=100`,
        body: { query: NEW_AND_GOOD },
        plan: scanSql({ ...scan, filters: NEW_AND_GOOD_FILTERS, limit: 101 }),
      },
      {
        name: 'count state=new, rating>=3',
        method: 'POST',
        path: `${base}/filter/count`,
        body: { query: NEW_AND_GOOD },
        plan: countSql(clientId, NEW_AND_GOOD_FILTERS),
      },
      { name: 'count all', method: 'POST', path: `${base}/filter/count`, body: {}, plan: countSql(clientId, []) },
      {
        name: 'count created in the last 30 days',
        method: 'POST',
        path: `${base}/filter/count`,
        body: { query: [{ filter_type: 'created_at', operator: 'gte', value: monthAgo }] },
        plan: countSql(clientId, [{ field: 'created_at', operator: 'gte', value: monthAgo }]),
      },
    ];

    const results: Result[] = [];
    for (const benchCase of cases) {
      const timesMs: number[] = [];
      let returned = '';
      for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
        const startMs = performance.now();
        const response = await fetch(`${server.url}${benchCase.path}`, {
          method: benchCase.method,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: benchCase.body === undefined ? undefined : JSON.stringify(benchCase.body),
        });
        const json = (await response.json()) as { items?: unknown[]; count?: number };
        if (!response.ok) throw new Error(`${benchCase.name} answered ${response.status}: ${JSON.stringify(json)}`);
        if (round >= WARMUP_ROUNDS) timesMs.push(performance.now() - startMs);
        returned = json.items ? `${json.items.length} items` : `count ${json.count?.toLocaleString('en-US')}`;
      }
      timesMs.sort((a, b) => a - b);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${benchCase.plan.text}`).all(...benchCase.plan.params) as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
      results.push({ name: benchCase.name, p50: percentile(timesMs, 50), p99: percentile(timesMs, 99), returned, plan });
    }
    db.close();
    return { results, seedMs, clientRows };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs both sizes one after the other; returns a Markdown section. */
export async function benchReadApi(): Promise<string> {
  const runs = [];
  for (const rows of SIZES) runs.push({ rows, ...(await measure(rows)) });
  const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = small.results.map((r, i) => {
    const l = large.results[i]!;
    return `| ${r.name} | ${r.returned} / ${l.returned} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${l.p50.toFixed(2)} | ${l.p99.toFixed(2)} | ${(l.p50 / r.p50).toFixed(2)}x |`;
  });
  return [
    '## Read API: list, filter and count at 10,000 and 1,000,000 rows',
    '',
    `Sequential requests over HTTP on loopback, each with \`Authorization: Bearer <HS256 JWT>\` verified by the server (jose), against a real server and SQLite file; ${ROUNDS} per case after ${WARMUP_ROUNDS} warm-up ones. Rows are spread over ${CLIENTS} clients (the measured one holds ${fmt(small.clientRows)} and ${fmt(large.clientRows)} of them), over ${SPAN_DAYS} days, states 50% new / 20% in progress / 30% done, ratings 1–4 (10% none), environments default / staging / production. Seeding (one transaction, better-sqlite3, triggers and indexes live) took ${(small.seedMs / 1000).toFixed(1)} s and ${(large.seedMs / 1000).toFixed(1)} s.`,
    '',
    `| request | returned (${fmt(SIZES[0]!)} / ${fmt(SIZES[1]!)}) | ${fmt(SIZES[0]!)} p50 ms | p99 ms | ${fmt(SIZES[1]!)} p50 ms | p99 ms | p50 ratio |`,
    '|---|---|---|---|---|---|---|',
    ...lines,
    '',
    'Query plans (EXPLAIN QUERY PLAN at 1,000,000 rows; a page also looks up its cursor by primary key and probes one index entry on its far side):',
    '',
    '| request | plan |',
    '|---|---|',
    ...large.results.map((r) => `| ${r.name} | ${r.plan} |`),
    '',
    'Pages and counts by state, rating and environment read a bounded number of index entries, so 100 times the rows costs about the same; a page of 100 costs more than a page of 10 (serialising the items). Counting by a time range reads one index entry per matching item: it grows with the matches, not with the table.',
    '',
  ].join('\n');
}
