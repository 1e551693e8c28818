/**
 * The read API at 10,000 and 1,000,000 rows: list (first page, a deep cursor page), filter and
 * count latency over HTTP with a real HS256 JWT, against a real server on SQLite (a file) or
 * PostgreSQL (a throwaway cluster, test/support/postgres.ts), plus each query's plan, to show
 * that a request costs what its page costs, not what the table holds. Each engine seeds its
 * rows its own fastest way with the same mix: one better-sqlite3 transaction, or one
 * INSERT … SELECT over generate_series.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import pg from 'pg';
import { createProjectKey } from '../server/auth/keys.ts';
import { MASTER_KEY } from '../server/constants.ts';
import { dataPaths, openMasterKey, startServer, type RunningServer } from '../server/start.ts';
import type { ScanSpec, Sql } from '../server/storage/feedback-sql.ts';
import { pgCountSql, pgScanSql } from '../server/storage/pg-feedback-query.ts';
import { numbered } from '../server/storage/pg-pool.ts';
import { COUNT_SLOTS } from '../server/storage/pg-schema.ts';
import { countSql, scanSql } from '../server/storage/sqlite-feedback-query.ts';
import type { FeedbackFilter } from '../server/storage/types.ts';
import { createPgDatabase, startPgCluster, type PgCluster } from '../test/support/postgres.ts';
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
const METADATA = JSON.stringify({ browser: 'Chrome 156', os: 'Linux', viewport: { width: 1280, height: 800 } });

/** A small deterministic generator, so both sizes hold the same mix. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** Writes `rows` feedback rows straight into the file in one transaction (the server made the schema). */
function seedSqlite(databaseFile: string, clientIds: string[], rows: number): number {
  const startMs = performance.now();
  const db = new Database(databaseFile);
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    `INSERT INTO feedback (id, client_id, rating, comment, page_url, environment, metadata, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const random = lcg(rows);
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
        METADATA,
        state,
        new Date(createdMs).toISOString(),
        new Date(updatedMs).toISOString(),
      );
    }
  })();
  db.close();
  return performance.now() - startMs;
}

/**
 * The same mix in PostgreSQL, in one INSERT … SELECT over generate_series (random() seeded, so
 * every run holds the same rows). The per-row counts trigger is off meanwhile
 * (session_replication_role = replica, which also skips the client foreign key: the ids are
 * the clients just made) and the kept counts are written after in one GROUP BY, as the
 * trigger would have left them; then VACUUM ANALYZE, as autovacuum would after a bulk load.
 */
async function seedPg(url: string, clientIds: string[], rows: number): Promise<number> {
  const startMs = performance.now();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('SET session_replication_role = replica');
    await db.query('SELECT setseed(0.42)');
    await db.query(
      `INSERT INTO feedback (id, client_id, rating, comment, page_url, environment, metadata, state, created_at, updated_at)
       SELECT 'fb_' || substr(md5(i::text), 1, 10) || to_hex(i),
         CASE WHEN pick < 0.5 THEN $1 ELSE ($2::text[])[1 + floor((pick - 0.5) * 2 * $3)::int] END,
         CASE WHEN rate < 0.1 THEN NULL ELSE 1 + floor(random() * 4)::int END,
         ($4::text[])[1 + i % $5], 'https://shop.example.com/page/' || (i % 500),
         ($6::text[])[1 + floor(env * $7)::int], $8, state,
         to_char(to_timestamp(created_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         to_char(to_timestamp((created_ms + CASE WHEN state = 'new' THEN 0 ELSE floor(touch * 7 * $9) END) / 1000.0)
           AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       FROM (SELECT i, random() AS pick, random() AS rate, random() AS env, random() AS touch,
               ($10::text[])[1 + floor(random() * $11)::int] AS state,
               $12::bigint + floor(i::float8 / $13 * $14) AS created_ms
             FROM generate_series(0, $13 - 1) AS i) AS r`,
      [
        clientIds[0], clientIds.slice(1), CLIENTS - 1, COMMENTS, COMMENTS.length, ENVIRONMENTS, ENVIRONMENTS.length, METADATA,
        DAY_MS, STATES, STATES.length, END_MS - SPAN_DAYS * DAY_MS, rows, SPAN_DAYS * DAY_MS,
      ],
    );
    await db.query(
      `INSERT INTO feedback_counts (client_id, state, environment, rating, slot, n)
       SELECT client_id, state, environment, rating, 0, count(*) FROM feedback GROUP BY 1, 2, 3, 4`,
    );
    await db.query('SET session_replication_role = DEFAULT');
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
  return performance.now() - startMs;
}

/** A server on one engine, with what the bench needs from the database beside it. */
interface Opened {
  server: RunningServer;
  masterKey: Buffer;
  /** Writes `rows` rows over the clients; returns the ms it took. */
  seed(clientIds: string[], rows: number): Promise<number>;
  /** The first row of a query (`?` placeholders). */
  get<T>(text: string, params: unknown[]): Promise<T>;
  /** The plan of a query, one line per step. */
  plan(sql: Sql): Promise<string>;
  close(): Promise<void>;
}

/** An engine under test: how it opens, how it spells a scan and a count, how its plans read. */
interface Engine {
  title: string;
  /** What the section says of the server and its seeding. */
  about: string;
  planNote: string;
  open(): Promise<Opened>;
  scanSql(spec: ScanSpec): Sql;
  countSql(clientId: string, filters: readonly FeedbackFilter[]): Sql;
}

async function openSqlite(): Promise<Opened> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-read-'));
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  const { databaseFile } = dataPaths(dataDir);
  let db: Database.Database | undefined;
  // Opened after the seeding, which writes the file on a connection of its own.
  const reader = () => (db ??= new Database(databaseFile, { readonly: true }));
  return {
    server,
    masterKey: openMasterKey(dataDir),
    seed: async (clientIds, rows) => seedSqlite(databaseFile, clientIds, rows),
    get: async <T>(text: string, params: unknown[]) => reader().prepare(text).get(...params) as T,
    plan: async (sql) =>
      (reader().prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[]).map((row) => row.detail).join('; '),
    close: async () => {
      db?.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPg(cluster: PgCluster): Promise<Opened> {
  const database = await createPgDatabase(cluster.adminUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-read-pg-'));
  const masterKey = randomBytes(MASTER_KEY.bytes).toString('base64');
  const server = await startServer({
    host: '127.0.0.1', port: 0, dataDir, databaseUrl: database.url, masterKey, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0,
  });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  return {
    server,
    masterKey: openMasterKey(dataDir, masterKey, database.url),
    seed: (clientIds, rows) => seedPg(database.url, clientIds, rows),
    get: async <T>(text: string, params: unknown[]) => (await db.query(numbered(text), params)).rows[0] as T,
    plan: async (sql) => {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql.text}`,
        sql.params,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    },
    close: async () => {
      await db.end();
      await server.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const SQLITE: Engine = {
  title: 'Read API: list, filter and count at 10,000 and 1,000,000 rows',
  about: 'against a real server and SQLite file',
  planNote: 'Query plans (EXPLAIN QUERY PLAN at 1,000,000 rows; a page also looks up its cursor by primary key and probes one index entry on its far side):',
  open: openSqlite,
  scanSql,
  countSql,
};

type Case = { name: string; method: 'GET' | 'POST'; path: string; body?: unknown; plan: Sql };
type Result = { name: string; p50: number; p99: number; returned: string; plan: string };

type WireFilter = { filter_type: FeedbackFilter['field']; operator: FeedbackFilter['operator']; value: string | number };

/** What storage compares for a wire filter (the cases' values need no conversion). */
const stored = (filters: WireFilter[]): FeedbackFilter[] =>
  filters.map((f) => ({ field: f.filter_type, operator: f.operator, value: f.value }));

const NEW_AND_GOOD: WireFilter[] = [
  { filter_type: 'state', operator: 'eq', value: 'new' },
  { filter_type: 'rating', operator: 'gte', value: 3 },
];

/** Seeds one size on a fresh server, then times each case; returns the results and the seeding time. */
async function measure(engine: Engine, rows: number): Promise<{ results: Result[]; seedMs: number; clientRows: number }> {
  const opened = await engine.open();
  const { server } = opened;
  try {
    const clients = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await createClient(server.storage, { name: `bench ${i}` }));
    const clientId = clients[0]!.id;
    const seedMs = await opened.seed(clients.map((client) => client.id), rows);
    const { key, secret } = await createProjectKey(server.storage, opened.masterKey, { clientId, name: 'bench' });
    // One token for the run, as a script would: the server still verifies it on every request.
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));

    const clientRows = Number((await opened.get<{ n: number }>('SELECT count(*) AS n FROM feedback WHERE client_id = ?', [clientId])).n);
    // A cursor 90% of the way down the client's list: what offset paging would make slowest.
    const deep = await opened.get<{ id: string; updated_at: string }>(
      'SELECT id, updated_at FROM feedback WHERE client_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?',
      [clientId, Math.floor(clientRows * 0.9)],
    );
    const iso = (daysBeforeEnd: number) => new Date(END_MS - daysBeforeEnd * DAY_MS).toISOString();
    const monthAgo = iso(30);
    const base = `/api/projects/${clientId}/feedbacks`;
    const scan = { clientId, orderBy: 'updated_at' as const, ascending: false, columns: '*' as const };
    const filterPage = (name: string, query: WireFilter[], orderBy: 'updated_at' | 'created_at' = 'updated_at'): Case => ({
      name,
      method: 'POST',
      path: `${base}/filter?limit=100`,
      body: { query, order_by: { order_by_type: orderBy, direction: 'desc' } },
      plan: engine.scanSql({ ...scan, orderBy, filters: stored(query), limit: 101 }),
    });
    const count = (name: string, query: WireFilter[]): Case => ({
      name,
      method: 'POST',
      path: `${base}/filter/count`,
      body: { query },
      plan: engine.countSql(clientId, stored(query)),
    });
    const cases: Case[] = [
      { name: 'list, first page of 10', method: 'GET', path: base, plan: engine.scanSql({ ...scan, filters: [], limit: 11 }) },
      { name: 'list, first page of 100', method: 'GET', path: `${base}?limit=100`, plan: engine.scanSql({ ...scan, filters: [], limit: 101 }) },
      {
        name: 'list, page of 100 at 90% depth (after=)',
        method: 'GET',
        path: `${base}?limit=100&after=${deep.id}`,
        plan: engine.scanSql({ ...scan, filters: [], limit: 101, from: { key: deep.updated_at, id: deep.id } }),
      },
      filterPage('filter state=new, rating>=3, page of 100', NEW_AND_GOOD),
      filterPage('filter environment=staging, page of 100', [{ filter_type: 'environment', operator: 'eq', value: 'staging' }]),
      filterPage('filter created_at in a 30-day window half a year back, by created_at, page of 100', [
        { filter_type: 'created_at', operator: 'gte', value: iso(200) },
        { filter_type: 'created_at', operator: 'lt', value: iso(170) },
      ], 'created_at'),
      filterPage('filter comment contains "checkout", page of 100', [{ filter_type: 'comment', operator: 'contains', value: 'checkout' }]),
      filterPage('filter pageUrl starts_with ".../page/4", page of 100', [
        { filter_type: 'pageUrl', operator: 'starts_with', value: 'https://shop.example.com/page/4' },
      ]),
      count('count state=new, rating>=3', NEW_AND_GOOD),
      count('count all', []),
      count('count created in the last 30 days', [{ filter_type: 'created_at', operator: 'gte', value: monthAgo }]),
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
      results.push({ name: benchCase.name, p50: percentile(timesMs, 50), p99: percentile(timesMs, 99), returned, plan: await opened.plan(benchCase.plan) });
    }
    return { results, seedMs, clientRows };
  } finally {
    await opened.close();
  }
}

/** Runs both sizes one after the other on one engine; returns a Markdown section. */
async function benchReadApiOn(engine: Engine): Promise<string> {
  const startedMs = performance.now();
  const runs = [];
  for (const rows of SIZES) runs.push({ rows, ...(await measure(engine, rows)) });
  const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = small.results.map((r, i) => {
    const l = large.results[i]!;
    return `| ${r.name} | ${r.returned} / ${l.returned} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${l.p50.toFixed(2)} | ${l.p99.toFixed(2)} | ${(l.p50 / r.p50).toFixed(2)}x |`;
  });
  const multiline = large.results.some((r) => r.plan.includes('\n'));
  const plans = multiline
    ? large.results.flatMap((r) => [`${r.name}:`, '', '```', r.plan, '```', ''])
    : ['| request | plan |', '|---|---|', ...large.results.map((r) => `| ${r.name} | ${r.plan} |`), ''];
  return [
    `## ${engine.title}`,
    '',
    `Sequential requests over HTTP on loopback, each with \`Authorization: Bearer <HS256 JWT>\` verified by the server (jose), ${engine.about}; ${ROUNDS} per case after ${WARMUP_ROUNDS} warm-up ones. Rows are spread over ${CLIENTS} clients (the measured one holds ${fmt(small.clientRows)} and ${fmt(large.clientRows)} of them), over ${SPAN_DAYS} days, states 50% new / 20% in progress / 30% done, ratings 1–4 (10% none), environments default / staging / production, comments one of five (one in five mentions "checkout", one in five none), pages one of 500. Seeding took ${(small.seedMs / 1000).toFixed(1)} s and ${(large.seedMs / 1000).toFixed(1)} s; the section ${((performance.now() - startedMs) / 1000).toFixed(0)} s.`,
    '',
    `| request | returned (${fmt(SIZES[0]!)} / ${fmt(SIZES[1]!)}) | ${fmt(SIZES[0]!)} p50 ms | p99 ms | ${fmt(SIZES[1]!)} p50 ms | p99 ms | p50 ratio |`,
    '|---|---|---|---|---|---|---|',
    ...lines,
    '',
    engine.planNote,
    '',
    ...plans,
    'Pages and counts by state, rating and environment read a bounded number of index entries, so 100 times the rows costs about the same; a page of 100 costs more than a page of 10 (serialising the items). A page filtered on a column no index leads with (comment, pageUrl, a time range in the other order) reads the list order until it has its page: its cost follows how rare the matches are, not the table size, when they are spread through the list. Counting by a time range reads one index entry per matching item: it grows with the matches, not with the table.',
    '',
  ].join('\n');
}

/** The read API on SQLite; returns a Markdown section. */
export const benchReadApi = () => benchReadApiOn(SQLITE);

/** The read API on PostgreSQL, on a throwaway cluster; returns a Markdown section. */
export async function benchReadApiPg(): Promise<string> {
  const cluster = await startPgCluster();
  try {
    return await benchReadApiOn({
      title: 'Read API on PostgreSQL: list, filter and count at 10,000 and 1,000,000 rows',
      about: `against a real server on a fresh database of a throwaway PostgreSQL cluster (test/support/postgres.ts, default settings; one INSERT … SELECT over generate_series with the counts trigger off, the kept counts written after in one GROUP BY, then VACUUM ANALYZE)`,
      planNote: `Query plans (EXPLAIN (ANALYZE, BUFFERS) at 1,000,000 rows, costs and timing off: rows read and pages touched; a page also looks up its cursor by primary key and probes one index entry on its far side; counts sum the kept counts, striped over at most ${COUNT_SLOTS} rows per kind):`,
      open: () => openPg(cluster),
      scanSql: pgScanSql,
      countSql: pgCountSql,
    });
  } finally {
    await cluster.stop();
  }
}
