/**
 * The target of a tracker that keeps a report's issue (Jira; GitHub's github.ts does the same
 * on its own): a new report its rule takes, or one asked for by hand, makes the issue; a state
 * change moves the linked one. What is the same for every such tracker is here: the plan,
 * the report looked up and the link kept; the vendor's part is making, moving and reading
 * its refusals.
 */
import { toItemsJson, type FeedbackItemJson } from '../read-api/items.ts';
import type { Delivery, Integration, TrackerLink } from '../storage/outbox-types.ts';
import type { OutboxContext, SendResult, Target } from './targets.ts';
import { ruleMatches, ruleOf } from './trackers.ts';

/** What a delivery to the tracker does. */
export type IssueOp = { op: 'create' } | { op: 'state'; state: string };

/** The vendor's part. */
export interface IssueTracker {
  /** Finds the report's issue a lost answer left behind, else makes it; its id and address. */
  create(item: FeedbackItemJson, delivery: Delivery, integration: Integration, ctx: OutboxContext): Promise<{ externalId: string; url: string; found: boolean }>;
  /** Moves the linked issue with the report's state. */
  move(link: TrackerLink, state: string, integration: Integration, ctx: OutboxContext): Promise<SendResult>;
  /** What a thrown error means for the next try; rethrows what is not the vendor's. */
  failure(error: unknown): SendResult;
}

/** The op a change asks of the tracker, if any. */
function opOf(integration: Integration, change: Parameters<Target['plan']>[1]): IssueOp | undefined {
  if (change.type === 'feedback.created') return ruleMatches(ruleOf(integration), change.item) ? { op: 'create' } : undefined;
  if (change.type === 'feedback.updated') return change.changes.includes('state') ? { op: 'state', state: change.item.state } : undefined;
  return undefined;
}

async function sendOp(tracker: IssueTracker, delivery: Delivery, integration: Integration, ctx: OutboxContext): Promise<SendResult> {
  const op = JSON.parse(delivery.payload) as IssueOp;
  const feedbackId = delivery.feedbackId!;
  const link = await ctx.storage.outbox.getLink(integration.id, feedbackId);
  if (op.op === 'state') return link ? tracker.move(link, op.state, integration, ctx) : { ok: true, status: null, excerpt: 'No issue linked' };
  if (link) return { ok: true, status: null, excerpt: `Already linked to ${link.url}` };
  const row = await ctx.storage.getFeedback(feedbackId);
  if (!row) return { ok: true, status: null, excerpt: 'The report is gone' };
  const [item] = await toItemsJson(ctx.storage, [row], ctx.baseUrl);
  const issue = await tracker.create(item!, delivery, integration, ctx);
  const saved = await ctx.storage.outbox.saveLink({ integrationId: integration.id, feedbackId, externalId: issue.externalId, url: issue.url, createdAt: new Date(ctx.nowMs()).toISOString() });
  return { ok: true, status: issue.found ? 200 : 201, excerpt: `${issue.found ? 'Found' : 'Created'} ${saved.url}` };
}

/** The target of a tracker that keeps issues. */
export function issueTarget(tracker: IssueTracker): Target {
  return {
    plan: (integration, change) => {
      const op = opOf(integration, change);
      return op && JSON.stringify(op);
    },
    send: (delivery, integration, ctx) => sendOp(tracker, delivery, integration, ctx).catch((error: unknown) => tracker.failure(error)),
  };
}
