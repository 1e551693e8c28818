/** Wakes outbox delivery on time: a timer while the worker lives, an alarm that restarts it. */
import { browser } from 'wxt/browser';

/** The alarm that wakes delivery (see entrypoints/background). */
export const OUTBOX_ALARM = 'loupe-outbox';

/** Schedules `onWake` at a time; each call replaces the previous schedule. Returns it and its disposer. */
export function createWakeScheduler(onWake: () => void): { schedule(atMs: number | undefined): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    schedule(atMs) {
      clear();
      if (atMs === undefined) {
        void browser.alarms.clear(OUTBOX_ALARM);
        return;
      }
      // The alarm survives the worker's death (Chrome rounds it up to 30 s for packed
      // extensions); the timer keeps short waits short while the worker is alive.
      void browser.alarms.create(OUTBOX_ALARM, { when: Math.max(atMs, Date.now() + 1_000) });
      timer = setTimeout(onWake, Math.max(0, atMs - Date.now()));
    },
    dispose() {
      clear();
      void browser.alarms.clear(OUTBOX_ALARM);
    },
  };
}
