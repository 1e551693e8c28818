/**
 * The OutboxStore, written once over an engine's TeamSql (team-sql.ts), as the team store
 * is: SQLite and PostgreSQL run the same statements. It only stores; ids, times, payloads
 * and retry rules are the caller's (server/outbox).
 */
import { flag, setList, type Stmt, type TeamSql } from './team-sql.ts';
import type * as T from './outbox-types.ts';

const q = (sql: string, ...params: unknown[]): Stmt => ({ sql, params });

type Flag = number | boolean;

interface IntegrationRecord {
  id: string;
  client_id: string;
  kind: T.IntegrationKind;
  name: string;
  events: string;
  config: string;
  enabled: Flag;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
}

function toIntegration(r: IntegrationRecord): T.Integration {
  return {
    id: r.id,
    clientId: r.client_id,
    kind: r.kind,
    name: r.name,
    events: JSON.parse(r.events) as T.WebhookEvent[],
    config: JSON.parse(r.config) as Record<string, unknown>,
    enabled: Boolean(r.enabled),
    disabledReason: r.disabled_reason,
    failingSince: r.failing_since,
    createdAt: r.created_at,
  };
}

interface EventRecord {
  id: string;
  client_id: string;
  type: T.OutboxEvent['type'];
  feedback_id: string;
  comment_id: string | null;
  changes: string;
  source: string | null;
  created_at: string;
}

function toEvent(r: EventRecord): T.OutboxEvent {
  return {
    id: r.id,
    clientId: r.client_id,
    type: r.type,
    feedbackId: r.feedback_id,
    commentId: r.comment_id,
    changes: JSON.parse(r.changes) as string[],
    source: r.source,
    createdAt: r.created_at,
  };
}

interface DeliveryRecord {
  id: string;
  integration_id: string;
  client_id: string;
  feedback_id: string | null;
  type: T.DeliveryType;
  payload: string;
  created_at: string;
  attempts: number | string;
  status: T.DeliveryStatus;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  response_status: number | string | null;
  response_excerpt: string | null;
  last_error: string | null;
}

function toDelivery(r: DeliveryRecord): T.Delivery {
  return {
    id: r.id,
    integrationId: r.integration_id,
    clientId: r.client_id,
    feedbackId: r.feedback_id,
    type: r.type,
    payload: r.payload,
    createdAt: r.created_at,
    attempts: Number(r.attempts),
    status: r.status,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    responseExcerpt: r.response_excerpt,
    lastError: r.last_error,
  };
}

