/**
 * The WAL checkpointer's thread (server/storage/sqlite-checkpointer.ts starts it): its own
 * connection copies committed pages from the WAL back into the database file, so that no
 * request's commit ever does that work (and its syncs). Plain JavaScript, because a worker
 * thread is loaded by Node itself, under tsx, vitest or neither.
 *
 * PASSIVE checkpoints never block the writer. But the WAL only starts over (the next write
 * goes to its beginning, and the file stays small) when a write transaction begins while the
 * WAL is copied to its very end, and under load the writer is often already inside its next
 * transaction when a copy ends. So each cycle copies, then keeps checking every few ms (each
 * check copies only what was appended meanwhile, which is little) until it sees the WAL
 * start over, or nothing happens for a while, or the cycle has run long enough; then, if the
 * WAL did not start over, it sets `tailWanted` and the writer copies the rest itself before
 * its next transaction. Past `truncateBytes` the WAL is truncated, which makes the writer
 * wait: a bound on disk use should that fail.
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { databaseFile, intervalMs, truncateBytes, catchUp, busyTimeoutMs, reportEvents, tailWanted } = workerData;
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

const report = (event) => reportEvents && parentPort.postMessage(event);

let timer;
let closed = false;
// The cycle under way: its rounds so far, how many in a row saw nothing appended, and
// where the WAL ended at its last round; and where the last cycle left it.
let round = 0;
let quietRounds = 0;
let previousEnd = -1;
let lastCycleEnd = -1;

function schedule(delayMs) {
  if (!closed) timer = setTimeout(step, delayMs);
}

function nextCycle() {
  round = 0;
  quietRounds = 0;
  previousEnd = -1;
  schedule(intervalMs);
}

function endCycle(result, restarted) {
  report({ type: 'checkpoint', ...result, restarted });
  // The writer kept ahead: its connection copies the rest before its next transaction.
  if (!restarted && result.log > 0) Atomics.store(tailWanted, 0, 1);
  if (!restarted && walBytes() >= truncateBytes) report({ type: 'truncate', ...db.pragma('wal_checkpoint(TRUNCATE)')[0] });
  lastCycleEnd = result.log;
  nextCycle();
}

/** One round of a cycle. `log` is where the WAL ended when the round began. */
function step() {
  let result;
  try {
    [result] = db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // An I/O error, say: reported, and the next cycle tries again.
    report({ type: 'error', message: String(error) });
    nextCycle();
    return;
  }
  const restarted = result.log === 0 || result.log < previousEnd;
  // Nothing written since the last cycle (an idle server): no reason to keep checking.
  const idle = round === 0 && result.log === lastCycleEnd;
  quietRounds = result.log === previousEnd ? quietRounds + 1 : 0;
  previousEnd = result.log;
  round += 1;
  if (restarted || idle || quietRounds >= catchUp.quietRounds || round >= catchUp.rounds) endCycle(result, restarted);
  else schedule(catchUp.delayMs);
}

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  closed = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
report({ type: 'ready' });
schedule(intervalMs);
