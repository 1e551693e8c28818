/**
 * Slack as a tracker: a message per new report (every one unless the connection's rule says
 * which ratings) through an incoming webhook, sent by Slack's own client (`@slack/webhook`)
 * with its `fetch` over the guarded client (safe-http.ts). The webhook URL is the secret:
 * stored encrypted under the connection's id, shown only by its host.
 *
 * Slack answers `200 ok`, or a status with a short reason: 400 `invalid_payload`, 403
 * `action_prohibited`, 404 `no_service` (the webhook was removed), 410 `channel_is_archived`,
 * 429 with `Retry-After`, 500 `rollup_error`
 * (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks#handling_errors).
 */
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import * as z from 'zod/mini';
import { decryptSecret, encryptSecret } from '../auth/keys.ts';
import { OUTBOUND, SLACK } from '../constants.ts';
import { oneLine } from '../inbox/client/markdown-text.ts';
import type { Integration } from '../storage/outbox-types.ts';
import { endpointIssues } from './endpoints.ts';
import { guardedFetch, retryAfterMs } from './safe-http.ts';
import { slackMessage } from './slack-message.ts';
import type { OutboxContext, SendResult, Target } from './targets.ts';
import { ruleMatches, ruleOf, type TrackerKind } from './trackers.ts';

/** `POST /api/projects/:clientId/integrations` with `kind: "slack"`. */
const slackBody = z.strictObject({
  url: z.string({ error: 'Must be a Slack incoming webhook URL' }).check(z.trim(), z.maxLength(2048, { error: 'Must be at most 2048 characters' })),
});

/** A Slack connection's settings as the API shows them: the webhook's host only (its URL is the secret). */
const slackSettings = z.object({ host: z.string() });

/** The connection's webhook URL in clear. */
function webhookUrl(masterKey: Uint8Array, integration: Integration): string {
  return decryptSecret(masterKey, integration.id, String(integration.config.url));
}

/** What one refused or failed try means for the next; 403, 404 and 410 need an owner (a new webhook URL). */
function failure(error: unknown, answer: Response | undefined): SendResult {
  if (error instanceof IncomingWebhookRequestError) return { ok: false, status: null, excerpt: null, error: error.original.message };
  if (!(error instanceof IncomingWebhookHTTPError)) throw error;
  const excerpt = error.body.slice(0, OUTBOUND.excerptChars);
  const reason = oneLine(excerpt).slice(0, 100);
  const attention = (SLACK.attentionStatuses as readonly number[]).includes(error.statusCode) ? ` (${SLACK.needsAttention})` : '';
  return {
    ok: false,
    status: error.statusCode,
    excerpt,
    error: `Slack answered ${error.statusCode}${reason ? `: ${reason}` : ''}${attention}`,
    retryAfterMs: retryAfterMs(answer?.headers.get('retry-after') ?? undefined, Date.now()),
  };
}

async function post(payload: string, integration: Integration, ctx: OutboxContext): Promise<SendResult> {
  // The last answer, for what Slack's client leaves out of its error (the status of a success, Retry-After).
  let answer: Response | undefined;
  const guarded = guardedFetch({ allowedHosts: ctx.allowedHosts, timeoutMs: ctx.timeoutMs, maxResponseBytes: OUTBOUND.maxResponseBytes });
  const hook = new IncomingWebhook(webhookUrl(ctx.masterKey, integration), {
    fetch: async (input, init) => (answer = await guarded(input, init)),
    // The outbox retries, durably; the client's own retries stay off.
    retryConfig: { retries: 0 },
  });
  try {
    // The client writes the parsed payload back with JSON.stringify: the same bytes on every try.
    const sent = await hook.send(JSON.parse(payload) as Parameters<IncomingWebhook['send']>[0]);
    return { ok: true, status: answer?.status ?? null, excerpt: sent.text.slice(0, OUTBOUND.excerptChars) };
  } catch (error) {
    return failure(error, answer);
  }
}

/** The Slack target: a message for each new report its rule takes, fixed when queued. */
export const slackTarget: Target = {
  plan(integration, change, ctx) {
    if (change.type !== 'feedback.created' || !ruleMatches(ruleOf(integration), change.item)) return undefined;
    return JSON.stringify(slackMessage(change.item, ctx.baseUrl));
  },
  send: (delivery, integration, ctx) => post(delivery.payload, integration, ctx),
};

/** A Slack connection as owners make it: every new report unless a rule says which. */
export const slackKind: TrackerKind<z.infer<typeof slackBody>, z.infer<typeof slackSettings>> = {
  kind: 'slack',
  body: slackBody,
  secretField: 'url',
  settings: slackSettings,
  defaultRule: {},
  // The same check as a webhook endpoint's URL; where it resolves to is checked when sending.
  issues: (body) => endpointIssues({ url: body.url }),
  connect(body, ctx) {
    const host = new URL(body.url).host;
    return { name: host, events: ['feedback.created'], config: { host, url: encryptSecret(ctx.masterKey, ctx.id, body.url) } };
  },
  json: (integration) => ({ host: integration.config.host as string }),
};
