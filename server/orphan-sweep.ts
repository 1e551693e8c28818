/**
 * Removes stored files that no row names (what a crash between writing an upload's file and
 * committing its row leaves behind) and upload temp files no request is writing any more.
 * Owned by the running server: once at start, then on a timer that its disposer stops.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ORPHAN_FILE_GRACE_MS, ORPHAN_SWEEP_INTERVAL_MS, UPLOAD_TEMP_STALE_MS } from './constants.ts';
import type { FileStore, ListedFile } from './storage/files.ts';
import type { Storage } from './storage/types.ts';

/** What a sweep works on. */
export interface SweepOptions {
  files: FileStore;
  storage: Storage;
  nowMs: () => number;
  /** Files younger than this are kept even without a row (default ORPHAN_FILE_GRACE_MS). */
  graceMs?: number;
  /** Upload bodies being received; what is stale there (UPLOAD_TEMP_STALE_MS) goes too. */
  uploadTempDir?: string;
}

// Names are checked against the rows this many at a time, so a big store is never held in memory.
const BATCH = 500;

/** One sweep: removes every file older than the grace that no row names; returns the names removed. */
export async function sweepOrphanFiles(options: SweepOptions): Promise<string[]> {
  const cutoffMs = options.nowMs() - (options.graceMs ?? ORPHAN_FILE_GRACE_MS);
  const removed: string[] = [];
  let batch: ListedFile[] = [];
  const flush = async () => {
    const recorded = new Set(await options.storage.recordedFiles(batch.map((f) => f.fileName)));
    for (const file of batch) {
      if (recorded.has(file.fileName)) continue;
      await options.files.remove(file.fileName);
      removed.push(file.fileName);
    }
    batch = [];
  };
  for await (const file of options.files.list()) {
    if (file.modifiedMs > cutoffMs) continue;
    batch.push(file);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  if (options.uploadTempDir) await sweepStaleTempFiles(options.uploadTempDir, options.nowMs() - UPLOAD_TEMP_STALE_MS);
  return removed;
}

// By age, not all at once: another server process on the same data directory may be mid-upload.
async function sweepStaleTempFiles(dir: string, cutoffMs: number): Promise<void> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const name of names) {
    const path = join(dir, name);
    const modifiedMs = await stat(path).then((stats) => stats.mtimeMs, () => undefined);
    if (modifiedMs !== undefined && modifiedMs <= cutoffMs) await rm(path, { force: true, recursive: true });
  }
}

/**
 * Sweeps once (resolving when done, so a server starts clean), then every `intervalMs`;
 * the disposer it resolves to stops the timer and waits for a sweep under way.
 */
export async function startOrphanSweep(
  options: SweepOptions & { intervalMs?: number; logError: (message: string, error: unknown) => void },
): Promise<() => Promise<void>> {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running.then(() => sweepOrphanFiles(options)).catch((error: unknown) => options.logError('Orphan file sweep failed:', error));
    return running;
  };
  await sweep();
  const timer = setInterval(sweep, options.intervalMs ?? ORPHAN_SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
