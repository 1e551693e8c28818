/**
 * A project's webhook endpoints under /api/projects/:clientId/webhooks (owner): the list, a
 * new endpoint (its signing secret in this one answer), its events or turning it on and off,
 * deleting it, its recent deliveries, a test event, and redelivering one delivery.
 */
import type { Context, Hono } from 'hono';
import { requireRole } from '../auth/access.ts';
import { OUTBOUND, TEAM_ERRORS } from '../constants.ts';
import { OUTBOX_TARGETS } from '../outbox/all-targets.ts';
import { createEndpoint, deliveryJson, endpointIssues, endpointJson } from '../outbox/endpoints.ts';
import { plannedDeliveries } from '../outbox/plan.ts';
import type { Integration, IntegrationChange, WebhookEvent } from '../storage/outbox-types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { newWebhookBody, webhookChangeBody } from '../team-api/schemas.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';
import { publicBase } from './upload-form.ts';

/** Adds the webhook routes to the read API's sub-app. */
export function registerWebhookRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions): void {
  const { outbox } = options.storage;
  const owner = requireRole('owner');

  // Another project's endpoint is as unknown here as one that does not exist.
  const endpointOf = async (c: Context<ProjectEnv>): Promise<Integration | undefined> => {
    const found = await outbox.getIntegration(c.req.param('webhookId') ?? '');
    return found && found.kind === 'webhook' && found.clientId === c.get('client').id ? found : undefined;
  };
  const notFound = (c: Context) => c.json({ error: TEAM_ERRORS.webhookNotFound }, 404);

  api.get('/:clientId/webhooks', owner, async (c) => {
    return c.json({ items: (await outbox.listIntegrations(c.get('client').id, 'webhook')).map(endpointJson) });
  });

  api.post('/:clientId/webhooks', owner, teamBodyCap, async (c) => {
    const body = await readBody(c, newWebhookBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const issues = endpointIssues(body.value);
    if (Object.keys(issues).length > 0) return invalidBody(c, issues);
    const made = await createEndpoint(options.storage, options.masterKey, { ...body.value, clientId: c.get('client').id, nowMs: options.nowMs() });
    return c.json({ ...endpointJson(made.endpoint), secret: made.secret }, 201);
  });

  api.patch('/:clientId/webhooks/:webhookId', owner, teamBodyCap, async (c) => {
    const body = await readBody(c, webhookChangeBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const found = await endpointOf(c);
    if (!found) return notFound(c);
    const { events, enabled } = body.value;
    // Both fields in one write: a failure between two would leave half the change.
    const change: IntegrationChange = {};
    if (events !== undefined) {
      const issues = endpointIssues({ url: String(found.config.url), events });
      if (Object.keys(issues).length > 0) return invalidBody(c, issues);
      change.events = [...new Set(events)] as WebhookEvent[];
    }
    if (enabled !== undefined && enabled !== found.enabled) change.disabledReason = enabled ? null : 'Turned off by an owner';
    if (Object.keys(change).length > 0) await outbox.updateIntegration(found.id, change);
    // Turned on: what waited for it goes now, not at the next poll.
    if (change.disabledReason === null) options.onOutboxQueued?.();
    return c.json(endpointJson((await outbox.getIntegration(found.id))!));
  });

  api.delete('/:clientId/webhooks/:webhookId', owner, async (c) => {
    const found = await endpointOf(c);
    if (!found) return notFound(c);
    await outbox.deleteIntegration(found.id);
    return c.body(null, 204);
  });

  api.get('/:clientId/webhooks/:webhookId/deliveries', owner, async (c) => {
    const found = await endpointOf(c);
    if (!found) return notFound(c);
    return c.json({ items: (await outbox.listDeliveries(found.id, OUTBOUND.listLimit)).map(deliveryJson) });
  });

  // Queued like any delivery (signed, retried), whether or not the endpoint is on.
  api.post('/:clientId/webhooks/:webhookId/test', owner, async (c) => {
    const found = await endpointOf(c);
    if (!found) return notFound(c);
    const ctx = { baseUrl: publicBase(c, options.publicUrl), nowMs: options.nowMs };
    const deliveries = plannedDeliveries([{ ...found, enabled: true }], { type: 'webhook.test', item: null }, OUTBOX_TARGETS, ctx);
    await outbox.insertDeliveries(deliveries);
    options.onOutboxQueued?.();
    return c.json(deliveryJson(deliveries[0]!), 202);
  });

  api.post('/:clientId/webhooks/deliveries/:deliveryId/redeliver', owner, async (c) => {
    const delivery = await outbox.getDelivery(c.req.param('deliveryId'));
    if (!delivery || delivery.clientId !== c.get('client').id) return c.json({ error: TEAM_ERRORS.deliveryNotFound }, 404);
    if (!(await outbox.redeliver(delivery.id, new Date(options.nowMs()).toISOString()))) return c.json({ error: TEAM_ERRORS.deliveryPending }, 409);
    options.onOutboxQueued?.();
    return c.json(deliveryJson((await outbox.getDelivery(delivery.id))!), 202);
  });
}
