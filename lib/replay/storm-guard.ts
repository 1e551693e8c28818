/**
 * Watches the page's DOM mutations so that a storm (over 10,000 mutated nodes in one
 * batch) pauses recording instead of freezing the page while rrweb serializes it all,
 * and resumes it (with a full snapshot) once the page is calm again.
 */

/** A batch with more mutated nodes than this pauses recording. */
export const STORM_NODES = 10_000;
/** Recording resumes after this long without a storm. */
export const CALM_MS = 1_000;

/** Counts the nodes a batch of mutation records touches. */
export function mutatedNodes(records: readonly MutationRecord[]): number {
  let count = 0;
  for (const record of records) count += record.type === 'childList' ? record.addedNodes.length + record.removedNodes.length : 1;
  return count;
}

/**
 * Observes `root`; calls `onStorm` at the first stormy batch and `onCalm` after CALM_MS
 * without one. Must be started before rrweb so that its observer sees each batch first.
 * Returns a disposer.
 */
export function watchMutationStorms(root: Node, onStorm: () => void, onCalm: () => void): () => void {
  let stormy = false;
  let calmTimer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver((records) => {
    if (mutatedNodes(records) <= STORM_NODES) return;
    if (!stormy) {
      stormy = true;
      onStorm();
    }
    clearTimeout(calmTimer);
    calmTimer = setTimeout(() => {
      stormy = false;
      onCalm();
    }, CALM_MS);
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  return () => {
    observer.disconnect();
    clearTimeout(calmTimer);
  };
}
