/**
 * Planning: a change (or a test event) becomes one delivery per integration that wants it,
 * its payload fixed now so every try sends the same bytes. Used by the outbox worker
 * (worker.ts) and by the owners' routes (a test event, routes/webhooks.ts).
 */
import { newTeamId } from '../ids.ts';
import type { Delivery, DeliveryType, Integration } from '../storage/outbox-types.ts';
import type { OutboxChange, PlanContext, Targets } from './targets.ts';

/** A delivery queued now, untried. */
export function newDelivery(integration: Integration, feedbackId: string | null, type: DeliveryType, payload: string, createdAt: string): Delivery {
  return {
    id: newTeamId('delivery'),
    integrationId: integration.id,
    clientId: integration.clientId,
    feedbackId,
    type,
    payload,
    createdAt,
    attempts: 0,
    status: 'pending',
    nextAttemptAt: createdAt,
    lastAttemptAt: null,
    responseStatus: null,
    responseExcerpt: null,
    lastError: null,
  };
}

/** The deliveries of a change to the integrations that want it, each with its payload fixed now. */
export function plannedDeliveries(
  integrations: readonly Integration[],
  change: OutboxChange,
  targets: Targets,
  ctx: PlanContext,
  source: string | null = null,
): Delivery[] {
  const createdAt = new Date(ctx.nowMs()).toISOString();
  return integrations.flatMap((integration) => {
    const target = targets[integration.kind];
    if (!target || !integration.enabled || integration.id === source) return [];
    const payload = target.plan(integration, change, ctx);
    if (payload === undefined) return [];
    return [newDelivery(integration, change.item?.id ?? null, change.type, payload, createdAt)];
  });
}

