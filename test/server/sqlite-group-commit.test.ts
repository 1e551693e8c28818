import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { createGroupCommit } from '../../server/storage/sqlite-group-commit.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { RememberedAnswer } from '../../server/storage/types.ts';
import { feedbackInput } from './read-api-helpers.ts';

let dir: string;
let file: string;
let db: Database.Database;
let reader: Database.Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-group-'));
  file = join(dir, 'group.db');
  db = new Database(file);
  db.pragma('journal_mode = WAL');
  // The test reads the WAL's frame count itself: no checkpoint may empty it meanwhile.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL); CREATE INDEX t_note ON t (note)');
  reader = new Database(file, { readonly: true });
});
afterEach(async () => {
  reader.close();
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

const insert = (id: number, note = `note ${id}`) => () => db.prepare('INSERT INTO t (id, note) VALUES (?, ?)').run(id, note).changes;
const visible = () => (reader.prepare('SELECT id FROM t ORDER BY id').all() as { id: number }[]).map((r) => r.id);
/** Frames now in the WAL; the checkpoint then lets the next transaction start it over. */
const walFrames = () => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;

describe('SQLite group commit', () => {
  it('commits the writes of one event-loop turn together: one WAL append, not one per write', async () => {
    const commits = createGroupCommit(db);
    walFrames(); // the schema's own frames
    const together = await Promise.all(Array.from({ length: 40 }, (_, i) => commits.run(insert(i))));
    expect(together).toEqual(Array(40).fill(1));
    const framesTogether = walFrames();
    for (let i = 40; i < 80; i++) await commits.run(insert(i));
    const framesApart = walFrames();
    expect(visible()).toEqual(Array.from({ length: 80 }, (_, i) => i));
    // Each commit appends every page it touched (the table's and the index's): 40 commits, 40 times over.
    expect(framesTogether).toBeLessThanOrEqual(4);
    expect(framesApart).toBeGreaterThanOrEqual(40);
  });

  it('answers only after the commit: the write has run, uncommitted, before its promise settles', async () => {
    const commits = createGroupCommit(db);
    const seenWhileWriting: number[][] = [];
    const done = commits.run(() => {
      insert(1)();
      seenWhileWriting.push(visible());
      return 'stored';
    });
    // Nothing runs in the caller's turn.
    expect(visible()).toEqual([]);
    await expect(done).resolves.toBe('stored');
    expect(seenWhileWriting).toEqual([[]]);
    expect(visible()).toEqual([1]);
  });

  it('rolls back only the write that failed; the others in its batch commit', async () => {
    const commits = createGroupCommit(db);
    const results = await Promise.allSettled([
      commits.run(insert(1)),
      commits.run(() => {
        insert(2)();
        insert(1)(); // the primary key again: this write fails, its first row goes with it
      }),
      commits.run(() => {
        insert(3)();
        throw new Error('refused by a check');
      }),
      commits.run(insert(4)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/refused by a check/);
    expect(visible()).toEqual([1, 4]);
  });

  it('fails the writes a lost transaction took with it, and commits the rest on their own', async () => {
    const commits = createGroupCommit(db);
    const results = await Promise.allSettled([
      commits.run(insert(1)),
      commits.run(() => {
        // What SQLite does on e.g. a full disk: the whole transaction is rolled back under us.
        db.exec('ROLLBACK');
        throw new Error('disk full');
      }),
      commits.run(insert(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/disk full/);
    expect(visible()).toEqual([3]);
  });

  it('on close, commits what is queued and refuses later writes', async () => {
    const commits = createGroupCommit(db);
    const queued = commits.run(insert(1));
    commits.close();
    expect(visible()).toEqual([1]);
    await expect(queued).resolves.toBe(1);
    await expect(commits.run(insert(2))).rejects.toThrow(/closed/);
    commits.close();
  });

  it('bounds one transaction: more writes than that commit in the next turns, all of them', async () => {
    const commits = createGroupCommit(db, { maxWrites: 5 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => commits.run(insert(i))));
    expect(visible()).toHaveLength(12);
  });
});

describe('SQLite storage writes in one shared commit', () => {
  it('keeps the first answer for a key when two writes with it share a batch', async () => {
    const storage = openSqliteStorage(join(dir, 'loupe.db'));
    try {
      const client = await createClient(storage, { name: 'Batch' });
      const at = new Date().toISOString();
      const scope = { route: 'POST /api/feedback', clientId: client.id, key: 'same-key' };
      const write = (id: string, extra = {}) => {
        const remember: RememberedAnswer = {
          scope,
          answer: { status: 200, bodyJson: JSON.stringify({ feedbackId: id }) },
          createdAtIso: at,
          expiresAtIso: new Date(Date.now() + 60_000).toISOString(),
        };
        return storage.insertFeedback({ ...feedbackInput(client.id, extra), id, state: 'new', assigneeId: null, priority: 'neutral', createdAt: at, updatedAt: at }, remember);
      };
      // Same turn: one transaction. The ghost client fails on its own, in between.
      const [first, ghost, second, unkeyed] = await Promise.allSettled([
        write('fb_first'),
        storage.insertFeedback({ ...feedbackInput('client_ghost'), id: 'fb_ghost', state: 'new', assigneeId: null, priority: 'neutral', createdAt: at, updatedAt: at }),
        write('fb_second'),
        storage.insertFeedback({ ...feedbackInput(client.id), id: 'fb_unkeyed', state: 'new', assigneeId: null, priority: 'neutral', createdAt: at, updatedAt: at }),
      ]);
      expect(first).toEqual({ status: 'fulfilled', value: undefined });
      expect(ghost.status).toBe('rejected');
      expect(second).toEqual({ status: 'fulfilled', value: { status: 200, bodyJson: JSON.stringify({ feedbackId: 'fb_first' }) } });
      expect(unkeyed).toEqual({ status: 'fulfilled', value: undefined });
      expect((await storage.listFeedback(client.id)).map((f) => f.id).sort()).toEqual(['fb_first', 'fb_unkeyed']);
    } finally {
      await storage.close();
    }
  });
});
