/**
 * A project's tracker connections under /api/projects/:clientId (docs/team-api.md
 * "Trackers"): owners connect, change (rule, on or off) and remove them; members ask for a
 * report's issue; anyone in the project sees where a report stands in each tracker. Webhook
 * endpoints have their own routes (webhooks.ts).
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { requireRole } from '../auth/access.ts';
import { GITHUB, JIRA, OUTBOUND, READ_API_ERRORS, SLACK, TEAM_ERRORS } from '../constants.ts';
import { newDelivery } from '../outbox/plan.ts';
import { TRACKER_KINDS } from '../outbox/all-targets.ts';
import { deliveryJson } from '../outbox/endpoints.ts';
import { CREATE_ISSUE_PAYLOAD } from '../outbox/github.ts';
import { connectTracker, reportRuleSchema, ruleOf, type TrackerKind } from '../outbox/trackers.ts';
import { timestampSchema } from '../read-api/schemas.ts';
import type { Delivery, Integration, IntegrationChange, TrackerLink } from '../storage/outbox-types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';
import { publicBase } from './upload-form.ts';

const kinds = Object.values(TRACKER_KINDS);
// One per kind: zod's unions and enums want at least one.
const perKind = <T>(make: (kind: TrackerKind<unknown>) => T) => kinds.map(make) as [T, ...T[]];
const kindNames = () => Object.keys(TRACKER_KINDS).join(', ');
const ruleField = z.optional(z.nullable(reportRuleSchema));
const newConnectionBody = z.looseObject({
  kind: z.string({ error: `Must be one of ${kindNames()}` }).check(z.refine((kind) => Object.hasOwn(TRACKER_KINDS, kind), { error: `Must be one of ${kindNames()}` })),
  rule: ruleField,
});
/** `PATCH .../integrations/:integrationId`: turning it on or off, its rule. */
export const connectionChangeBody = z.strictObject({ enabled: z.optional(z.boolean({ error: 'Must be true or false' })), rule: ruleField });
/** `POST .../feedbacks/:id/issues`: the GitHub connection to make the report's issue in. */
export const issueBody = z.strictObject({ integrationId: z.string({ error: 'Must be a tracker connection id' }) });

/** What the route and each kind's body accept together, for the OpenAPI document: `kind`, `rule` and that kind's fields. */
export const newConnectionBodyDoc = z.discriminatedUnion(
  'kind',
  perKind((kind) => z.strictObject({ kind: z.literal(kind.kind), rule: ruleField, ...kind.body.shape })),
);

// A connection of one kind: the fields of every connection, and that kind's settings.
const ofKind = (kind: TrackerKind<unknown>) =>
  z.object({
    id: z.string(),
    kind: z.literal(kind.kind),
    name: z.string(),
    rule: z.nullable(reportRuleSchema),
    enabled: z.boolean(),
    disabledReason: z.nullable(z.string()),
    failingSince: z.nullable(timestampSchema),
    createdAt: timestampSchema,
    settings: kind.settings,
  });

/** A connection as the API shows it: its kind's settings, never a secret. */
export const connectionSchema = z.discriminatedUnion('kind', perKind(ofKind));

/** A new connection: and what its kind shows this once (GitHub: where its webhook goes, and its secret). */
export const newConnectionSchema = z.discriminatedUnion(
  'kind',
  perKind((kind): z.ZodMiniObject => (kind.shown ? z.extend(ofKind(kind), kind.shown.shape) : ofKind(kind))),
);

/** Where a report stands in one tracker (trackerStatus). */
export const trackerStatusSchema = z.object({
  integrationId: z.string(),
  kind: z.enum(perKind((kind) => kind.kind)),
  name: z.string(),
  issue: z.nullable(z.object({ id: z.string(), url: z.string() })),
  status: z.enum(['none', 'linked', 'sent', 'queued', 'retrying', 'needs-attention', 'failed']),
  attempts: z.int().check(z.nonnegative()),
  lastError: z.nullable(z.string()),
});

/** A connection as the API shows it (connectionSchema). */
function connectionJson(integration: Integration): z.infer<typeof connectionSchema> {
  return {
    id: integration.id,
    kind: integration.kind,
    name: integration.name,
    rule: ruleOf(integration),
    enabled: integration.enabled,
    disabledReason: integration.disabledReason,
    failingSince: integration.failingSince,
    createdAt: integration.createdAt,
    settings: TRACKER_KINDS[integration.kind]!.json(integration),
  };
}

/** Where a report stands in one tracker: its issue, and its latest delivery there. */
export function trackerStatus(integration: Integration, link: TrackerLink | undefined, latest: Delivery | undefined): z.infer<typeof trackerStatusSchema> {
  const tried = latest && latest.attempts > 0;
  const status = !latest
    ? link ? 'linked' : 'none'
    : latest.status === 'delivered'
      ? link ? 'linked' : 'sent'
      : latest.status === 'failed'
        ? 'failed'
        : !tried
          ? 'queued'
          : [GITHUB, JIRA, SLACK].some((kind) => latest.lastError?.includes(kind.needsAttention)) || latest.responseStatus === 401 || latest.responseStatus === 403
            ? 'needs-attention'
            : 'retrying';
  return {
    integrationId: integration.id,
    kind: integration.kind,
    name: integration.name,
    issue: link ? { id: link.externalId, url: link.url } : null,
    status,
    attempts: latest?.attempts ?? 0,
    lastError: latest?.status === 'delivered' ? null : (latest?.lastError ?? null),
  };
}

