/**
 * Prepared statements, compiled once per connection and reused: compiling the SQL again for
 * every call (`db.prepare`) was an eighth of an ingest request's time. The cache is bounded,
 * least recently used first out, because the read API builds its filter SQL from what it is
 * asked (a handful of shapes in practice, but not a fixed set).
 */
import type Database from 'better-sqlite3';
import { SQLITE_TUNING } from '../constants.ts';

type Db = Database.Database;

const caches = new WeakMap<Db, Map<string, Database.Statement>>();

/** `db.prepare(sql)`, compiled on first use on this connection and kept. */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const statement = cache.get(sql);
  if (statement) {
    // Most recently used last: Map keeps insertion order, so the first entry is the eviction.
    cache.delete(sql);
    cache.set(sql, statement);
    return statement;
  }
  const fresh = db.prepare(sql);
  if (cache.size >= SQLITE_TUNING.statementCacheMax) cache.delete(cache.keys().next().value!);
  cache.set(sql, fresh);
  return fresh;
}
