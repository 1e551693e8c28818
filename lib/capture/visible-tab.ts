/** `captureVisibleTab`, serialised and spaced so Chrome's 2-calls-per-second quota is never hit. */
import { browser } from 'wxt/browser';

/** Chrome allows 2 captures per second (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND). */
export const CAPTURE_MIN_INTERVAL_MS = 550;
const QUOTA_RETRIES = 3;

/** Captures the visible area of a window's active tab as a PNG data URL. */
export type CaptureVisibleTab = (windowId: number) => Promise<string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Returns a capture function that queues calls: each starts at least `minIntervalMs`
 * after the previous one, and a quota error (another extension, a clock skew) is
 * waited out and retried rather than shown to the user.
 */
export function createCaptureQueue(
  capture: CaptureVisibleTab = (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
  minIntervalMs = CAPTURE_MIN_INTERVAL_MS,
): CaptureVisibleTab {
  let tail: Promise<unknown> = Promise.resolve();
  let lastStartMs = -Infinity;

  const run = async (windowId: number): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      await sleep(Math.max(0, lastStartMs + minIntervalMs - Date.now()));
      lastStartMs = Date.now();
      try {
        return await capture(windowId);
      } catch (error) {
        const quota = /MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND|quota/i.test(String(error));
        if (!quota || attempt >= QUOTA_RETRIES) throw error;
      }
    }
  };

  return (windowId) => {
    const result = tail.then(() => run(windowId));
    tail = result.catch(() => undefined);
    return result;
  };
}
