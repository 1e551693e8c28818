/**
 * The outbound side's rows and operations (outbox-store.ts): a project's integrations
 * (webhook endpoints and trackers), the changes waiting to be told to them, and the durable
 * deliveries that carry each change to each integration until it lands or gives up.
 */

/** What an integration is. */
export type IntegrationKind = 'webhook' | 'github' | 'jira' | 'linear' | 'slack';

/** The events a webhook endpoint may ask for (docs/integrations.md). */
export const WEBHOOK_EVENTS = ['feedback.created', 'feedback.updated', 'comment.created'] as const;

/** One of WEBHOOK_EVENTS. */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A delivery's type: an event, the test event an owner sends by hand, or an issue asked for by hand. */
export type DeliveryType = WebhookEvent | 'webhook.test' | 'issue.create';

/** A project's webhook endpoint or tracker connection. */
export interface Integration {
  /** `whk_` (webhook endpoints) or `int_` (trackers) and random url-safe characters. */
  id: string;
  clientId: string;
  kind: IntegrationKind;
  /** As shown: the endpoint's URL, the repository. */
  name: string;
  /** The events it is told of. */
  events: WebhookEvent[];
  /** The kind's settings; secrets in it are encrypted with the master key (server/auth/keys.ts). */
  config: Record<string, unknown>;
  enabled: boolean;
  /** Why it was turned off (by an owner, or after failing too long); `null` while on. */
  disabledReason: string | null;
  /** When the first of its deliveries that have failed since its last success failed. */
  failingSince: string | null;
  createdAt: string;
}

/** What updateIntegration changes: the fields given, and with `disabledReason` turns it on (`null`, failures forgotten) or off. */
export interface IntegrationChange {
  name?: string;
  events?: WebhookEvent[];
  config?: Record<string, unknown>;
  disabledReason?: string | null;
}

/** A change waiting, in the same transaction as itself, to be fanned out to the project's integrations. */
export interface OutboxEvent {
  /** `evt_` and random url-safe characters. */
  id: string;
  clientId: string;
  type: Exclude<WebhookEvent, 'feedback.created'>;
  feedbackId: string;
  commentId: string | null;
  /** For feedback.updated: which of state, assigneeId, labelIds, priority changed. */
  changes: string[];
  /** The integration whose news caused the change: it is not told of it again. */
  source: string | null;
  createdAt: string;
}

/** Where a delivery stands. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One change (or test event) on its way to one integration. */
export interface Delivery {
  /** `msg_` and random characters: the `webhook-id`, the same on every try. */
  id: string;
  integrationId: string;
  clientId: string;
  feedbackId: string | null;
  type: DeliveryType;
  /** The body as sent, fixed when queued (so every try sends the same bytes). */
  payload: string;
  createdAt: string;
  attempts: number;
  status: DeliveryStatus;
  /** When it is tried (again); `null` once delivered or given up. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** The HTTP status of the last try's answer, `null` when none came. */
  responseStatus: number | null;
  /** The start of the last answer's body. */
  responseExcerpt: string | null;
  /** Why the last try failed. */
  lastError: string | null;
}

/** A report's issue in a tracker. */
export interface TrackerLink {
  integrationId: string;
  feedbackId: string;
  /** The issue's number (GitHub, as a string) or key (Jira, Linear). */
  externalId: string;
  url: string;
  createdAt: string;
}

/** What one try of a delivery came to. */
export type DeliveryOutcome =
  | { delivered: true; at: string; responseStatus: number | null; responseExcerpt: string | null }
  | { delivered: false; at: string; responseStatus: number | null; responseExcerpt: string | null; error: string; nextAttemptAt: string | null };

/** The outbound side's operations. */
export interface OutboxStore {
  insertIntegration(integration: Integration): Promise<void>;
  getIntegration(id: string): Promise<Integration | undefined>;
  /** A project's integrations, oldest first; with `kind`, of that kind only. */
  listIntegrations(clientId: string, kind?: IntegrationKind): Promise<Integration[]>;
  /** Turns it on (`disabledReason` null, failures forgotten) or off with a reason; `false` when absent. */
  setIntegrationEnabled(id: string, disabledReason: string | null): Promise<boolean>;
  /** Changes what `change` gives, in one statement; `false` when absent. */
  updateIntegration(id: string, change: IntegrationChange): Promise<boolean>;
  /** Deletes it with its deliveries; `false` when absent. */
  deleteIntegration(id: string): Promise<boolean>;

  /** Reports not yet announced (feedback.created), oldest first. */
  unannounced(limit: number): Promise<{ id: string; clientId: string }[]>;
  /** Marks announced, in one statement, every report of a project with no integration turned on. */
  announceQuiet(): Promise<void>;
  /** Marks a report announced with its deliveries, once: `false` (nothing written) when it already was. */
  announce(feedbackId: string, deliveries: readonly Delivery[]): Promise<boolean>;
  /** Changes waiting to be fanned out, oldest first. */
  pendingEvents(limit: number): Promise<OutboxEvent[]>;
  /** Replaces a waiting change by its deliveries, once: `false` (nothing written) when another instance did. */
  fanOut(eventId: string, deliveries: readonly Delivery[]): Promise<boolean>;
  insertDeliveries(deliveries: readonly Delivery[]): Promise<void>;

  /**
   * Claims up to `limit` deliveries due at `nowIso` until `lockedUntilIso`, of integrations
   * turned on; due first. Claimers at once take different ones; a lapsed claim is taken again.
   */
  claimDeliveries(nowIso: string, lockedUntilIso: string, limit: number): Promise<Delivery[]>;
  /** Records a try and releases the claim; the integration's `failingSince` follows (cleared on success). */
  finishDelivery(delivery: Delivery, outcome: DeliveryOutcome): Promise<void>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  /** An integration's deliveries, newest first. */
  listDeliveries(integrationId: string, limit: number): Promise<Delivery[]>;
  /** A report's deliveries to its project's integrations, newest first. */
  deliveriesOf(feedbackId: string): Promise<Delivery[]>;
  /** Queues a delivery again at `nowIso` with its tries reset; `false` when absent or pending. */
  redeliver(id: string, nowIso: string): Promise<boolean>;

  /** Stores a report's issue, unless the report already has one there: returns the one that stands. */
  saveLink(link: TrackerLink): Promise<TrackerLink>;
  getLink(integrationId: string, feedbackId: string): Promise<TrackerLink | undefined>;
  /** The report an issue of this integration belongs to. */
  linkOfIssue(integrationId: string, externalId: string): Promise<TrackerLink | undefined>;
  /** A report's issues, oldest first. */
  linksOf(feedbackId: string): Promise<TrackerLink[]>;
}
