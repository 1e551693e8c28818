/**
 * Jira's webhook for a connection, at POST /api/integrations/:integrationId/jira: the way back
 * from a Jira project. An admin registers it (Settings → System → WebHooks) with the secret
 * shown when the connection was made; Jira then signs each body with it, HMAC-SHA256 in
 * `X-Hub-Signature: sha256=<hex>`. An issue's status changed (`jira:issue_updated` with a
 * `status` item in its changelog) moves its report to the Loupe state the connection maps
 * that status to; a status the mapping does not name is ignored. Triaged with the connection
 * as its source, so it is not sent back to Jira (no echo).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { JIRA, SERVER_ERRORS } from '../constants.ts';
import { jiraHookSecret, statusMapOf } from '../outbox/jira.ts';
import type { Integration } from '../storage/outbox-types.ts';
import type { FeedbackState } from '../storage/types.ts';
import { hookBodyCap, moveLinkedReport, type TrackerHookOptions } from './tracker-hook.ts';

/** The parts of Jira's issue event the hook reads. */
interface IssueEvent {
  webhookEvent?: string;
  issue?: { id?: string; key?: string };
  changelog?: { items?: { field?: string; fieldId?: string; toString?: string | null }[] };
}

/** Whether `X-Hub-Signature` is the body's HMAC-SHA256 under the connection's secret. */
function signedBy(secret: string, body: string, header: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/** The Loupe state a Jira status is in the connection's mapping (names match without case). */
function stateOfStatus(integration: Integration, status: string): FeedbackState | undefined {
  const found = Object.entries(statusMapOf(integration)).find(([, name]) => name.toLowerCase() === status.toLowerCase());
  return found?.[0] as FeedbackState | undefined;
}

/** The sub-app to mount at `/api/integrations`. */
export function createJiraHook(options: TrackerHookOptions): Hono {
  const app = new Hono();
  app.post('/:integrationId/jira', hookBodyCap(JIRA.hookMaxBytes), async (c) => {
    const integration = await options.storage.outbox.getIntegration(c.req.param('integrationId'));
    if (!integration || integration.kind !== 'jira') return c.json({ error: SERVER_ERRORS.notFound }, 404);
    const text = await c.req.text();
    if (!signedBy(jiraHookSecret(options.masterKey, integration), text, c.req.header('x-hub-signature') ?? '')) {
      return c.json({ error: 'Signature does not match (X-Hub-Signature)' }, 401);
    }
    if (!integration.enabled) return c.json({ ok: true, ignored: 'The connection is turned off' }, 202);
    let payload: IssueEvent;
    try {
      payload = JSON.parse(text) as IssueEvent;
    } catch {
      return c.json({ error: SERVER_ERRORS.bodyNotJson }, 400);
    }
    const change = payload.webhookEvent === 'jira:issue_updated' ? payload.changelog?.items?.find((item) => (item.fieldId ?? item.field) === 'status') : undefined;
    if (!change) return c.json({ ok: true, ignored: `Not an issue's status changed (${payload.webhookEvent ?? 'no event'})` }, 202);
    const status = change.toString ?? '';
    const state = stateOfStatus(integration, status);
    if (!state) return c.json({ ok: true, ignored: `The status "${status}" is not mapped to a Loupe state` }, 202);
    const link = await options.storage.outbox.linkOfIssue(integration.id, payload.issue?.key ?? '');
    if (!link) return c.json({ ok: true, ignored: 'No report is linked to this issue' }, 202);
    return moveLinkedReport(c, options, integration, link, state, 'Jira');
  });
  return app;
}
