import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countSql, scanSql, type Sql } from '../../server/storage/sqlite-feedback-query.ts';
import { SQLITE_MIGRATIONS } from '../../server/storage/sqlite-schema.ts';
import { migrateSqlite, openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { FeedbackFilter } from '../../server/storage/types.ts';
import { setFeedbackState } from '../../server/feedback-state.ts';

let dir: string;
let dbFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-query-'));
  dbFile = join(dir, 'loupe.db');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const newRated: FeedbackFilter[] = [
  { field: 'state', operator: 'eq', value: 'new' },
  { field: 'rating', operator: 'gte', value: 3 },
];
const cursor = { key: '2024-06-07T10:00:00.000Z', id: 'fb_x' };

describe('read API SQL', () => {
  it('reads every list, page and count from an index, never scanning the table or sorting', () => {
    const db = new Database(dbFile);
    migrateSqlite(db);
    const plan = (sql: Sql) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[]).map((row) => row.detail).join(' | ');
    const scan = { clientId: 'client_a', orderBy: 'updated_at' as const, ascending: false, limit: 101, columns: '*' as const };
    const plans = {
      firstPage: plan(scanSql({ ...scan, filters: [] })),
      deepPage: plan(scanSql({ ...scan, filters: [], from: cursor })),
      backwards: plan(scanSql({ ...scan, filters: [], from: cursor, ascending: true })),
      byCreated: plan(scanSql({ ...scan, filters: [], orderBy: 'created_at', from: cursor })),
      filtered: plan(scanSql({ ...scan, filters: newRated, from: cursor })),
      createdRangeByUpdated: plan(scanSql({ ...scan, filters: [{ field: 'created_at', operator: 'gte', value: cursor.key }] })),
      count: plan(countSql('client_a', newRated)),
      countByTime: plan(countSql('client_a', [{ field: 'created_at', operator: 'gte', value: cursor.key }])),
    };
    for (const [name, detail] of Object.entries(plans)) {
      expect(detail, name).toMatch(/USING (COVERING )?INDEX/);
      expect(detail, name).not.toMatch(/SCAN|TEMP B-TREE/);
    }
    expect(plans.deepPage).toContain('feedback_client_updated (client_id=? AND (updated_at,id)<(?,?))');
    expect(plans.filtered).toContain('feedback_client_state_updated (client_id=? AND state=? AND (updated_at,id)<(?,?))');
    expect(plans.count).toContain('feedback_counts');
    db.close();
  });

  it('asks a label filter of feedback_labels by its primary key, one lookup per item, in the list order', () => {
    const db = new Database(dbFile);
    migrateSqlite(db);
    const filters: FeedbackFilter[] = [{ field: 'label', operator: 'in', value: ['lbl_a', 'lbl_b'] }];
    const sql = scanSql({ clientId: 'client_a', filters, orderBy: 'updated_at', ascending: false, limit: 11, columns: '*' });
    expect(sql.text).toContain('EXISTS (SELECT 1 FROM feedback_labels WHERE feedback_id = feedback.id AND label_id IN (?, ?))');
    const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[]).map((row) => row.detail).join(' | ');
    expect(detail).toContain('feedback_client_updated');
    expect(detail).toMatch(/SEARCH feedback_labels (EXISTS )?USING (COVERING INDEX|PRIMARY KEY)/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
    expect(countSql('client_a', filters).text).toContain('FROM feedback WHERE');
    db.close();
  });

  it('binds every value as a parameter, never as SQL text', () => {
    const evil = "x' OR 1=1; DROP TABLE feedback; --";
    const filters: FeedbackFilter[] = [
      { field: 'comment', operator: 'contains', value: evil },
      { field: 'pageUrl', operator: 'starts_with', value: evil },
      { field: 'environment', operator: 'in', value: [evil, null] },
      { field: 'assignee', operator: 'neq', value: evil },
      { field: 'label', operator: 'eq', value: evil },
    ];
    for (const sql of [countSql('client_a', filters), scanSql({ clientId: 'client_a', filters, orderBy: 'updated_at', ascending: true, limit: 1, columns: '*' })]) {
      expect(sql.text).not.toContain('DROP');
      expect(sql.params).toContain(evil);
    }
  });

  it('counts the feedback stored before the upgrade that added the kept counts', async () => {
    const db = new Database(dbFile);
    db.exec(SQLITE_MIGRATIONS.slice(0, 3).join('\n'));
    db.pragma('user_version = 3');
    db.prepare("INSERT INTO clients (id, name, created_at) VALUES ('client_a', 'A', '2024-01-01T00:00:00.000Z')").run();
    const insert = db.prepare(
      `INSERT INTO feedback (id, client_id, rating, environment, state, created_at, updated_at)
       VALUES (?, 'client_a', ?, ?, ?, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
    );
    const states = ['new', 'in_progress', 'done'];
    for (let i = 0; i < 30; i++) insert.run(`fb_${i}`, i % 5 === 0 ? null : (i % 4) + 1, i % 2 ? 'staging' : null, states[i % 3]);
    db.close();

    const storage = openSqliteStorage(dbFile);
    try {
      expect(await storage.countFeedback('client_a', [])).toBe(30);
      expect(await storage.countFeedback('client_a', [{ field: 'state', operator: 'eq', value: 'done' }])).toBe(10);
      expect(await storage.countFeedback('client_a', [{ field: 'environment', operator: 'eq', value: null }])).toBe(15);
      const rated = (i: number) => i % 5 !== 0 && (i % 4) + 1 >= 3;
      expect(await storage.countFeedback('client_a', [{ field: 'rating', operator: 'gte', value: 3 }])).toBe(
        Array.from({ length: 30 }, (_, i) => i).filter(rated).length,
      );
      // And they follow state changes from then on.
      await setFeedbackState(storage, 'client_a', 'fb_0', 'done', Date.now());
      expect(await storage.countFeedback('client_a', [{ field: 'state', operator: 'eq', value: 'done' }])).toBe(11);
      expect(await storage.countFeedback('client_a', [{ field: 'state', operator: 'eq', value: 'new' }])).toBe(9);
    } finally {
      await storage.close();
    }
  });
});
