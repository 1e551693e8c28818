// PostgreSQL only (the `server-pg` project): migrations under a lock, races between pools
// (two server instances) on one database, and the start's errors. The shared contract is in
// storage-contract.ts.
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { POSTGRES } from '../../server/constants.ts';
import { setFeedbackState } from '../../server/feedback-state.ts';
import { newFeedbackRow } from '../../server/new-rows.ts';
import { startServer } from '../../server/start.ts';
import { openPgStorage } from '../../server/storage/pg.ts';
import { COUNT_SLOTS, PG_MIGRATIONS } from '../../server/storage/pg-schema.ts';
import type { RememberedAnswer, Storage } from '../../server/storage/types.ts';
import { createPgDatabase, type PgDatabase } from '../support/postgres.ts';
import { feedbackInput } from './read-api-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(options: { empty?: boolean } = {}): Promise<PgDatabase> {
  const db = await createPgDatabase(inject('pgAdminUrl'), options);
  cleanups.push(() => db.drop());
  return db;
}

async function open(url: string): Promise<Storage> {
  const storage = await openPgStorage(url);
  cleanups.push(() => storage.close());
  return storage;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL migrations', () => {
  it('migrates an empty database once, even when several instances open it at the same moment', async () => {
    const db = await database({ empty: true });
    await Promise.all(Array.from({ length: 6 }, () => open(db.url)));
    const versions = await sql<{ version: number }>(db.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    await open(db.url); // and again later: nothing to do
    expect(await sql(db.url, 'SELECT version FROM schema_migrations')).toHaveLength(PG_MIGRATIONS.length);
  });

  it('refuses a database migrated by a newer server', async () => {
    const db = await database();
    await sql(db.url, 'INSERT INTO schema_migrations (version) VALUES ($1)', [PG_MIGRATIONS.length + 1]);
    await expect(openPgStorage(db.url)).rejects.toThrow(/newer than this server understands/);
  });

  it('indexes feedback for each list order and keeps the counts by trigger', async () => {
    const db = await database();
    const indexes = await sql<{ indexdef: string }>(db.url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'feedback'");
    const defs = indexes.map((i) => i.indexdef).join('\n');
    expect(defs).toContain('(client_id, updated_at, id)');
    expect(defs).toContain('(client_id, created_at, id)');
    expect(defs).toContain('(client_id, state, updated_at, id)');
    const storage = await open(db.url);
    const client = await createClient(storage, { name: 'Counts' });
    for (let i = 0; i < 4; i++) await storage.insertFeedback(newFeedbackRow(feedbackInput(client.id, { rating: (i % 2) + 1 }), Date.now()));
    const kept = 'SELECT state, environment, rating::int, sum(n)::int AS n FROM feedback_counts GROUP BY 1, 2, 3 ORDER BY rating';
    expect(await sql(db.url, kept)).toEqual([
      { state: 'new', environment: null, rating: 1, n: 2 },
      { state: 'new', environment: null, rating: 2, n: 2 },
    ]);
  });

  it('keeps counts striped by connection: an insert does not wait for another open transaction adding to the same count', async () => {
    const db = await database();
    const storage = await open(db.url);
    const client = await createClient(storage, { name: 'Stripes' });
    const connect = async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      cleanups.push(() => c.end());
      return c;
    };
    const slotOf = async (c: pg.Client) => (await c.query<{ slot: number }>('SELECT pg_backend_pid() % $1 AS slot', [COUNT_SLOTS])).rows[0]!.slot;
    const holder = await connect();
    let other = await connect();
    while ((await slotOf(other)) === (await slotOf(holder))) other = await connect();
    const insert = (c: pg.Client, id: string) =>
      c.query(
        `INSERT INTO feedback (id, client_id, rating, environment, state, created_at, updated_at)
         VALUES ($1, $2, 3, 'staging', 'new', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
        [id, client.id],
      );
    await holder.query('BEGIN');
    await insert(holder, 'fb_held');
    // With one row per kind, this insert would wait on the held transaction's lock of that row.
    await other.query("SET statement_timeout = '2s'");
    await insert(other, 'fb_free');
    await holder.query('COMMIT');
    const filters = [{ field: 'environment', operator: 'eq', value: 'staging' }] as const;
    expect(await storage.countFeedback(client.id, [...filters])).toBe(2);
    const rows = await sql<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM feedback_counts WHERE client_id = $1', [client.id]);
    expect(rows[0]!.n).toBe(2);
  });

  it('orders and compares byte-wise even when the database’s own collation is a language’s (ICU en-US)', async () => {
    const name = `loupe_icu_${Date.now()}`;
    const admin = inject('pgAdminUrl');
    await sql(admin, `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    cleanups.push(() => sql(admin, `DROP DATABASE ${name} WITH (FORCE)`).then(() => undefined));
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const storage = await open(url.toString());
    const at = '2024-01-01T00:00:00.000Z';
    for (const id of ['client_a', 'client_B', 'client_b', 'client_A']) await storage.insertClient({ id, name: id, allowedOrigins: [], notifyReporterOnDone: false, createdAt: at });
    expect((await storage.listClients()).map((c) => c.id)).toEqual(['client_A', 'client_B', 'client_a', 'client_b']);
  });
});

describe('PostgreSQL: two instances on one database', () => {
  const at = Date.parse('2026-01-01T00:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();

  it('20 concurrent keyed inserts of one scope from two pools store one row and all get its answer', async () => {
    const db = await database();
    const [a, b] = [await open(db.url), await open(db.url)];
    const client = await createClient(a, { name: 'Race' });
    const scope = { route: 'POST /api/feedback', clientId: client.id, key: 'same-key' };
    const attempts = Array.from({ length: 20 }, (_, i) => {
      const row = newFeedbackRow(feedbackInput(client.id, { comment: `attempt ${i}` }), at + i);
      const remember: RememberedAnswer = {
        scope,
        answer: { status: 200, bodyJson: JSON.stringify({ success: true, feedbackId: row.id }) },
        createdAtIso: iso(at + i),
        expiresAtIso: iso(at + i + 60_000),
      };
      return { row, remember, storage: i % 2 ? a : b };
    });
    const results = await Promise.all(attempts.map(({ storage, row, remember }) => storage.insertFeedback(row, remember)));
    const stored = await a.listFeedback(client.id);
    expect(stored).toHaveLength(1);
    const winner = attempts.findIndex((x) => x.row.id === stored[0]!.id);
    expect(results[winner]).toBeUndefined();
    const answers = results.map((r, i) => r ?? attempts[i]!.remember.answer);
    expect(new Set(answers.map((r) => r.bodyJson))).toEqual(new Set([attempts[winner]!.remember.answer.bodyJson]));
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
  });

  it('a rate bucket’s compare and set has exactly one winner among racing writers', async () => {
    const db = await database();
    const pools = [await open(db.url), await open(db.url)];
    const fresh = await Promise.all(Array.from({ length: 10 }, (_, i) => pools[i % 2]!.setRateBucket('k', 1000 + i, undefined)));
    expect(fresh.filter(Boolean)).toHaveLength(1);
    const current = (await pools[0]!.getRateBucket('k'))!;
    const moved = await Promise.all(Array.from({ length: 10 }, (_, i) => pools[i % 2]!.setRateBucket('k', 5000 + i, current)));
    expect(moved.filter(Boolean)).toHaveLength(1);
    expect(await pools[1]!.getRateBucket('k')).toBe(5000 + moved.indexOf(true));
  });

  it('a state change’s compare and set has exactly one winner, and the rule above it makes every change land', async () => {
    const db = await database();
    const pools = [await open(db.url), await open(db.url)];
    const client = await createClient(pools[0]!, { name: 'States' });
    const row = newFeedbackRow(feedbackInput(client.id, {}), at);
    await pools[0]!.insertFeedback(row);
    const change = (i: number) => ({ clientId: client.id, id: row.id, state: 'done' as const, updatedAt: iso(at + 1 + i), previousUpdatedAt: row.updatedAt });
    const raced = await Promise.all(Array.from({ length: 10 }, (_, i) => pools[i % 2]!.team.changeFeedback(change(i), {})));
    expect(raced.filter(Boolean)).toHaveLength(1);
    const states = ['new', 'in_progress', 'done'] as const;
    const all = await Promise.all(Array.from({ length: 8 }, (_, i) => setFeedbackState(pools[i % 2]!, client.id, row.id, states[i % 3]!, at)));
    expect(all.every((r) => r !== undefined)).toBe(true);
    const times = all.map((r) => r!.updatedAt).sort();
    expect(new Set(times).size).toBe(8);
    // The kept counts followed every move: one item, in one state.
    expect(await pools[0]!.countFeedback(client.id, [])).toBe(1);
    const final = (await pools[1]!.getFeedback(row.id))!.state;
    expect(await pools[0]!.countFeedback(client.id, [{ field: 'state', operator: 'eq', value: final }])).toBe(1);
  });
});

describe('PostgreSQL at start', () => {
  it('names the database and why when it cannot be reached, without the password', async () => {
    const error = await openPgStorage('postgres://loupe:hunter2@127.0.0.1:1/nowhere').catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^PostgreSQL at loupe@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('hunter2');
    expect((error as Error).message).not.toContain('\n');
    await expect(openPgStorage('mysql://x:hunter2@h/db')).rejects.toThrow(/^DATABASE_URL must be a postgres:\/\/ URL, not mysql:\/\/$/);
    await expect(openPgStorage('not a url hunter2')).rejects.toThrow(/^DATABASE_URL is not a URL/);
  });

  it('refuses to start on a database without LOUPE_MASTER_KEY, and never listens', async () => {
    const db = await database();
    const saved = process.env.LOUPE_MASTER_KEY;
    delete process.env.LOUPE_MASTER_KEY;
    try {
      await expect(startServer({ host: '127.0.0.1', port: 0, databaseUrl: db.url, dataDir: '/nonexistent/never-made' })).rejects.toThrow(
        new RegExp(`^LOUPE_MASTER_KEY is required with ${POSTGRES.envVar}`),
      );
    } finally {
      process.env.LOUPE_MASTER_KEY = saved;
    }
  });
});
