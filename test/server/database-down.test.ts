/**
 * PostgreSQL refusing connections while a server runs (server-pg only): /readyz answers 503
 * naming the database, ingest answers the contract's 500 (safe to retry) with nothing half
 * stored, and the same request, retried once the database is back, is stored once.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { Client } from '../../server/storage/types.ts';
import { postFeedback, startTestServer, type TestServer } from './helpers.ts';

let t: TestServer;
let client: Client;

/** Runs one statement on the maintenance database, as an operator would. */
async function admin(sql: string): Promise<void> {
  const connection = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await connection.connect();
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0 });
  client = await createClient(t.server.storage, { name: 'Down' });
});
afterAll(() => t.stop());

it('answers 503 on /readyz and 500 "safe to retry" on ingest while PostgreSQL refuses, and stores the retry once when it is back', async () => {
  const name = new URL(t.databaseUrl!).pathname.slice(1);
  const body = { clientId: client.id, rating: 3, comment: 'sent while the database was down' };
  const headers = { 'Idempotency-Key': 'while-down' };
  await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
  try {
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    const ready = await fetch(`${t.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { ok: false, failed: ['database'] }]);
    const refused = await postFeedback(t.url, body, headers);
    expect([refused.status, await refused.json()]).toEqual([500, { error: 'Internal server error' }]);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  } finally {
    await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
  }

  expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  const stored = await postFeedback(t.url, body, headers);
  expect(stored.status).toBe(200);
  const again = await postFeedback(t.url, body, headers);
  expect(await again.json()).toEqual(await stored.json());
  expect((await t.server.storage.listFeedback(client.id)).map((row) => row.comment)).toEqual([body.comment]);
});
