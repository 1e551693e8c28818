/**
 * Loupe's half of the two-process ingest benches: starts a server on 127.0.0.1 (any free
 * port) with a fresh data directory and no rate limits, and prints
 * `{"url","clientId","databaseFile"}` as one JSON line (bench/bench-child.ts). On SQLite (no
 * arguments) it creates the client; on PostgreSQL (arguments: the database URL and the id of
 * a client already in it, LOUPE_MASTER_KEY from the parent) several of these on one database
 * are the instances of bench/pg-ingest-load.ts. With env BENCH_OWNER=1 it also makes an owner
 * of the client with a live session and prints its headers as `owner` (bench/webhooks.ts
 * manages its endpoints through the API). Stops, deletes the directory and exits on
 * SIGTERM/SIGINT or when its parent closes stdin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths, startServer } from '../server/start.ts';
import { createClient } from '../server/clients.ts';
import { addPerson } from '../test/server/team-helpers.ts';

const [databaseUrl, givenClientId] = process.argv.slice(2);
if (databaseUrl && !givenClientId) throw new Error('Usage: serve-child.ts [DATABASE_URL CLIENT_ID]');

const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-child-'));
const server = await startServer({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  databaseUrl,
  rateLimitIpPerMin: 0,
  rateLimitClientPerMin: 0,
});
const clientId = givenClientId ?? (await createClient(server.storage, { name: 'bench' })).id;
const owner = process.env.BENCH_OWNER ? (await addPerson(server.storage, { clientId, role: 'owner' })).headers : undefined;

let stopping: Promise<void> | undefined;
const stop = () => {
  // An explicit exit, so that `--cpu-prof` writes its profile (and stdin no longer holds us).
  stopping ??= server
    .close()
    .finally(() => rmSync(dataDir, { recursive: true, force: true }))
    .then(() => process.exit(0));
  return stopping;
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// An orphaned child would keep its port: the parent's exit closes our stdin, which stops us.
process.stdin.on('end', stop).resume();

const databaseFile = databaseUrl ? '' : dataPaths(dataDir).databaseFile;
process.stdout.write(`${JSON.stringify({ url: server.url, clientId, databaseFile, owner })}\n`);
