import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../server/storage/sqlite-schema.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { openStorage } from '../../server/start.ts';
import { storeReplay } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let dir: string;
let dbFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-sqlite-'));
  dbFile = join(dir, 'loupe.db');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// SQLite only (excluded from server-pg): its file, pragmas and upgrades of its old schemas.
describe('SQLite storage', () => {
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
