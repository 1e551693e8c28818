/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit
 * that crosses its threshold, so every thousandth page made one request wait for copying the
 * WAL back and syncing the file. Instead the main connection turns that off
 * (`wal_autocheckpoint = 0`) and a worker thread with a connection of its own checkpoints
 * (sqlite-checkpoint-worker.mjs). When the writer kept it from catching up, the thread asks
 * the main connection to copy the last few frames before its next write (`beforeWrite`), so
 * that the WAL starts over and stays small. Stopped with the storage; if the thread cannot
 * run, the connection goes back to checkpointing by itself, so the WAL never grows unchecked.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { SQLITE_TUNING } from '../constants.ts';

/** What the worker reports, for tests and diagnostics. */
export type CheckpointEvent =
  | { type: 'ready' }
  | { type: 'checkpoint'; busy: number; log: number; checkpointed: number; restarted: boolean }
  | { type: 'truncate'; busy: number; log: number; checkpointed: number }
  | { type: 'error'; message: string };

/** How a checkpointer runs; every field defaults to SQLITE_TUNING. */
export interface CheckpointerOptions {
  intervalMs?: number;
  /** Past this size the WAL is truncated (the writer waits for that). */
  truncateBytes?: number;
  onEvent?: (event: CheckpointEvent) => void;
  /** Where a failure of the thread is reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

/** A running checkpointer. */
export interface Checkpointer {
  /**
   * Called on the main connection right before a write transaction begins: when the thread
   * asked for it, copies the last few frames it could not catch, so that this transaction
   * starts the WAL over.
   */
  beforeWrite(): void;
  /** Resolves once the thread's connection is closed; safe to call twice. */
  close(): Promise<void>;
}

/** Turns off `db`'s own checkpoints and starts the thread that does them for it. */
export function startCheckpointer(db: Database.Database, options: CheckpointerOptions = {}): Checkpointer {
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  db.pragma('wal_autocheckpoint = 0');
  // A WAL that started over is cut back to this size, so a burst's WAL does not stay on disk.
  db.pragma(`journal_size_limit = ${SQLITE_TUNING.walSizeLimitBytes}`);
  // Set by the thread when a cycle ended with the WAL not started over; cleared here.
  const tailWanted = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.mjs', import.meta.url), {
    // Plain JavaScript needs none of the process's loaders (tsx's, or --input-type), and some refuse a worker.
    execArgv: [],
    workerData: {
      databaseFile: db.name,
      intervalMs: options.intervalMs ?? SQLITE_TUNING.checkpointIntervalMs,
      truncateBytes: options.truncateBytes ?? SQLITE_TUNING.walTruncateBytes,
      catchUp: SQLITE_TUNING.checkpointCatchUp,
      busyTimeoutMs: SQLITE_TUNING.checkpointBusyTimeoutMs,
      // Events cost the main thread a message each: only sent when someone listens.
      reportEvents: options.onEvent !== undefined,
      tailWanted,
    },
  });
  // Never what keeps a process alive: a tool that forgets to close its storage still exits.
  worker.unref();
  let closing: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (event: CheckpointEvent) => options.onEvent?.(event));
  worker.on('error', (error) => {
    logError('The SQLite checkpoint thread failed; the database checkpoints in its own commits again:', error);
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_TUNING.fallbackAutocheckpointPages}`);
  });
  return {
    beforeWrite() {
      if (Atomics.load(tailWanted, 0) === 0) return;
      Atomics.store(tailWanted, 0, 0);
      // Nothing is appended while this runs (this connection is the writer), so it copies the
      // WAL to its end: only what came since the thread's last round, a millisecond or two.
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        // The write goes ahead all the same; the WAL starts over another time.
        logError('A checkpoint before a write failed:', error);
      }
    },
    close() {
      closing ??= (async () => {
        // Held again while it closes: an unreferenced thread's exit would not keep the process
        // alive until close() resolves, and a CLI command would end before printing its result.
        worker.ref();
        worker.postMessage('close');
        await exited;
      })();
      return closing;
    },
  };
}
