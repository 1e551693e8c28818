/**
 * Webhook endpoints as owners make them, from the inbox (routes/webhooks.ts) and the CLI
 * (cli-webhooks.ts): the URL and events checked, a secret made and shown once, and the
 * endpoint as the API shows it (never its secret).
 */
import * as z from 'zod/mini';
import { newTeamId } from '../ids.ts';
import { timestampSchema } from '../read-api/schemas.ts';
import type { Delivery, DeliveryStatus, DeliveryType, Integration, WebhookEvent } from '../storage/outbox-types.ts';
import { WEBHOOK_EVENTS } from '../storage/outbox-types.ts';
import type { Storage } from '../storage/types.ts';
import { urlProblem } from './safe-http.ts';
import { newWebhookSecret, webhookConfig } from './webhook.ts';

/** What an endpoint is made with. */
export interface NewEndpoint {
  clientId: string;
  url: string;
  /** Default: every event. */
  events?: readonly string[];
  nowMs: number;
}

/** The field problems of a new endpoint (keys `url`, `events`), or none. */
export function endpointIssues(input: { url: string; events?: readonly string[] }): Record<string, string[]> {
  const issues: Record<string, string[]> = {};
  const problem = urlProblem(input.url);
  if (problem) issues.url = [problem];
  if (input.events !== undefined) {
    const unknown = input.events.filter((event) => !(WEBHOOK_EVENTS as readonly string[]).includes(event));
    if (unknown.length > 0) issues.events = [`Unknown event ${unknown.join(', ')}: must be among ${WEBHOOK_EVENTS.join(', ')}`];
    else if (input.events.length === 0) issues.events = [`Name at least one of ${WEBHOOK_EVENTS.join(', ')}`];
  }
  return issues;
}

/** Stores a checked endpoint; returns it with its signing secret in clear (shown once). */
export async function createEndpoint(storage: Storage, masterKey: Uint8Array, input: NewEndpoint): Promise<{ endpoint: Integration; secret: string }> {
  const id = newTeamId('webhook');
  const secret = newWebhookSecret();
  const events = [...new Set(input.events ?? WEBHOOK_EVENTS)] as WebhookEvent[];
  const endpoint: Integration = {
    id,
    clientId: input.clientId,
    kind: 'webhook',
    name: input.url,
    events,
    config: webhookConfig(masterKey, id, input.url, secret),
    enabled: true,
    disabledReason: null,
    failingSince: null,
    createdAt: new Date(input.nowMs).toISOString(),
  };
  await storage.outbox.insertIntegration(endpoint);
  return { endpoint, secret };
}

/** An endpoint as the API shows it: never its secret. */
export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  disabledReason: z.nullable(z.string()),
  failingSince: z.nullable(timestampSchema),
  createdAt: timestampSchema,
});

/** A new endpoint: its signing secret is in this answer only. */
export const newEndpointSchema = z.extend(endpointSchema, { secret: z.string() });

/** A delivery as the API shows it (without its payload). */
export const deliverySchema = z.object({
  id: z.string(),
  type: z.enum([...WEBHOOK_EVENTS, 'webhook.test', 'issue.create'] satisfies DeliveryType[]),
  feedbackId: z.nullable(z.string()),
  status: z.enum(['pending', 'delivered', 'failed'] satisfies DeliveryStatus[]),
  attempts: z.int().check(z.nonnegative()),
  createdAt: timestampSchema,
  lastAttemptAt: z.nullable(timestampSchema),
  nextAttemptAt: z.nullable(timestampSchema),
  responseStatus: z.nullable(z.int()),
  responseExcerpt: z.nullable(z.string()),
  lastError: z.nullable(z.string()),
});

/** An endpoint as the API shows it (endpointSchema). */
export function endpointJson(endpoint: Integration): z.infer<typeof endpointSchema> {
  return {
    id: endpoint.id,
    url: String(endpoint.config.url),
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince,
    createdAt: endpoint.createdAt,
  };
}

/** A delivery as the API shows it (deliverySchema). */
export function deliveryJson(delivery: Delivery): z.infer<typeof deliverySchema> {
  return {
    id: delivery.id,
    type: delivery.type,
    feedbackId: delivery.feedbackId,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
    lastAttemptAt: delivery.lastAttemptAt,
    nextAttemptAt: delivery.nextAttemptAt,
    responseStatus: delivery.responseStatus,
    responseExcerpt: delivery.responseExcerpt,
    lastError: delivery.lastError,
  };
}
