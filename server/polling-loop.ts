/**
 * The loop behind the server's durable queues (the e-mail sender, the outbox worker): a
 * round runs at once (on the next turn), then every `pollMs`, or again at once when it says there is more or
 * when woken meanwhile. A failed round is reported and the loop goes on.
 */

/** What the loop runs: a round returns whether there may be more to do at once. */
export interface PollingLoopOptions {
  runRound: () => Promise<boolean>;
  pollMs: number;
  onError: (error: unknown) => void;
}

/** A running loop. */
export interface PollingLoop {
  /** Runs a round now instead of at the next poll (after the one under way, if any). */
  wake(): void;
  /** Whether `stop` was called: rounds check it between their pieces of work. */
  isStopped(): boolean;
  /** Schedules no more rounds and waits for the one under way; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the loop; the first round runs on the next turn of the event loop. */
export function startPollingLoop(options: PollingLoopOptions): PollingLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let woken = false;
  let round: Promise<void> = Promise.resolve();
  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  };
  function tick(): void {
    busy = true;
    woken = false;
    round = options
      .runRound()
      .catch((error: unknown) => {
        options.onError(error);
        return false;
      })
      .then((more) => {
        busy = false;
        schedule(more || woken ? 0 : options.pollMs);
      });
  }
  // On the next turn, so that the caller holds the loop before its first round asks isStopped().
  schedule(0);

  return {
    wake() {
      if (stopped) return;
      // A round under way looks again as soon as it ends.
      if (busy) woken = true;
      else schedule(0);
    },
    isStopped: () => stopped,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
