import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './child-process.ts';
import { TEST_ENGINE, createTestInstall } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dataDir: string;

/** Runs `tsx server/main.ts ...args` with its own DATA_DIR. */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { DATA_DIR: dataDir, ...env });

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'loupe-cli-')), 'data');
});
afterAll(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

describe('npm run server (serve)', () => {
  it('starts on the given port, prints its URL, answers, and stops cleanly on SIGTERM', async () => {
    // tsx itself, not npx: npx does not pass SIGTERM on, which would orphan the server.
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
    });
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
      });
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('npm run server with S3_BUCKET', () => {
  it('refuses to start when the bucket cannot be reached: one line naming S3, endpoint, bucket and why; exit 1', async () => {
    const endpoint = 'http://127.0.0.1:1';
    const run = await cli([], {
      PORT: '0',
      HOST: '127.0.0.1',
      S3_BUCKET: 'loupe-files',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      // The SDK's notice about Node 20 would be a second line.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('listening');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^S3 bucket "loupe-files" at http:\/\/127\.0\.0\.1:1 is not usable: .*ECONNREFUSED/)]);
  });

  it('refuses a malformed S3 setting by name', async () => {
    const run = await cli([], { PORT: '0', HOST: '127.0.0.1', S3_BUCKET: 'loupe-files', S3_FORCE_PATH_STYLE: 'yes' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('S3_FORCE_PATH_STYLE must be true or false, not "yes"');
  });
});

describe('npm run server -- clients', () => {
  it('creates a client, prints its id alone on the last line, and lists it', async () => {
    const created = await cli(['clients', 'create', '--name', 'Acme Inc', '--allow-origin', 'https://App.acme.com/', '--allow-origin', 'http://localhost:3000']);
    expect(created.code).toBe(0);
    const id = lastLine(created.stdout);
    expect(id).toMatch(/^client_[A-Za-z0-9_-]{20}$/);
    // SQLite keeps it in the data directory (on PostgreSQL, DATABASE_URL names where).
    if (TEST_ENGINE === 'sqlite') expect(existsSync(join(dataDir, 'loupe.db'))).toBe(true);

    const listed = await cli(['clients', 'list']);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((line) => line.startsWith(`${id}\t`));
    expect(row).toBe(`${id}\tAcme Inc\thttps://app.acme.com,http://localhost:3000`);
  });

  it('refuses an allow-origin that is not an http(s) origin', async () => {
    const run = await cli(['clients', 'create', '--name', 'Bad', '--allow-origin', 'app.acme.com']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Not an http(s) origin: app.acme.com');
  });
});

describe('npm run server -- export / import', () => {
  it('moves an install to another data directory, refusing a non-empty target, another master key and a used export directory', async () => {
    const root = join(dataDir, '..');
    const created = await cli(['clients', 'create', '--name', 'Moved', '--allow-origin', 'https://moved.example']);
    const id = lastLine(created.stdout)!;
    const key = await cli(['keys', 'create', '--client', id, '--name', 'ci']);
    expect(key.code).toBe(0);
    const kid = /kid: +(\S+)/.exec(key.stdout)![1]!;

    const sourceClients = (await cli(['clients', 'list'])).stdout.trim().split('\n').length;
    const exported = await cli(['export', '--to', join(root, 'export')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`clients: ${sourceClients} rows`);
    expect(exported.stdout).toContain('projectKeys: 1 rows');
    const again = await cli(['export', '--to', join(root, 'export')]);
    expect([again.code, again.stderr.trim()]).toEqual([1, `Export directory ${join(root, 'export')} is not empty`]);

    // Another data directory and, on PostgreSQL, another database.
    const install = await createTestInstall('loupe-cli-target-');
    const target = { DATA_DIR: install.dataDir, ...install.env };
    const strangerKey = Buffer.alloc(32, 7).toString('base64');
    const refused = await cli(['import', '--from', join(root, 'export')], { ...target, LOUPE_MASTER_KEY: strangerKey });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('encrypted with another master key');

    // The source's key: the run's LOUPE_MASTER_KEY on PostgreSQL, else the key file the CLI made.
    const masterKey = process.env.LOUPE_MASTER_KEY || (await readFile(join(dataDir, 'master.key'), 'utf8')).trim();
    const imported = await cli(['import', '--from', join(root, 'export')], { ...target, LOUPE_MASTER_KEY: masterKey });
    expect(imported.code, imported.stderr).toBe(0);
    expect(lastLine(imported.stdout)).toBe(`Imported 0 feedback items and 0 files from ${join(root, 'export')}`);
    const listed = await cli(['clients', 'list'], target);
    expect(listed.stdout).toContain(`${id}\tMoved\thttps://moved.example`);
    const keys = await cli(['keys', 'list', '--client', id], target);
    expect(keys.stdout).toMatch(new RegExp(`^${kid}\tci\t`, 'm'));

    const twice = await cli(['import', '--from', join(root, 'export')], { ...target, LOUPE_MASTER_KEY: masterKey });
    expect([twice.code, twice.stderr.trim()]).toEqual([1, 'The target already holds clients: import only into an empty database']);
    await writeFile(join(root, 'export', 'manifest.json'), '{');
    const broken = await cli(['import', '--from', join(root, 'export')], { ...target, LOUPE_MASTER_KEY: masterKey });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/manifest/i);
    await install.remove();
  }, 60_000); // eleven CLI runs, each a fresh tsx process
});

describe('npm run server -- migrate, and a database that cannot be used', () => {
  it('migrate brings the schema up to date, says where, and exits', async () => {
    const run = await cli(['migrate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(TEST_ENGINE === 'sqlite' ? /^Database schema is up to date: SQLite in / : /^Database schema is up to date: PostgreSQL at /);
  });

  const key = Buffer.alloc(32, 1).toString('base64');
  it.each([
    [['serve', '--port', '0', '--database-url', 'postgres://loupe:hunter2@127.0.0.1:1/loupe'], { LOUPE_MASTER_KEY: key }, /^PostgreSQL at loupe@127\.0\.0\.1:1\/loupe: .*ECONNREFUSED/],
    [['serve', '--port', '0'], { DATABASE_URL: 'mysql://loupe:hunter2@db/loupe', LOUPE_MASTER_KEY: key }, /^DATABASE_URL must be a postgres:\/\/ URL/],
    [['serve', '--port', '0', '--database-url', 'postgres://loupe:hunter2@127.0.0.1:1/loupe'], { LOUPE_MASTER_KEY: '' }, /^LOUPE_MASTER_KEY is required with DATABASE_URL/],
    [['migrate', '--database-url', 'postgres://loupe:hunter2@127.0.0.1:1/loupe'], {}, /^PostgreSQL at loupe@127\.0\.0\.1:1\/loupe: /],
  ])('%j fails in one line naming why, without the password, and never listens', async (args, env, why) => {
    const run = await cli(args, env);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('listening');
    expect(run.stderr).toMatch(why);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe.concurrent('usage errors', () => {
  it.each([
    [['frobnicate']],
    [['clients', 'delete']],
    [['clients', 'create']],
    [['clients', 'list', '--name', 'x']],
    [['--bogus-flag']],
    [['--port', 'eighty']],
    [['export']],
    [['import', '--to', 'x']],
  ])('%j prints usage to stderr and exits 2', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage:');
    expect(run.stderr).toContain('clients create --name NAME');
    expect(run.stdout).toBe('');
  });
});