/** Adds the tracker routes to the read API's sub-app. */
export function registerIntegrationRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions): void {
  const { outbox } = options.storage;
  const owner = requireRole('owner');
  const member = requireRole('member');

  const trackersOf = async (clientId: string) => (await outbox.listIntegrations(clientId)).filter((i) => i.kind in TRACKER_KINDS);
  // Another project's connection is as unknown here as one that does not exist.
  const connectionOf = async (c: Context<ProjectEnv>, id: string): Promise<Integration | undefined> => {
    const found = await outbox.getIntegration(id);
    return found && found.kind in TRACKER_KINDS && found.clientId === c.get('client').id ? found : undefined;
  };
  const notFound = (c: Context) => c.json({ error: TEAM_ERRORS.integrationNotFound }, 404);
  const feedbackOf = async (c: Context<ProjectEnv>) => {
    const row = await options.storage.getFeedback(c.req.param('id') ?? '');
    return row && row.clientId === c.get('client').id ? row : undefined;
  };

  api.get('/:clientId/integrations', async (c) => {
    return c.json({ items: (await trackersOf(c.get('client').id)).map(connectionJson) });
  });

  api.post('/:clientId/integrations', owner, teamBodyCap, async (c) => {
    const head = await readBody(c, newConnectionBody);
    if (!head.ok) return invalidBody(c, head.issues);
    const { kind: kindName, rule, ...fields } = head.value;
    const kind = TRACKER_KINDS[kindName]!;
    const made = await connectTracker(options.storage, {
      clientId: c.get('client').id,
      kind,
      rule,
      fields,
      masterKey: options.masterKey,
      githubApiUrl: options.githubApiUrl ?? GITHUB.defaultApiUrl,
      nowMs: options.nowMs(),
    });
    if (!made.ok) return invalidBody(c, made.issues);
    const { integration } = made;
    const shown = kind.shownOnce?.(integration, { masterKey: options.masterKey, baseUrl: publicBase(c, options.publicUrl) }) ?? {};
    return c.json({ ...connectionJson(integration), ...shown }, 201);
  });

  api.patch('/:clientId/integrations/:integrationId', owner, teamBodyCap, async (c) => {
    const body = await readBody(c, connectionChangeBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const found = await connectionOf(c, c.req.param('integrationId'));
    if (!found) return notFound(c);
    const { enabled, rule } = body.value;
    // Both fields in one write, as for webhooks.
    const change: IntegrationChange = {};
    if (rule !== undefined) change.config = { ...found.config, rule };
    if (enabled !== undefined && enabled !== found.enabled) change.disabledReason = enabled ? null : 'Turned off by an owner';
    if (Object.keys(change).length > 0) await outbox.updateIntegration(found.id, change);
    // Turned on: what waited for it goes now, not at the next poll.
    if (change.disabledReason === null) options.onOutboxQueued?.();
    return c.json(connectionJson((await outbox.getIntegration(found.id))!));
  });

  api.delete('/:clientId/integrations/:integrationId', owner, async (c) => {
    const found = await connectionOf(c, c.req.param('integrationId'));
    if (!found) return notFound(c);
    await outbox.deleteIntegration(found.id);
    return c.body(null, 204);
  });

  api.get('/:clientId/integrations/:integrationId/deliveries', owner, async (c) => {
    const found = await connectionOf(c, c.req.param('integrationId'));
    if (!found) return notFound(c);
    return c.json({ items: (await outbox.listDeliveries(found.id, OUTBOUND.listLimit)).map(deliveryJson) });
  });

  api.get('/:clientId/feedbacks/:id/trackers', async (c) => {
    const feedback = await feedbackOf(c);
    if (!feedback) return c.json({ error: READ_API_ERRORS.feedbackNotFound }, 404);
    const [trackers, links, deliveries] = await Promise.all([trackersOf(feedback.clientId), outbox.linksOf(feedback.id), outbox.deliveriesOf(feedback.id)]);
    const items = trackers.map((integration) =>
      trackerStatus(
        integration,
        links.find((link) => link.integrationId === integration.id),
        deliveries.find((delivery) => delivery.integrationId === integration.id),
      ),
    );
    return c.json({ items });
  });

  // Queued like any delivery (retried, idempotent): the answer says it is on its way.
  api.post('/:clientId/feedbacks/:id/issues', member, teamBodyCap, async (c) => {
    const body = await readBody(c, issueBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const feedback = await feedbackOf(c);
    if (!feedback) return c.json({ error: READ_API_ERRORS.feedbackNotFound }, 404);
    const found = await connectionOf(c, body.value.integrationId);
    if (!found || !TRACKER_KINDS[found.kind]!.createsIssues) return notFound(c);
    const link = await outbox.getLink(found.id, feedback.id);
    const latest = (await outbox.deliveriesOf(feedback.id)).find((d) => d.integrationId === found.id);
    if (link) return c.json(trackerStatus(found, link, latest));
    if (latest?.status === 'pending' && latest.payload === CREATE_ISSUE_PAYLOAD) return c.json({ error: TEAM_ERRORS.issueQueued }, 409);
    const delivery = newDelivery(found, feedback.id, 'issue.create', CREATE_ISSUE_PAYLOAD, new Date(options.nowMs()).toISOString());
    await outbox.insertDeliveries([delivery]);
    options.onOutboxQueued?.();
    return c.json(trackerStatus(found, undefined, delivery), 202);
  });
}
