import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { startCheckpointer, type CheckpointEvent, type Checkpointer } from '../../server/storage/sqlite-checkpointer.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { storeFeedback } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';

let dir: string;
let file: string;
let db: Database.Database;
let checkpointer: Checkpointer | undefined;
let events: CheckpointEvent[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-checkpoint-'));
  file = join(dir, 'c.db');
  db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, blob BLOB NOT NULL)');
  events = [];
});
afterEach(async () => {
  await checkpointer?.close();
  checkpointer = undefined;
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

const walBytes = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
/** ~1 MB of rows in one transaction: 256 pages in the WAL. */
const writeMegabyte = () =>
  db.transaction(() => {
    for (let i = 0; i < 256; i++) db.prepare('INSERT INTO t (blob) VALUES (randomblob(4000))').run();
  })();
/** Resolves with the first event that `match` accepts, or fails after a while. */
function eventWhere(match: (event: CheckpointEvent) => boolean, timeoutMs = 5000): Promise<CheckpointEvent> {
  const startMs = Date.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const found = events.find(match);
      if (found) resolve(found);
      else if (Date.now() - startMs > timeoutMs) reject(new Error(`no such checkpoint event in ${timeoutMs} ms: ${JSON.stringify(events.slice(-5))}`));
      else return;
      clearInterval(poll);
    }, 10);
  });
}

describe('SQLite checkpoints in a thread of their own', () => {
  it('turns off the connection\'s own checkpoints and copies the WAL back from its thread', async () => {
    checkpointer = startCheckpointer(db, { intervalMs: 20, onEvent: (e) => events.push(e) });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writeMegabyte();
    const fileBytesBefore = statSync(file).size;
    const copied = await eventWhere((e) => e.type === 'checkpoint' && e.log >= 256 && e.checkpointed === e.log);
    expect(copied.type).toBe('checkpoint');
    // The pages are in the database file now, and the next write starts the WAL over.
    expect(statSync(file).size).toBeGreaterThan(fileBytesBefore + 900_000);
    db.prepare('INSERT INTO t (blob) VALUES (x\'00\')').run();
    const [after] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    expect(after!.log).toBeLessThan(10);
  });

  it('has the writer copy what the thread could not catch, so that its next transaction starts the WAL over', async () => {
    checkpointer = startCheckpointer(db, { intervalMs: 300, onEvent: (e) => events.push(e) });
    writeMegabyte();
    // Nothing was written after the thread's copy, so the WAL could not start over: the thread asks the writer.
    await eventWhere((e) => e.type === 'checkpoint' && e.log >= 256 && !e.restarted);
    writeMegabyte(); // appended after the thread's cycle, before its next one
    const fileBytes = statSync(file).size;
    checkpointer.beforeWrite();
    expect(statSync(file).size).toBeGreaterThan(fileBytes + 900_000);
    db.prepare("INSERT INTO t (blob) VALUES (x'00')").run();
    expect((db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log).toBeLessThan(10);
    // Asked once, done once: a second call copies nothing.
    writeMegabyte();
    checkpointer.beforeWrite();
    expect((db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[])[0]).toMatchObject({ checkpointed: 0 });
  });

  it('truncates a WAL that grew past its bound', async () => {
    checkpointer = startCheckpointer(db, { intervalMs: 20, truncateBytes: 512 * 1024, onEvent: (e) => events.push(e) });
    writeMegabyte();
    expect(walBytes()).toBeGreaterThan(1_000_000);
    await eventWhere((e) => e.type === 'truncate');
    expect(walBytes()).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 256 });
  });

  it('is stopped with the storage: its connection closes first, so the last one removes the WAL', async () => {
    const storage = openSqliteStorage(join(dir, 'loupe.db'));
    const client = await createClient(storage, { name: 'Close' });
    await storeFeedback(storage, feedbackInput(client.id, { comment: 'kept' }));
    expect(existsSync(join(dir, 'loupe.db-wal'))).toBe(true);
    await storage.close();
    await storage.close();
    expect(existsSync(join(dir, 'loupe.db-wal'))).toBe(false);
    const reopened = openSqliteStorage(join(dir, 'loupe.db'));
    try {
      expect((await reopened.listFeedback(client.id)).map((f) => f.comment)).toEqual(['kept']);
    } finally {
      await reopened.close();
    }
  });

  it('gives the connection its own checkpoints back when the thread cannot run', async () => {
    const logged: string[] = [];
    // The thread opens the file by name, which is gone: it fails at once.
    await rm(file);
    checkpointer = startCheckpointer(db, { intervalMs: 20, logError: (message) => logged.push(message) });
    await checkpointer.close();
    expect(logged).toEqual([expect.stringMatching(/checkpoint thread failed/)]);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('keeps the process alive while the storage closes (a CLI command prints after that)', async () => {
    // What a CLI command does: open, write, close, then print. The thread must not let it end early.
    const script = join(dir, 'close-then-print.mts');
    const storageModule = join(import.meta.dirname, '..', '..', 'server', 'storage', 'sqlite.ts');
    await writeFile(
      script,
      `import { openSqliteStorage } from ${JSON.stringify(storageModule)};
       const storage = openSqliteStorage(${JSON.stringify(join(dir, 'cli.db'))});
       await storage.close();
       console.log('printed after close');`,
    );
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', script], (error, out) => (error ? reject(error) : resolve(out))),
    );
    expect(stdout).toBe('printed after close\n');
  });

  it('closes twice, and after its thread is gone, without complaint', async () => {
    checkpointer = startCheckpointer(db, { intervalMs: 20 });
    await Promise.all([checkpointer.close(), checkpointer.close()]);
    await checkpointer.close();
  });
});
