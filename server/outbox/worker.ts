/**
 * The outbox worker: tells each project's integrations of its changes, durably. Everything it
 * knows is in the database, so a restart picks up where it stood and several instances share
 * the work. Each round it
 * 1. announces new reports (feedback.created): one write marks a report announced and queues
 *    its deliveries, so of two instances one does it, once;
 * 2. fans out the changes written with their cause (Effects.events) the same way;
 * 3. claims due deliveries (another instance leaves them alone while the claim holds), sends
 *    them a few at a time and records each try: delivered, or retried after the next of
 *    OUTBOUND.retryDelaysMs (longer when `Retry-After` asks), then failed. An integration
 *    whose delivery gives up after failing that long is turned off, and its owners are told.
 * Owned by the running server: `stop` ends the loop after the sends under way.
 */
import { OUTBOUND } from '../constants.ts';
import { newEmail } from '../notify/email.ts';
import { projectPeople } from '../notify/effects.ts';
import { startPollingLoop } from '../polling-loop.ts';
import { integrationOffEmail } from '../notify/messages.ts';
import { toItemsJson, type FeedbackItemJson } from '../read-api/items.ts';
import { commentJson } from '../routes/comments.ts';
import type { Delivery, Integration, OutboxEvent } from '../storage/outbox-types.ts';
import { plannedDeliveries } from './plan.ts';
import type { OutboxChange, OutboxContext, SendResult, Targets } from './targets.ts';

/** What the worker works with; the timings default to OUTBOUND's. */
export interface OutboxWorkerOptions extends OutboxContext {
  targets: Targets;
  logError: (message: string, error: unknown) => void;
  pollMs?: number;
  retryDelaysMs?: readonly number[];
  disableAfterFailingMs?: number;
  /** Called after e-mails were queued (an integration turned off tells its owners). */
  onEmailsQueued?: () => void;
}

/** A running worker. */
export interface OutboxWorker {
  /** Looks at the outbox now (after a change was written) instead of at the next poll. */
  wake(): void;
  /** Ends the loop after the sends under way; safe to call twice. */
  stop(): Promise<void>;
}

