/**
 * New-report notifications, written right after ingest stored the report and off its path:
 * the report's 200 never waits for them and never fails because of them (insertFeedback
 * writes the report and its remembered answer only). Owned by the app: `settle` waits for
 * the ones under way, so the server closes its database after them.
 */
import type { Client, FeedbackRow, Storage } from '../storage/types.ts';
import { newReportEffects, projectPeople } from './effects.ts';

/** What the notifier needs. */
export interface NewReportOptions {
  storage: Storage;
  nowMs: () => number;
  logError: (message: string, error: unknown) => void;
  /** Called once a report's e-mails were queued (the sender looks at the queue then). */
  onQueued?: () => void;
}

/** The app's new-report notifier. */
export interface NewReportNotifier {
  /** Notifies the project's opted-in members of a report just stored; returns at once and never throws. */
  accepted(row: FeedbackRow, client: Client, base: string): void;
  /** Resolves when every notification under way was written (or failed and was logged). */
  settle(): Promise<void>;
}

/** A notifier with its own set of writes under way. */
export function createNewReportNotifier(options: NewReportOptions): NewReportNotifier {
  const pending = new Set<Promise<void>>();

  const notify = async (row: FeedbackRow, client: Client, base: string) => {
    // After the turn that answers the report: its 200 goes out first.
    await new Promise((resolve) => setImmediate(resolve));
    const people = await projectPeople(options.storage.team, client.id);
    const effects = newReportEffects({ projectName: client.name, feedback: row, base, nowMs: options.nowMs() }, people);
    if (!effects.notifications?.length) return;
    await options.storage.team.record(effects);
    if (effects.emails?.length) options.onQueued?.();
  };

  return {
    accepted(row, client, base) {
      const task: Promise<void> = notify(row, client, base)
        .catch((error: unknown) => options.logError(`New-report notifications for ${row.id} failed:`, error))
        .finally(() => pending.delete(task));
      pending.add(task);
    },
    async settle() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
