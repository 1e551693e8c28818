import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../server/storage/sqlite-schema.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { NewFeedback } from '../../server/storage/types.ts';
import { openStorage } from '../../server/start.ts';
import { storeFeedback, storeReplay } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';

let dir: string;
let dbFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-sqlite-'));
  dbFile = join(dir, 'loupe.db');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const feedback = (clientId: string, comment: string): NewFeedback => feedbackInput(clientId, { comment });

describe('SQLite storage', () => {
  it('creates clients with random prefixed ids and finds them again after reopening', async () => {
    const first = openSqliteStorage(dbFile);
    const a = await createClient(first, { name: 'Acme', allowedOrigins: ['https://app.acme.com'] });
    const b = await createClient(first, { name: 'Beta' });
    expect(a.id).toMatch(/^client_[A-Za-z0-9_-]{20}$/);
    expect(a.id).not.toBe(b.id);
    await first.close();

    const second = openSqliteStorage(dbFile);
    expect(await second.getClient(a.id)).toEqual(a);
    expect((await second.listClients()).map((c) => c.name)).toEqual(['Acme', 'Beta']);
    expect((await second.getClient(b.id))?.allowedOrigins).toEqual([]);
    expect(await second.getClient('client_nope')).toBeUndefined();
    await second.close();
  });

  it('uses WAL, records the schema version and indexes feedback by (client_id, updated_at, id)', async () => {
    await (openSqliteStorage(dbFile)).close();
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
      const columns = (db.pragma('index_info(feedback_client_updated)') as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(['client_id', 'updated_at', 'id']);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer server', async () => {
    const db = new Database(dbFile);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStorage(dbFile)).toThrow(/newer/);
  });

  it('round-trips JSON columns and lists a client’s feedback newest first', async () => {
    const storage = openSqliteStorage(dbFile);
    const client = await createClient(storage, { name: 'Acme' });
    const other = await createClient(storage, { name: 'Other' });
    const first = await storeFeedback(storage, {
      ...feedback(client.id, 'one'),
      screenshots: [{ fileName: 'a/b.png', url: 'http://x/files/a/b.png', fileSize: 1, mimeType: 'image/png' }],
      metadata: { nested: { list: [1, 'two', null] } },
    });
    await storeFeedback(storage, feedback(client.id, 'two'));
    await storeFeedback(storage, feedback(other.id, 'elsewhere'));
    expect(await storage.getFeedback(first.id)).toEqual(first);
    expect((await storage.listFeedback(client.id)).map((f) => f.comment)).toEqual(['two', 'one']);
    expect(await storage.getFeedback('fb_missing')).toBeUndefined();
    await storage.close();
    await storage.close(); // twice is fine
  });

  it('stores replays and finds them by id; a replay needs an existing client', async () => {
    const storage = openSqliteStorage(dbFile);
    const client = await createClient(storage, { name: 'Acme' });
    const input = {
      clientId: client.id,
      fileName: `${client.id}/1717740000000-abcdefghijklmnopqrstuv.json.gz`,
      fileSize: 410,
      durationMs: 5000,
      eventCount: 6,
      startedAt: '2024-06-07T10:00:00.000Z',
    };
    const stored = await storeReplay(storage, input);
    expect(stored).toEqual({ ...input, id: expect.stringMatching(/^rp_[A-Za-z0-9_-]{24}$/), createdAt: expect.any(String) });
    expect(await storage.getReplay(stored.id)).toEqual(stored);
    expect(await storage.getReplay('rp_missing')).toBeUndefined();
    await expect(storeReplay(storage, { ...input, clientId: 'client_ghost', fileName: 'client_ghost/1-abcdefghijklmnopqrstuv.json.gz' })).rejects.toThrow(/FOREIGN KEY/);
    await storage.close();
  });

  it('upgrades a database from before replays without losing its feedback', async () => {
    const old = new Database(dbFile);
    old.exec(SQLITE_MIGRATIONS.slice(0, 2).join('\n'));
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO clients (id, name, created_at) VALUES ('client_old', 'Old', '2024-01-01T00:00:00.000Z')").run();
    old.close();
    const storage = openSqliteStorage(dbFile);
    expect((await storage.getClient('client_old'))?.name).toBe('Old');
    const replay = await storeReplay(storage, {
      clientId: 'client_old', fileName: 'client_old/1-abcdefghijklmnopqrstuv.json.gz', fileSize: 1, durationMs: 0, eventCount: 2, startedAt: '2024-01-01T00:00:00.000Z',
    });
    expect(await storage.getReplay(replay.id)).toEqual(replay);
    await storage.close();
  });

  it('records the screenshots that feedback stored before the screenshots table names (of its own client only)', async () => {
    const old = new Database(dbFile);
    old.exec(SQLITE_MIGRATIONS.slice(0, 4).join('\n'));
    old.pragma('user_version = 4');
    old.prepare("INSERT INTO clients (id, name, created_at) VALUES ('client_old', 'Old', '2024-01-01T00:00:00.000Z')").run();
    const shots = [
      { fileName: 'client_old/1-abcdefghijklmnopqrstuv.png', url: 'http://x/files/client_old/1-abcdefghijklmnopqrstuv.png', fileSize: 9, mimeType: 'image/png', width: 3, height: 2 },
      { fileName: 'client_other/1-abcdefghijklmnopqrstuv.png', url: 'http://x/y.png', fileSize: 1, mimeType: 'image/png' },
    ];
    old
      .prepare(
        `INSERT INTO feedback (id, client_id, rating, screenshots, created_at, updated_at)
         VALUES ('fb_old', 'client_old', 3, ?, '2024-01-02T00:00:00.000Z', '2024-01-02T00:00:00.000Z')`,
      )
      .run(JSON.stringify(shots));
    old.close();
    const storage = openSqliteStorage(dbFile);
    expect(await storage.recordedFiles(shots.map((s) => s.fileName))).toEqual([shots[0]!.fileName]);
    expect(await storage.getScreenshots('client_old', [shots[0]!.fileName])).toEqual([
      { fileName: shots[0]!.fileName, clientId: 'client_old', fileSize: 9, mimeType: 'image/png', width: 3, height: 2, createdAt: '2024-01-02T00:00:00.000Z' },
    ]);
    await storage.close();
  });

  it('refuses feedback for a client that does not exist', async () => {
    const storage = openSqliteStorage(dbFile);
    await expect(storeFeedback(storage, feedback('client_ghost', 'x'))).rejects.toThrow(/FOREIGN KEY/);
    await storage.close();
  });

  it('openStorage creates the data directory layout on first use', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const storage = await openStorage(dataDir);
    await createClient(storage, { name: 'x' });
    await storage.close();
    const reopened = new Database(join(dataDir, 'loupe.db'), { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM clients').get()).toEqual({ n: 1 });
    reopened.close();
  });
});
