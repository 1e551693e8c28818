/** The outbox as the worker's message handlers use it: keep, send, list, retry, edit, delete. */
import { MessageError, type MessageRequest, type OutboxEntry } from '../messaging/protocol';
import { checkFeedback, createReport, sendReport, type Draft, type PageCapture } from '../feedback/send';
import type { WorkerContext } from '../feedback/metadata';
import { loadSettings } from '../settings';
import { STRINGS } from '../strings';
import { showWaitingCount } from './badge';
import { createDelivery, type Outcome } from './deliver';
import { openOutboxStore, reportSize, type OutboxReport, type ReplayBytes } from './store';
import { createWakeScheduler } from './wake';

/** The outbox refuses a new report that would take it past this many bytes. */
export const OUTBOX_MAX_BYTES = 200 * 1024 * 1024;
/** From this share of the bound on, the panel warns before the user sends. */
const NEARLY_FULL_RATIO = 0.9;

function toEntry(report: OutboxReport): OutboxEntry {
  return {
    id: report.id,
    state: report.state,
    attempts: report.attempts,
    nextAttemptAtMs: report.nextAttemptAtMs,
    createdAtMs: report.createdAtMs,
    lastError: report.lastError,
    issues: report.issues,
    clientId: report.settings.clientId,
    environment: report.settings.environment,
    rating: report.rating,
    comment: report.comment,
    userEmail: report.userEmail,
    pageUrl: report.page.url,
    pageTitle: report.page.title,
    screenshotCount: report.screenshots.length,
  };
}

/** Opens the outbox and starts delivering what waits in it; returns the operations and a disposer. */
export async function startOutbox(worker: () => Promise<WorkerContext>) {
  const store = await openOutboxStore();
  const wake = createWakeScheduler(() => void delivery.deliverDue());
  const delivery = createDelivery({
    store,
    send: sendReport,
    schedule: wake.schedule,
    onChange: (reports) =>
      showWaitingCount(reports.length, reports.some((report) => report.state === 'needs-attention')),
  });

  return {
    deliverDue: () => delivery.deliverDue(),

    /** Keeps the draft (and its replay) before any network call, then tries to send it. */
    async submit(draft: Draft, replay?: ReplayBytes, captured?: PageCapture): Promise<Outcome> {
      const report = createReport(draft, await loadSettings(), await worker(), crypto.randomUUID(), Date.now(), replay, captured);
      const replaced = draft.replaces ? await store.get(draft.replaces) : undefined;
      const keptBytes = (await store.totalBytes()) - (replaced?.state === 'needs-attention' ? replaced.sizeBytes : 0);
      if (keptBytes + report.sizeBytes > OUTBOX_MAX_BYTES) throw new MessageError(STRINGS.outboxFull(Math.round(OUTBOX_MAX_BYTES / 1024 / 1024)));
      // A corrected report supersedes the refused one it was written to fix.
      if (replaced?.state === 'needs-attention') await delivery.remove(replaced.id);
      return delivery.submit(report);
    },

    async nearlyFull(): Promise<boolean> {
      return (await store.totalBytes()) >= OUTBOX_MAX_BYTES * NEARLY_FULL_RATIO;
    },

    async list() {
      const [reports, totalBytes] = await Promise.all([store.list(), store.totalBytes()]);
      return { entries: reports.map(toEntry), totalBytes, maxBytes: OUTBOX_MAX_BYTES };
    },

    retry: (id: string) => delivery.retryNow(id),
    remove: (id: string) => delivery.remove(id),

    /** Applies the user's corrections to a refused report and sends it again as a new revision. */
    async edit(change: MessageRequest<'outbox:edit'>): Promise<Outcome | undefined> {
      const report = await store.get(change.id);
      if (!report || report.state !== 'needs-attention') return undefined;
      const clientId = change.clientId.trim();
      const edited: OutboxReport = {
        ...report,
        settings: { ...report.settings, clientId },
        rating: change.rating,
        comment: change.comment,
        userEmail: change.userEmail?.trim() || undefined,
        revision: report.revision + 1,
        state: 'queued',
        nextAttemptAtMs: Date.now(),
        issues: undefined,
        // Files uploaded for another project are not this project's to reference.
        screenshots:
          clientId === report.settings.clientId ? report.screenshots : report.screenshots.map(({ type, byteLength }) => ({ type, byteLength })),
        ...(report.replay && {
          replay:
            clientId === report.settings.clientId ? report.replay : { offsetMs: report.replay.offsetMs, byteLength: report.replay.byteLength },
        }),
      };
      checkFeedback(edited);
      // Only the fields change: the bytes stay where they are, and the total moves by the text's change.
      await store.put({ ...edited, sizeBytes: reportSize(edited) });
      return delivery.retryNow(edited.id);
    },

    dispose: () => {
      wake.dispose();
      store.close();
    },
  };
}

/** The running outbox. */
export type OutboxService = Awaited<ReturnType<typeof startOutbox>>;