/** When the try after `attempts` failed ones is due, or `null` when the delays are used up. */
export function nextTryAt(attempts: number, nowMs: number, delaysMs: readonly number[], retryAfterMs?: number): string | null {
  const delay = delaysMs[attempts - 1];
  if (delay === undefined) return null;
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, OUTBOUND.maxRetryAfterMs);
  return new Date(nowMs + Math.max(delay, asked)).toISOString();
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Starts the loop; the first round runs at once. */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { storage } = options;
  const { outbox } = storage;
  const pollMs = options.pollMs ?? OUTBOUND.pollMs;
  const delays = options.retryDelaysMs ?? OUTBOUND.retryDelaysMs;
  const disableAfter = options.disableAfterFailingMs ?? OUTBOUND.disableAfterFailingMs;

  const itemOf = async (feedbackId: string): Promise<FeedbackItemJson | undefined> => {
    const row = await storage.getFeedback(feedbackId);
    return row ? (await toItemsJson(storage, [row], options.baseUrl))[0] : undefined;
  };

  const announce = async (): Promise<boolean> => {
    await outbox.announceQuiet();
    const reports = await outbox.unannounced(OUTBOUND.fanOutBatch);
    const integrationsOf = new Map<string, Promise<Integration[]>>();
    for (const report of reports) {
      if (loop.isStopped()) break;
      if (!integrationsOf.has(report.clientId)) integrationsOf.set(report.clientId, outbox.listIntegrations(report.clientId));
      const item = await itemOf(report.id);
      const deliveries = item ? plannedDeliveries(await integrationsOf.get(report.clientId)!, { type: 'feedback.created', item }, options.targets, options) : [];
      await outbox.announce(report.id, deliveries);
    }
    return reports.length === OUTBOUND.fanOutBatch;
  };

  const changeOf = async (event: OutboxEvent): Promise<OutboxChange | undefined> => {
    const item = await itemOf(event.feedbackId);
    if (!item) return undefined;
    if (event.type === 'feedback.updated') return { type: event.type, item, changes: event.changes, source: event.source };
    const comment = event.commentId === null ? undefined : await storage.team.getComment(event.commentId);
    if (!comment) return undefined;
    const [author] = await storage.team.getUsers([comment.authorId]);
    return { type: event.type, item, comment: commentJson(comment, author) };
  };

  const fanOut = async (): Promise<boolean> => {
    const events = await outbox.pendingEvents(OUTBOUND.fanOutBatch);
    for (const event of events) {
      if (loop.isStopped()) break;
      const change = await changeOf(event);
      const deliveries = change ? plannedDeliveries(await outbox.listIntegrations(event.clientId), change, options.targets, options, event.source) : [];
      await outbox.fanOut(event.id, deliveries);
    }
    return events.length === OUTBOUND.fanOutBatch;
  };

  // An integration failing for long enough is turned off, and its project's owners are e-mailed.
  const turnOff = async (integration: Integration, result: Extract<SendResult, { ok: false }>, nowMs: number) => {
    const reason = `Turned off after failing since ${integration.failingSince}: ${result.error}`;
    await outbox.setIntegrationEnabled(integration.id, reason);
    const client = await storage.getClient(integration.clientId);
    const owners = (await projectPeople(storage.team, integration.clientId)).filter((p) => p.membership.role === 'owner');
    const named = `${integration.kind === 'webhook' ? 'the webhook' : integration.kind} ${integration.name}`;
    const content = { projectName: client?.name ?? integration.clientId, integration: named, reason, base: options.baseUrl };
    const emails = owners.map((owner) => newEmail(integrationOffEmail(owner.user.email, content), nowMs));
    if (emails.length > 0) {
      await storage.team.record({ emails });
      options.onEmailsQueued?.();
    }
  };

  const deliverOne = async (delivery: Delivery) => {
    const integration = await outbox.getIntegration(delivery.integrationId);
    const target = integration && options.targets[integration.kind];
    const result: SendResult = target
      ? await target.send(delivery, integration, options).catch((error: unknown) => ({
          ok: false as const,
          status: null,
          excerpt: null,
          error: error instanceof Error ? error.message : String(error),
        }))
      : { ok: false, status: null, excerpt: null, error: 'This server cannot deliver to this kind of integration' };
    const nowMs = options.nowMs();
    const at = new Date(nowMs).toISOString();
    if (result.ok) {
      await outbox.finishDelivery(delivery, { delivered: true, at, responseStatus: result.status, responseExcerpt: result.excerpt });
      return;
    }
    const nextAttemptAt = nextTryAt(delivery.attempts + 1, nowMs, delays, result.retryAfterMs);
    const error = result.error.slice(0, OUTBOUND.maxErrorChars);
    await outbox.finishDelivery(delivery, { delivered: false, at, responseStatus: result.status, responseExcerpt: result.excerpt, error, nextAttemptAt });
    const since = integration?.failingSince ? Date.parse(integration.failingSince) : nowMs;
    if (nextAttemptAt === null && integration?.enabled && nowMs - since >= disableAfter) await turnOff({ ...integration, failingSince: new Date(since).toISOString() }, result, nowMs);
  };

  const deliver = async (): Promise<boolean> => {
    const now = options.nowMs();
    const claimed = await outbox.claimDeliveries(new Date(now).toISOString(), new Date(now + OUTBOUND.lockMs).toISOString(), OUTBOUND.batch);
    // Stopping leaves the rest claimed: their lock passes and a worker takes them then.
    await inParallel(claimed, OUTBOUND.concurrency, async (delivery) => {
      if (!loop.isStopped()) await deliverOne(delivery);
    });
    return claimed.length === OUTBOUND.batch;
  };

  // Returns whether there may be more to do at once.
  const runRound = async (): Promise<boolean> => {
    const moreReports = await announce();
    const moreEvents = await fanOut();
    const moreDeliveries = await deliver();
    return moreReports || moreEvents || moreDeliveries;
  };

  const loop = startPollingLoop({ runRound, pollMs, onError: (error) => options.logError('Outbox round failed:', error) });
  return { wake: loop.wake, stop: loop.stop };
}
