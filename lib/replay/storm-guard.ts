/**
 * While recording is paused by a mutation storm (lib/replay/mutation-gate.ts), watches the
 * page for calm: CALM_MS without another stormy batch, after which recording resumes with
 * a full snapshot.
 */
import { mutatedNodes, STORM_NODES } from './mutation-gate';

/** Recording resumes after this long without a storm. */
export const CALM_MS = 1_000;

/** Observes `root` from a storm on; calls `onCalm` once CALM_MS pass without another stormy batch. Returns a disposer. */
export function waitForCalm(root: Node, onCalm: () => void): () => void {
  let calmTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    observer.disconnect();
    clearTimeout(calmTimer);
  };
  const restart = () => {
    clearTimeout(calmTimer);
    calmTimer = setTimeout(() => {
      stop();
      onCalm();
    }, CALM_MS);
  };
  const observer = new MutationObserver((records) => {
    if (mutatedNodes(records) > STORM_NODES) restart();
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  restart();
  return stop;
}
