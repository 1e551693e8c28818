/**
 * Group commit for SQLite: the writes that arrive in the same event-loop turn share one
 * `BEGIN IMMEDIATE … COMMIT`, so a burst of concurrent requests costs one commit (one WAL
 * append of each page they touched) instead of one each. Each write runs in its own
 * SAVEPOINT, so one that fails (a constraint, a thrown check) rolls back only itself and
 * fails only its own caller; every caller's promise settles only after the COMMIT returned,
 * so nothing is answered before it is in the WAL. A write sees the writes before it in the
 * same batch (one connection, one transaction): a remembered answer committed earlier in the
 * batch still wins over a later write with the same key.
 */
import type Database from 'better-sqlite3';
import { SQLITE_TUNING } from '../constants.ts';
import { prepared } from './sqlite-statements.ts';

type Db = Database.Database;

/** Writes on one connection that share commits. */
export interface GroupCommit {
  /**
   * Queues `write` (synchronous, on this connection) for the next shared transaction;
   * resolves with what it returned once that transaction committed, or rejects with what
   * it threw (its own work rolled back) or with why the transaction as a whole failed.
   */
  run<T>(write: () => T): Promise<T>;
  /** Commits what is queued now; later writes are refused. Safe to call twice. */
  close(): void;
}

interface Queued {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** How a group commit runs. */
export interface GroupCommitOptions {
  /** Writes one transaction takes at most (default SQLITE_TUNING.groupCommitMaxWrites). */
  maxWrites?: number;
  /** Runs on the connection right before each transaction begins (the checkpointer's `beforeWrite`). */
  beforeTransaction?: () => void;
}

/** Group commit on `db`. */
export function createGroupCommit(db: Db, options: GroupCommitOptions = {}): GroupCommit {
  const maxWrites = options.maxWrites ?? SQLITE_TUNING.groupCommitMaxWrites;
  let queue: Queued[] = [];
  let scheduled = false;
  let closed = false;
  const statement = (sql: string) => () => prepared(db, sql).run();
  const begin = statement('BEGIN IMMEDIATE');
  const commit = statement('COMMIT');
  const rollback = statement('ROLLBACK');
  const savepoint = statement('SAVEPOINT one_write');
  const release = statement('RELEASE one_write');
  const rollbackToSavepoint = statement('ROLLBACK TO one_write');

  const schedule = () => {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    // After the I/O callbacks of this turn: every request whose body arrived now is in the batch.
    setImmediate(flush);
  };

  /** Runs one batch in one transaction; what did not fit waits for the next turn. */
  function flush(): void {
    scheduled = false;
    const batch = queue.slice(0, maxWrites);
    queue = queue.slice(batch.length);
    if (batch.length > 0) {
      try {
        commitBatch(batch);
      } catch (error) {
        // A savepoint, release or rollback that threw (an I/O error): nothing of the batch is
        // known to be stored, so every write fails (safe to retry) instead of the process.
        try {
          if (db.inTransaction) rollback();
        } catch {
          // The connection is past saving; the next batch's BEGIN says so to its writers.
        }
        for (const item of batch) item.reject(error);
      }
    }
    schedule();
  }

  function commitBatch(batch: Queued[]): void {
    try {
      options.beforeTransaction?.();
      begin();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const outcomes: Outcome[] = [];
    for (const [i, item] of batch.entries()) {
      savepoint();
      try {
        outcomes.push({ ok: true, value: item.write() });
        release();
      } catch (error) {
        if (!db.inTransaction) {
          // SQLite rolled the whole transaction back (e.g. disk full): the writes before this
          // one are gone too. They fail with it; the ones after it get a transaction of their own.
          for (const done of batch.slice(0, i)) done.reject(error);
          item.reject(error);
          queue = [...batch.slice(i + 1), ...queue];
          return;
        }
        rollbackToSavepoint();
        release();
        outcomes.push({ ok: false, error });
      }
    }
    try {
      commit();
    } catch (error) {
      if (db.inTransaction) rollback();
      for (const item of batch) item.reject(error);
      return;
    }
    for (const [i, item] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
  }

  return {
    run<T>(write: () => T): Promise<T> {
      if (closed) return Promise.reject(new Error('The SQLite storage is closed: the write was not made'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      while (queue.length > 0) commitBatch(queue.splice(0, maxWrites));
    },
  };
}
