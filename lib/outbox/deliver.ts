/**
 * Delivery of the outbox: each report is tried now, then again with backoff until the
 * server accepts it (then it is deleted) or refuses it for good (then it waits for the
 * user as "needs attention"). Safe to call from any wake-up: a report is never sent by
 * two attempts of this worker at once, and the server's idempotency keys absorb the
 * attempt a killed worker left half done.
 */
import { ApiError } from '../api/client';
import type { MessageResponse } from '../messaging/protocol';
import { isRetryable, nextDelayMs } from './retry';
import type { NewReport, OutboxReport, OutboxStore } from './store';

/**
 * While a report is being sent, delivery is also scheduled this far ahead: if the worker
 * dies mid-attempt, that wake-up finds the report "sending" with nobody sending it and
 * resumes it. A live worker ignores the wake-up (the attempt is still in flight).
 */
export const SENDING_WATCHDOG_MS = 10_000;

/** What became of one delivery attempt. */
export type Outcome = MessageResponse<'feedback:send'>;

/** What the server made of a report: its feedback id, and whether the replay went with it. */
export type Delivered = { feedbackId: string; replay: 'attached' | 'not-accepted' | 'none' };

/** Sends one report (screenshots, replay, then feedback); resolves when the server accepted it, or throws. */
export type SendReport = (report: OutboxReport, store: OutboxStore) => Promise<Delivered>;

export type DeliveryDeps = {
  store: OutboxStore;
  send: SendReport;
  /** Told every report still waiting, after each change (for the badge). */
  onChange: (reports: OutboxReport[]) => void;
  /** Asked to wake delivery at this time (undefined: nothing waits). */
  schedule: (atMs: number | undefined) => void;
  nowMs?: () => number;
  random?: () => number;
};

/** The delivery engine over one outbox store. */
export type Delivery = {
  /** Keeps a new report with its bytes and tries to send it now. */
  submit(report: NewReport): Promise<Outcome>;
  /** Sends every report whose time has come, one after another. */
  deliverDue(): Promise<void>;
  /** Tries one report now, whatever its schedule. */
  retryNow(id: string): Promise<Outcome | undefined>;
  /** Forgets a report. */
  remove(id: string): Promise<void>;
};

/** Creates the engine; it keeps only which reports this worker is sending right now. */
export function createDelivery(deps: DeliveryDeps): Delivery {
  const now = deps.nowMs ?? Date.now;
  const inFlight = new Map<string, Promise<Outcome>>();

  const refresh = async () => {
    const reports = await deps.store.list();
    deps.onChange(reports);
    const wakeTimes = reports.flatMap((report) => {
      if (report.state === 'queued') return [report.nextAttemptAtMs];
      return report.state === 'sending' ? [now() + SENDING_WATCHDOG_MS] : [];
    });
    deps.schedule(wakeTimes.length > 0 ? Math.min(...wakeTimes) : undefined);
  };

  const attempt = async (report: OutboxReport): Promise<Outcome> => {
    report.state = 'sending';
    report.attempts += 1;
    await deps.store.put(report);
    await refresh();
    try {
      const delivered = await deps.send(report, deps.store);
      await deps.store.delete(report.id);
      return { status: 'delivered', id: report.id, ...delivered };
    } catch (error) {
      const api = error instanceof ApiError ? error : new ApiError(String(error), 0);
      report.lastError = api.message;
      report.issues = api.issues;
      if (isRetryable(api.status)) {
        report.state = 'queued';
        report.nextAttemptAtMs = now() + nextDelayMs(report.attempts, api.retryAfterMs, deps.random);
        await deps.store.put(report);
        return { status: 'queued', id: report.id, error: api.message, nextAttemptAtMs: report.nextAttemptAtMs };
      }
      report.state = 'needs-attention';
      await deps.store.put(report);
      return { status: 'needs-attention', id: report.id, error: api.message, issues: api.issues };
    }
  };

  // One attempt per report at a time; a second caller shares the first one's outcome.
  const run = (report: OutboxReport): Promise<Outcome> => {
    const running = inFlight.get(report.id);
    if (running) return running;
    const started = attempt(report).finally(() => {
      inFlight.delete(report.id);
      void refresh();
    });
    inFlight.set(report.id, started);
    return started;
  };

  return {
    async submit(report) {
      return run(await deps.store.add(report));
    },
    async deliverDue() {
      for (const report of await deps.store.list()) {
        // "sending" with no attempt of ours running: the worker that was sending it died.
        const due = report.state === 'queued' ? report.nextAttemptAtMs <= now() : report.state === 'sending';
        if (due && !inFlight.has(report.id)) await run(report);
      }
      await refresh();
    },
    async retryNow(id) {
      const report = await deps.store.get(id);
      return report ? run(report) : undefined;
    },
    async remove(id) {
      await inFlight.get(id)?.catch(() => undefined);
      await deps.store.delete(id);
      await refresh();
    },
  };
}
