/**
 * A real PostgreSQL for the tests: Debian's binaries (`initdb`, `pg_ctl`, the highest
 * version installed) on a throwaway directory and a free 127.0.0.1 port, and a fresh
 * database per test file or server, made from a migrated template (fast) and dropped after.
 * When it cannot start, the error says why (initdb's or pg_ctl's own output): never a skip.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openPgStorage } from '../../server/storage/pg.ts';

const run = promisify(execFile);

/** Where Debian installs each PostgreSQL major version. */
const DEBIAN_ROOT = '/usr/lib/postgresql';
/** The database every fresh one is copied from: migrated once per cluster. */
export const TEMPLATE_DATABASE = 'loupe_template';
/** The superuser initdb makes; trust authentication on loopback only. */
const SUPERUSER = 'loupe';
/** Tests open many pools at once (servers, child processes, concurrency tests). */
const MAX_CONNECTIONS = 300;

/** A running cluster. */
export interface PgCluster {
  /** `postgres://loupe@127.0.0.1:PORT/postgres`: the maintenance database. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The bin directory of the highest PostgreSQL version installed, or a clear error. */
export function postgresBinDir(): string {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT).filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
    : [];
  const highest = versions.map(Number).sort((a, b) => b - a)[0];
  if (highest === undefined) {
    throw new Error(`No PostgreSQL found: no ${DEBIAN_ROOT}/*/bin/initdb (install Debian's postgresql package)`);
  }
  return join(DEBIAN_ROOT, String(highest), 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

// PostgreSQL refuses to run as root: then initdb and pg_ctl run as the `postgres` user.
const asRoot = userInfo().uid === 0;

async function runPg(bin: string, args: string[], what: string): Promise<void> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`PostgreSQL ${what} failed: ${(stderr || stdout || message).trim()}`);
  }
}

/**
 * Starts a cluster on a temp directory and a free port; `stop` removes it all. `settings`
 * are more `name=value` server settings (e.g. the bench's `shared_preload_libraries`).
 */
export async function startPgCluster(options: { settings?: readonly string[] } = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'loupe-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asRoot) await chown(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), 0);
  await runPg(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], 'initdb');
  const port = await freePort();
  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    `-c max_connections=${MAX_CONNECTIONS}`,
    ...(options.settings ?? []).map((setting) => `-c ${setting}`),
  ].join(' ');
  try {
    await runPg(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', settings, '-w', '-t', '60', 'start'], 'pg_ctl start');
  } catch (error) {
    const serverLog = await readFile(log, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${serverLog.trim()}`);
  }
  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    await runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop').finally(() =>
      rm(dir, { recursive: true, force: true }),
    );
  };
  try {
    await admin(adminUrl, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
    // Migrated once here, so that each fresh copy opens without running the migrations.
    await (await openPgStorage(databaseUrl(adminUrl, TEMPLATE_DATABASE))).close();
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl, stop };
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file or server. */
export interface PgDatabase {
  url: string;
  /** Drops it, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/**
 * A fresh database: a copy of the migrated template, or an empty one (`empty: true`, to
 * test the migrations themselves).
 */
export async function createPgDatabase(adminUrl: string, options: { empty?: boolean } = {}): Promise<PgDatabase> {
  const name = `loupe_test_${randomBytes(8).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${options.empty ? 'template0' : TEMPLATE_DATABASE}`);
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Every row of every table of a database as JSON text: what it holds, to search for a value that must not be there. */
export async function databaseText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${name}" AS t`);
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