/** The INSERT of a change's outbox event (server/storage/team-transfer.ts effectStatements). */
export function eventInsert(e: T.OutboxEvent): Stmt {
  return q(
    `INSERT INTO outbox_events (id, client_id, type, feedback_id, comment_id, changes, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    e.id, e.clientId, e.type, e.feedbackId, e.commentId, JSON.stringify(e.changes), e.source, e.createdAt,
  );
}

function deliveryInsert(d: T.Delivery): Stmt {
  return q(
    `INSERT INTO deliveries (id, integration_id, client_id, feedback_id, type, payload, created_at, attempts, status, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    d.id, d.integrationId, d.clientId, d.feedbackId, d.type, d.payload, d.createdAt, d.attempts, d.status, d.nextAttemptAt,
  );
}

interface LinkRecord {
  integration_id: string;
  feedback_id: string;
  external_id: string;
  url: string;
  created_at: string;
}

const toLink = (r: LinkRecord): T.TrackerLink => ({
  integrationId: r.integration_id,
  feedbackId: r.feedback_id,
  externalId: r.external_id,
  url: r.url,
  createdAt: r.created_at,
});

/** One UPDATE of the fields a change gives (turning on or off also sets the reason and forgets the failures). */
function integrationUpdate(id: string, change: T.IntegrationChange): Stmt {
  const { sets, values, set } = setList();
  if (change.name !== undefined) set('name', change.name);
  if (change.events !== undefined) set('events', JSON.stringify(change.events));
  if (change.config !== undefined) set('config', JSON.stringify(change.config));
  if (change.disabledReason !== undefined) {
    set('enabled', flag(change.disabledReason === null));
    set('disabled_reason', change.disabledReason);
    sets.push('failing_since = NULL');
  }
  // Nothing to change still says whether it exists.
  if (sets.length === 0) sets.push('name = name');
  return q(`UPDATE integrations SET ${sets.join(', ')} WHERE id = ?`, ...values, id);
}

const byDue = (a: T.Delivery, b: T.Delivery) =>
  a.nextAttemptAt === b.nextAttemptAt ? (a.id < b.id ? -1 : 1) : (a.nextAttemptAt ?? '') < (b.nextAttemptAt ?? '') ? -1 : 1;

/** The outbox store on an engine. */
export function createOutboxStore(sql: TeamSql): T.OutboxStore {
  const all = <R, V>(statement: Stmt, convert: (r: R) => V) => sql.rows<R>(statement).then((found) => found.map(convert));
  const one = async <R, V>(statement: Stmt, convert: (r: R) => V) => (await all(statement, convert))[0];
  const changed = async (statement: Stmt) => (await sql.changes(statement)) > 0;

  return {
    async insertIntegration(i) {
      await sql.changes(
        q(
          `INSERT INTO integrations (id, client_id, kind, name, events, config, enabled, disabled_reason, failing_since, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          i.id, i.clientId, i.kind, i.name, JSON.stringify(i.events), JSON.stringify(i.config), flag(i.enabled), i.disabledReason, i.failingSince, i.createdAt,
        ),
      );
    },
    getIntegration: (id) => one(q('SELECT * FROM integrations WHERE id = ?', id), toIntegration),
    listIntegrations: (clientId, kind) =>
      kind === undefined
        ? all(q('SELECT * FROM integrations WHERE client_id = ? ORDER BY created_at, id', clientId), toIntegration)
        : all(q('SELECT * FROM integrations WHERE client_id = ? AND kind = ? ORDER BY created_at, id', clientId, kind), toIntegration),
    setIntegrationEnabled: (id, reason) => changed(integrationUpdate(id, { disabledReason: reason })),
    updateIntegration: (id, change) => changed(integrationUpdate(id, change)),
    // Its deliveries go with it (ON DELETE CASCADE), in the same statement.
    deleteIntegration: (id) => changed(q('DELETE FROM integrations WHERE id = ?', id)),

    unannounced: (limit) =>
      sql.rows<{ id: string; client_id: string }>(q('SELECT id, client_id FROM feedback WHERE announced = 0 ORDER BY created_at, id LIMIT ?', limit))
        .then((found) => found.map((r) => ({ id: r.id, clientId: r.client_id }))),
    async announceQuiet() {
      await sql.changes(
        q(
          `UPDATE feedback SET announced = 1 WHERE announced = 0
             AND NOT EXISTS (SELECT 1 FROM integrations i WHERE i.client_id = feedback.client_id AND i.enabled = ?)`,
          flag(true),
        ),
      );
    },
    announce: (feedbackId, deliveries) =>
      sql.batch([{ ...q('UPDATE feedback SET announced = 1 WHERE id = ? AND announced = 0', feedbackId), guard: true }, ...deliveries.map(deliveryInsert)]),
    pendingEvents: (limit) => all(q('SELECT * FROM outbox_events ORDER BY created_at, id LIMIT ?', limit), toEvent),
    fanOut: (eventId, deliveries) => sql.batch([{ ...q('DELETE FROM outbox_events WHERE id = ?', eventId), guard: true }, ...deliveries.map(deliveryInsert)]),
    async insertDeliveries(deliveries) {
      if (deliveries.length > 0) await sql.batch(deliveries.map(deliveryInsert));
    },

    // One statement, as claimEmails (team-sql.ts): the choice and the lock are one write, and
    // the outer condition is checked again on each row, so a row taken meanwhile is left out.
    async claimDeliveries(nowIso, lockedUntilIso, limit) {
      const due = 'next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)';
      const on = 'EXISTS (SELECT 1 FROM integrations i WHERE i.id = deliveries.integration_id AND i.enabled = ?)';
      const claimed = await all(
        q(
          `UPDATE deliveries SET locked_until = ?
           WHERE id IN (SELECT id FROM deliveries WHERE ${due} AND ${on} ORDER BY next_attempt_at, id LIMIT ? ${sql.skipLocked})
             AND ${due}
           RETURNING *`,
          lockedUntilIso, nowIso, nowIso, flag(true), limit, nowIso, nowIso,
        ),
        toDelivery,
      );
      // RETURNING keeps no order.
      return claimed.sort(byDue);
    },
    async finishDelivery(delivery, outcome) {
      const tried = 'attempts = attempts + 1, locked_until = NULL, last_attempt_at = ?, response_status = ?, response_excerpt = ?';
      const common = [outcome.at, outcome.responseStatus, outcome.responseExcerpt];
      await sql.batch(
        outcome.delivered
          ? [
              q(`UPDATE deliveries SET ${tried}, status = 'delivered', next_attempt_at = NULL, last_error = NULL WHERE id = ?`, ...common, delivery.id),
              // Written only when it changes: a matching row is locked till commit, so every
              // delivery of one endpoint writing it would finish one after another.
              q('UPDATE integrations SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL', delivery.integrationId),
            ]
          : [
              q(
                `UPDATE deliveries SET ${tried}, status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`,
                ...common, outcome.nextAttemptAt === null ? 'failed' : 'pending', outcome.nextAttemptAt, outcome.error, delivery.id,
              ),
              q('UPDATE integrations SET failing_since = ? WHERE id = ? AND failing_since IS NULL', outcome.at, delivery.integrationId),
            ],
      );
    },
    getDelivery: (id) => one(q('SELECT * FROM deliveries WHERE id = ?', id), toDelivery),
    listDeliveries: (integrationId, limit) =>
      all(q('SELECT * FROM deliveries WHERE integration_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', integrationId, limit), toDelivery),
    deliveriesOf: (feedbackId) => all(q('SELECT * FROM deliveries WHERE feedback_id = ? ORDER BY created_at DESC, id DESC', feedbackId), toDelivery),
    redeliver: (id, nowIso) =>
      changed(
        q(
          `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, locked_until = NULL WHERE id = ? AND status <> 'pending'`,
          nowIso, id,
        ),
      ),

    async saveLink(link) {
      await sql.changes(
        q(
          `INSERT INTO tracker_links (integration_id, feedback_id, external_id, url, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (integration_id, feedback_id) DO NOTHING`,
          link.integrationId, link.feedbackId, link.externalId, link.url, link.createdAt,
        ),
      );
      return (await this.getLink(link.integrationId, link.feedbackId))!;
    },
    getLink: (integrationId, feedbackId) =>
      one(q('SELECT * FROM tracker_links WHERE integration_id = ? AND feedback_id = ?', integrationId, feedbackId), toLink),
    linkOfIssue: (integrationId, externalId) =>
      one(q('SELECT * FROM tracker_links WHERE integration_id = ? AND external_id = ?', integrationId, externalId), toLink),
    linksOf: (feedbackId) => all(q('SELECT * FROM tracker_links WHERE feedback_id = ? ORDER BY created_at, integration_id', feedbackId), toLink),
  };
}
