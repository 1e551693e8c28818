import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_TUNING } from '../../server/constants.ts';
import { prepared } from '../../server/storage/sqlite-statements.ts';

const open: Database.Database[] = [];
const connect = () => {
  const db = new Database(':memory:');
  open.push(db);
  return db;
};
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('prepared statements per connection', () => {
  it('compiles a statement once per connection and hands the same one back', () => {
    const a = connect();
    const b = connect();
    const first = prepared(a, 'SELECT ? AS n');
    expect(prepared(a, 'SELECT ? AS n')).toBe(first);
    expect(prepared(b, 'SELECT ? AS n')).not.toBe(first);
    expect(first.get(7)).toEqual({ n: 7 });
  });

  it('keeps at most the configured number, dropping the least recently used', () => {
    const db = connect();
    const kept = prepared(db, 'SELECT 0');
    const firstOther = prepared(db, 'SELECT 1');
    for (let i = 2; i < SQLITE_TUNING.statementCacheMax; i++) prepared(db, `SELECT ${i}`);
    // The cache is full; using `SELECT 0` again makes `SELECT 1` the oldest, so one more shape evicts it.
    expect(prepared(db, 'SELECT 0')).toBe(kept);
    prepared(db, 'SELECT -1');
    expect(prepared(db, 'SELECT 0')).toBe(kept);
    expect(prepared(db, 'SELECT 1')).not.toBe(firstOther);
  });
});
