/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit
 * that crosses its threshold, so every thousandth page made one request wait for copying the
 * WAL back and syncing the file. Instead the main connection turns that off
 * (`wal_autocheckpoint = 0`) and a worker thread with a connection of its own checkpoints
 * (sqlite-checkpoint-worker.mjs). Stopped with the storage; if the thread cannot run, the
 * connection goes back to checkpointing by itself, so the WAL never grows unchecked.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { SQLITE_TUNING } from '../constants.ts';

/** What the worker reports, for tests and diagnostics. */
export type CheckpointEvent =
  | { type: 'ready' }
  | { type: 'checkpoint' | 'truncate'; busy: number; log: number; checkpointed: number }
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
  /** Resolves once the thread's connection is closed; safe to call twice. */
  close(): Promise<void>;
}

/** Turns off `db`'s own checkpoints and starts the thread that does them for it. */
export function startCheckpointer(db: Database.Database, options: CheckpointerOptions = {}): Checkpointer {
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  db.pragma('wal_autocheckpoint = 0');
  // A WAL that started over is cut back to this size, so a burst's WAL does not stay on disk.
  db.pragma(`journal_size_limit = ${SQLITE_TUNING.walSizeLimitBytes}`);
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.mjs', import.meta.url), {
    // Plain JavaScript needs none of the process's loaders (tsx's, or --input-type), and some refuse a worker.
    execArgv: [],
    workerData: {
      databaseFile: db.name,
      intervalMs: options.intervalMs ?? SQLITE_TUNING.checkpointIntervalMs,
      truncateBytes: options.truncateBytes ?? SQLITE_TUNING.walTruncateBytes,
      catchUpRounds: SQLITE_TUNING.checkpointCatchUpRounds,
      busyTimeoutMs: SQLITE_TUNING.checkpointBusyTimeoutMs,
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
