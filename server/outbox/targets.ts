/**
 * What the outbox worker (worker.ts) asks of each kind of integration: which changes it
 * wants and what is sent for them (fixed when queued), and how one delivery is sent. Webhook
 * endpoints are one kind (webhook.ts); each tracker is another.
 */
import type { FeedbackItemJson } from '../read-api/items.ts';
import type { Delivery, Integration, IntegrationKind } from '../storage/outbox-types.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';

/** A change as the integrations are told of it. */
export type OutboxChange =
  | { type: 'feedback.created'; item: FeedbackItemJson }
  | { type: 'feedback.updated'; item: FeedbackItemJson; changes: string[]; source: string | null }
  | { type: 'comment.created'; item: FeedbackItemJson; comment: Record<string, unknown> }
  | { type: 'webhook.test'; item: null };

/** What planning a delivery needs. */
export interface PlanContext {
  /** Where links to the inbox and files start, without a trailing slash. */
  baseUrl: string;
  nowMs: () => number;
}

/** What sending needs besides the delivery. */
export interface OutboxContext extends PlanContext {
  storage: Storage;
  /** Decrypts the integrations' secrets (server/auth/keys.ts). */
  masterKey: Uint8Array;
  /** Hosts that may be private (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** Each request's deadline; default OUTBOUND.timeoutMs. */
  timeoutMs?: number;
  /** The stored files (a report's replay, read for its repro steps); without it, steps come from metadata only. */
  files?: FileStore;
}

/** What one try came to. `status` and `excerpt` are the answer's, when one came. */
export type SendResult =
  | { ok: true; status: number | null; excerpt: string | null }
  | { ok: false; status: number | null; excerpt: string | null; error: string; retryAfterMs?: number };

/** One kind of integration. */
export interface Target {
  /** The payload to queue for this change, or `undefined` when the integration does not want it. */
  plan(integration: Integration, change: OutboxChange, ctx: PlanContext): string | undefined;
  send(delivery: Delivery, integration: Integration, ctx: OutboxContext): Promise<SendResult>;
}

/** The targets of the kinds this server delivers to. */
export type Targets = Partial<Record<IntegrationKind, Target>>;
