/**
 * Stands between rrweb's MutationObserver and its processing of the records (hooked in by
 * scripts/rrweb-patches.ts). rrweb works per record; on a page that changes the same nodes
 * every frame most of that work is for values already replaced. The gate passes a batch on
 * at once after a quiet spell (a click's effect keeps its time), then at most one merged
 * batch per interval, an interval that grows with how much the page changes. A batch that
 * touches too many nodes is never processed: it is a storm.
 */

/** A page that keeps changing reaches rrweb at most this often: 10 frames per second in the replay. */
export const MIN_INTERVAL_MS = 100;
/** However much it changes, at least this often. */
export const MAX_INTERVAL_MS = 1_000;
/**
 * After a merged batch of n records the gate waits n / MERGED_PER_SECOND seconds (within the
 * bounds above): rrweb's work per record is what a churning page costs, so it is what is bounded.
 */
export const MERGED_PER_SECOND = 2_000;

/** A batch with more mutated nodes than this is a storm: recording pauses rather than freeze the page. */
export const STORM_NODES = 10_000;

/** Counts the nodes a batch of mutation records touches. */
export function mutatedNodes(records: readonly MutationRecord[]): number {
  let count = 0;
  for (const record of records) count += record.type === 'childList' ? record.addedNodes.length + record.removedNodes.length : 1;
  return count;
}

/**
 * One record per changed text node and per changed attribute (the first, which holds the
 * value before the batches: rrweb reads the current one), and every childList record, in order.
 */
export function mergeRecords(records: readonly MutationRecord[]): MutationRecord[] {
  const merged: MutationRecord[] = [];
  // A node's changes are either text (attributeName null) or attributes, never both.
  const changed = new Map<Node, (string | null)[]>();
  for (const record of records) {
    if (record.type !== 'childList') {
      const names = changed.get(record.target);
      if (!names) changed.set(record.target, [record.attributeName]);
      else if (names.includes(record.attributeName)) continue;
      else names.push(record.attributeName);
    }
    merged.push(record);
  }
  return merged;
}

type Process = (records: MutationRecord[]) => void;

/** The gate of one recording session. */
export type MutationGate = {
  /** For `setMutationGate`: wraps one observer's processing. */
  wrap(process: Process): Process;
  /** Processes what is held now (before a full snapshot, so no record outlives the snapshot it precedes). */
  flush(): void;
  /**
   * While the gate hands rrweb held records: when the first of them was observed (epoch ms),
   * a time for their event that no change seen before a given moment can come after.
   */
  changedAtMs(): number | undefined;
  /** Drops what is held; wrapped observers process nothing from now on. */
  stop(): void;
};

/** The wait after handing rrweb `records` records, between MIN_INTERVAL_MS and MAX_INTERVAL_MS. */
function intervalAfter(records: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (records * 1000) / MERGED_PER_SECOND));
}

/** Creates a gate that processes at most one batch per interval per observer, and calls `onStorm` instead of processing a storm. */
export function createMutationGate(options: { onStorm(): void }): MutationGate {
  // The batches held per observer (the document's, and one per shadow root or frame rrweb
  // records); an observer is in it only while it has some, so that rrweb's old ones can go.
  const held = new Map<Process, { batches: MutationRecord[][]; firstSeenMs: number }>();
  let processingFirstSeenMs: number | undefined;
  let stopped = false;
  let nextFlushMs = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (held.size === 0) return;
    // Taken first: processing may emit an event that takes a full snapshot, which flushes again.
    const taken = [...held].map(([process, { batches, firstSeenMs }]) => {
      return { process, firstSeenMs, records: batches.length === 1 ? batches[0]! : mergeRecords(batches.flat()) };
    });
    held.clear();
    nextFlushMs = performance.now() + intervalAfter(taken.reduce((count, { records }) => count + records.length, 0));
    for (const { process, firstSeenMs, records } of taken) {
      if (stopped) return;
      processingFirstSeenMs = firstSeenMs;
      try {
        process(records);
      } finally {
        processingFirstSeenMs = undefined;
      }
    }
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    held.clear();
  };

  return {
    wrap(process) {
      return (records) => {
        if (stopped) return;
        if (mutatedNodes(records) > STORM_NODES) {
          stop();
          options.onStorm();
          return;
        }
        const entry = held.get(process);
        if (entry) entry.batches.push(records);
        else held.set(process, { batches: [records], firstSeenMs: Date.now() });
        // Checked on arrival too: timers in a background tab may run a minute late.
        const waitMs = nextFlushMs - performance.now();
        if (waitMs <= 0) flush();
        else timer ??= setTimeout(flush, waitMs);
      };
    },
    flush,
    changedAtMs: () => processingFirstSeenMs,
    stop,
  };
}
