import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, loadMasterKey } from '../../server/auth/keys.ts';
import { parseCli } from '../../server/cli-args.ts';
import { runKeysCommand } from '../../server/cli-keys.ts';
import { openMasterKey, openStorage, startServer } from '../../server/start.ts';
import { createClient } from '../../server/clients.ts';
import { POSTGRES } from '../../server/constants.ts';
import { databaseText } from '../support/postgres.ts';
import { TEST_ENGINE } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dataDir: string;
let clientId: string;

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'loupe-keys-')), 'data');
  const storage = await openStorage(dataDir);
  clientId = (await createClient(storage, { name: 'Acme' })).id;
  await storage.close();
});
afterAll(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

/** Every byte SQLite wrote for the data directory (the database and its write-ahead log), or every PostgreSQL row as text. */
async function databaseBytes(): Promise<Buffer> {
  if (TEST_ENGINE === 'postgres') return Buffer.from(await databaseText(process.env[POSTGRES.envVar]!));
  const parts = await Promise.all(
    ['loupe.db', 'loupe.db-wal'].map((name) => readFile(join(dataDir, name)).catch(() => Buffer.alloc(0))),
  );
  return Buffer.concat(parts);
}

describe('parseCli keys commands', () => {
  it('parses keys create, list and revoke', () => {
    expect(parseCli(['keys', 'create', '--client', 'client_abc', '--name', 'CI bot'], { DATA_DIR: '/d' })).toEqual({
      kind: 'keys-create',
      dataDir: '/d',
      clientId: 'client_abc',
      name: 'CI bot',
    });
    expect(parseCli(['keys', 'create', '--client', 'client_abc'], {})).toMatchObject({ kind: 'keys-create', clientId: 'client_abc' });
    expect(parseCli(['keys', 'list', '--client', 'client_abc'], {})).toMatchObject({ kind: 'keys-list', clientId: 'client_abc' });
    expect(parseCli(['keys', 'revoke', '--kid', 'key_abc'], {})).toMatchObject({ kind: 'keys-revoke', kid: 'key_abc' });
  });

  it.each([
    [['keys', 'create'], 'keys create needs --client CLIENT_ID'],
    [['keys', 'list'], 'keys list needs --client CLIENT_ID'],
    [['keys', 'create', '--client', '../etc'], 'Not a client id: ../etc'],
    [['keys', 'revoke'], 'keys revoke needs --kid KEY_ID'],
    [['keys', 'revoke', '--kid', 'nope'], 'Not a key id: nope'],
    [['keys', 'revoke', '--kid', 'key_a', '--client', 'client_a'], '--client does not apply to "keys revoke"'],
    [['keys', 'rotate'], 'Unknown command: keys rotate'],
  ])('refuses %j', (argv, message) => {
    expect(parseCli(argv, {})).toEqual({ kind: 'usage-error', message });
  });

  it('takes --admin-token or ADMIN_TOKEN on serve, refusing a short one', () => {
    expect(parseCli([], {})).not.toHaveProperty('adminToken');
    expect(parseCli([], { ADMIN_TOKEN: 'from-env-0123456789' })).toMatchObject({ adminToken: 'from-env-0123456789' });
    expect(parseCli(['--admin-token', 'from-flag-0123456789'], { ADMIN_TOKEN: 'from-env-0123456789' })).toMatchObject({
      adminToken: 'from-flag-0123456789',
    });
    expect(parseCli(['--admin-token', 'short'], {})).toEqual({ kind: 'usage-error', message: 'The admin token must be at least 16 characters' });
    expect(parseCli(['clients', 'list', '--admin-token', 'x'.repeat(20)], {}).kind).toBe('usage-error');
  });
});

describe('keys commands and their storage', () => {
  it('creates a key whose secret is printed once and never stored in clear', async () => {
    const created = await runKeysCommand({ kind: 'keys-create', dataDir, clientId, name: 'CI bot' });
    expect(created.ok).toBe(true);
    const kid = /kid:\s+(key_\S+)/.exec(created.lines.join('\n'))![1]!;
    const secret = /secret:\s+(\S+)/.exec(created.lines.join('\n'))![1]!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.lines.join('\n')).toMatch(/shown only this once/);

    const bytes = await databaseBytes();
    expect(bytes.includes(kid)).toBe(true); // the row is there...
    expect(bytes.includes(secret)).toBe(false); // ...its secret is not, as text
    expect(bytes.includes(Buffer.from(secret, 'base64url'))).toBe(false); // nor as raw bytes

    const storage = await openStorage(dataDir);
    try {
      const key = await storage.getProjectKey(kid);
      expect(key).toMatchObject({ kid, clientId, name: 'CI bot', revokedAt: null });
      expect(key!.secretEncrypted).not.toContain(secret);
      // The master key (in the data dir, else LOUPE_MASTER_KEY) turns it back into the secret.
      expect(decryptSecret(openMasterKey(dataDir), kid, key!.secretEncrypted)).toBe(secret);
    } finally {
      await storage.close();
    }
    // On one machine the key is a file only its owner reads (PostgreSQL takes it from the environment).
    if (TEST_ENGINE === 'sqlite') expect((await stat(join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);

    const listed = await runKeysCommand({ kind: 'keys-list', dataDir, clientId });
    expect(listed.lines).toHaveLength(1);
    expect(listed.lines[0]).toMatch(new RegExp(`^${kid}\\tCI bot\\tcreated \\S+\\tactive$`));
    expect(listed.lines.join('\n')).not.toContain(secret);

    const revoked = await runKeysCommand({ kind: 'keys-revoke', dataDir, kid });
    expect(revoked.ok).toBe(true);
    expect((await runKeysCommand({ kind: 'keys-list', dataDir, clientId })).lines[0]).toMatch(/\trevoked \S+$/);
    expect((await runKeysCommand({ kind: 'keys-revoke', dataDir, kid })).lines[0]).toMatch(/already revoked/);
  });

  it('fails clearly for an unknown client or kid', async () => {
    expect(await runKeysCommand({ kind: 'keys-create', dataDir, clientId: 'client_missing' })).toMatchObject({ ok: false });
    expect(await runKeysCommand({ kind: 'keys-list', dataDir, clientId: 'client_missing' })).toMatchObject({ ok: false });
    expect(await runKeysCommand({ kind: 'keys-revoke', dataDir, kid: 'key_missing' })).toEqual({
      ok: false,
      lines: ['No key has the id key_missing'],
    });
  });

  it('npm run server -- keys create prints a key that the running server accepts until it is revoked', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts', ...args], {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: dataDir },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const created = await run(['keys', 'create', '--client', clientId, '--name', 'from the shell']);
    expect(created.code).toBe(0);
    const kid = /kid:\s+(key_\S+)/.exec(created.stdout)![1]!;
    const secret = /secret:\s+(\S+)/.exec(created.stdout)![1]!;

    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    try {
      const get = () =>
        fetch(`${server.url}/api/projects/${clientId}/feedbacks`, {
          headers: { Authorization: `Bearer ${jwt.sign({}, secret, { algorithm: 'HS256', keyid: kid, expiresIn: 60 })}` },
        });
      expect((await get()).status).toBe(200);
      expect((await run(['keys', 'revoke', '--kid', kid])).code).toBe(0);
      const refused = await get();
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: 'Key has been revoked' });
    } finally {
      await server.close();
    }
  });
});

describe('the master key', () => {
  it('comes from LOUPE_MASTER_KEY when set, and a malformed one is refused', () => {
    const key = randomBytes(32);
    expect(loadMasterKey({ dataDir, envValue: key.toString('base64') })).toEqual(key);
    expect(() => loadMasterKey({ dataDir, envValue: 'too-short' })).toThrow(/LOUPE_MASTER_KEY/);
  });

  it('is needed to decrypt, and a ciphertext only decrypts for its own kid', () => {
    const master = randomBytes(32);
    const sealed = encryptSecret(master, 'key_a', 'the secret');
    expect(decryptSecret(master, 'key_a', sealed)).toBe('the secret');
    expect(() => decryptSecret(randomBytes(32), 'key_a', sealed)).toThrow(/master key/);
    expect(() => decryptSecret(master, 'key_b', sealed)).toThrow();
  });
});
