/**
 * The WAL checkpointer's thread (server/storage/sqlite-checkpointer.ts starts it): its own
 * connection copies committed pages from the WAL back into the database file, so that no
 * request's commit ever does that work (and its syncs). Plain JavaScript, because a worker
 * thread is loaded by Node itself, under tsx, vitest or neither.
 *
 * PASSIVE checkpoints never block the writer. But only a WAL copied to its very end starts
 * over (the next write goes to its beginning), and while writes keep coming the end moves
 * during the copy: so a checkpoint is followed at once by another until one finds the end
 * where the last one left it (each only copies what was appended meanwhile). Past
 * `truncateBytes` the WAL is truncated, which makes the writer wait: a bound on disk use
 * for writes that never pause.
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { databaseFile, intervalMs, truncateBytes, catchUpRounds, busyTimeoutMs } = workerData;
const walFile = `${databaseFile}-wal`;
const db = new Database(databaseFile, { fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);

function walBytes() {
  try {
    return statSync(walFile).size;
  } catch {
    return 0;
  }
}

function checkpoint() {
  // `log` is where the WAL ended when the checkpoint began: a round that finds it unmoved has
  // copied everything, and the next write starts the WAL over.
  let previousEnd = -1;
  for (let round = 0; round < catchUpRounds; round++) {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', ...result });
    if (result.log === previousEnd || result.log === 0) break;
    previousEnd = result.log;
  }
  if (walBytes() >= truncateBytes) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)');
    parentPort.postMessage({ type: 'truncate', ...result });
  }
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    // SQLITE_BUSY on a truncate under a long write, say: the next round tries again.
    parentPort.postMessage({ type: 'error', message: String(error) });
  }
}, intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: 'ready' });
