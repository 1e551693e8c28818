/**
 * Webhook endpoints as an outbox target: the Standard Webhooks envelope
 * (`{"type","timestamp","data"}`), signed with the endpoint's `whsec_` secret by the
 * `standardwebhooks` library (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`),
 * sent through the guarded client (safe-http.ts). `data` of a feedback event is the read API's
 * item; of `comment.created`, the comment as the API shows it with its report's id.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { decryptSecret, encryptSecret } from '../auth/keys.ts';
import { OUTBOUND } from '../constants.ts';
import type { Integration } from '../storage/outbox-types.ts';
import { OutboundError, sendOutbound } from './safe-http.ts';
import type { OutboxChange, SendResult, Target } from './targets.ts';

/** A new signing secret: `whsec_` and the base64 of 24 random bytes (the specification's form). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** An endpoint's config as stored: its URL and its secret encrypted under its id. */
export function webhookConfig(masterKey: Uint8Array, id: string, url: string, secret: string): Record<string, unknown> {
  return { url, secret: encryptSecret(masterKey, id, secret) };
}

/** The endpoint's signing secret in clear. */
export function webhookSecret(masterKey: Uint8Array, integration: Integration): string {
  return decryptSecret(masterKey, integration.id, String(integration.config.secret));
}

function dataOf(change: OutboxChange): unknown {
  switch (change.type) {
    case 'comment.created':
      return { ...change.comment, feedbackId: change.item.id, clientId: change.item.clientId };
    case 'webhook.test':
      return { message: 'A test event sent from the Loupe inbox' };
    default:
      return change.item;
  }
}

/** The webhook endpoint target. */
export const webhookTarget: Target = {
  plan(integration, change, ctx) {
    if (change.type !== 'webhook.test' && !integration.events.includes(change.type)) return undefined;
    return JSON.stringify({ type: change.type, timestamp: new Date(ctx.nowMs()).toISOString(), data: dataOf(change) });
  },

  async send(delivery, integration, ctx): Promise<SendResult> {
    const signer = new Webhook(webhookSecret(ctx.masterKey, integration));
    const at = new Date(ctx.nowMs());
    try {
      const answer = await sendOutbound({
        url: String(integration.config.url),
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signer.sign(delivery.id, at, delivery.payload),
        },
        body: delivery.payload,
        allowedHosts: ctx.allowedHosts,
        timeoutMs: ctx.timeoutMs,
      });
      const excerpt = answer.body.slice(0, OUTBOUND.excerptChars);
      if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status, excerpt };
      const error = answer.status >= 300 && answer.status < 400 ? `Redirected to ${answer.location ?? 'nowhere'}: redirects are not followed` : `Answered ${answer.status}`;
      return { ok: false, status: answer.status, excerpt, error, retryAfterMs: answer.retryAfterMs };
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      return { ok: false, status: null, excerpt: null, error: error.message };
    }
  },
};
