/**
 * The outbound side's requests of openapi.test.ts (webhooks, trackers, GitHub's webhook), as
 * openapi-cases.ts writes the rest: project A's endpoint with a delivered test event, its
 * GitHub connection (to a local GitHub API) with a report linked to an issue, and one turned
 * off, whose deliveries wait.
 */
import { expect, vi } from 'vitest';
import { startGitHubApi, type GitHubApi } from './github-api.ts';
import { hookHeaders, issuesEvent } from './github-hooks.ts';
import { postFeedback, type TestServer } from './helpers.ts';
import type { Case, Sent, World } from './openapi-cases.ts';
import { callAs, type TestPerson } from './team-helpers.ts';
import { startReceiver, type TestReceiver } from './webhook-receiver.ts';

const P = '/api/projects/{clientId}';
const REPO = 'acme/shop';
const TOKEN = 'github_pat_11AAAAAAA0openapiTestToken';
let n = 0;

/** What the outbound requests name, and the stand-ins they talk to. */
export interface Outbound {
  github: GitHubApi;
  receiver: TestReceiver;
  /** The path values: A's endpoint, its delivered test event, its GitHub connection and the report linked to an issue there. */
  ids: { webhookId: string; deliveryId: string; integrationId: string; linkedId: string };
  /** The linked issue's number, and the connection's webhook secret. */
  issue: number;
  secret: string;
  /** A's GitHub connection turned off: what is queued for it waits. */
  pausedId: string;
}

/** Starts the local GitHub API and the webhook receiver, for startTestServer's `githubApiUrl` and to deliver to. */
export async function startStandIns(): Promise<Pick<Outbound, 'github' | 'receiver'>> {
  return { github: await startGitHubApi({ token: TOKEN, repo: REPO }), receiver: await startReceiver() };
}

// Waits (outside a test: in beforeAll) until `value` is `expected`.
const settled = (value: () => Promise<unknown>, expected: unknown) => vi.waitFor(async () => expect(await value()).toBe(expected), { timeout: 10_000, interval: 50 });

// As the owner, in project A.
const asOwner = (t: TestServer, clientId: string, owner: TestPerson) => (path: string, method = 'GET', body?: unknown) =>
  callAs(t, owner, `/api/projects/${clientId}${path}`, { method, body });

/** A's endpoint and GitHub connections, a delivered delivery and a linked report; the worker must deliver to loopback. */
export async function setUpOutbound(t: TestServer, clientId: string, owner: TestPerson, standIns: Pick<Outbound, 'github' | 'receiver'>): Promise<Outbound> {
  const call = asOwner(t, clientId, owner);
  const webhookId = (await call('/webhooks', 'POST', { url: standIns.receiver.url })).json.id as string;
  const deliveryId = (await call(`/webhooks/${webhookId}/test`, 'POST')).json.id as string;
  await settled(async () => (await call(`/webhooks/${webhookId}/deliveries`)).json.items[0]?.status, 'delivered');
  const connection = (await call('/integrations', 'POST', { kind: 'github', repo: REPO, token: TOKEN })).json;
  const linkedId = ((await (await postFeedback(t.url, { clientId, rating: 1, comment: 'Checkout is broken' })).json()) as { feedbackId: string }).feedbackId;
  expect((await call(`/feedbacks/${linkedId}/issues`, 'POST', { integrationId: connection.id })).status).toBe(202);
  await settled(async () => (await call(`/feedbacks/${linkedId}/trackers`)).json.items[0]?.status, 'linked');
  const pausedId = (await call('/integrations', 'POST', { kind: 'github', repo: REPO, token: TOKEN })).json.id as string;
  expect((await call(`/integrations/${pausedId}`, 'PATCH', { enabled: false })).status).toBe(200);
  const issue = standIns.github.issues.get(REPO)![0]!.number;
  return { ...standIns, ids: { webhookId, deliveryId, integrationId: connection.id, linkedId }, issue, secret: connection.hook.secret, pausedId };
}

/** Objects made afresh for a request that deletes one, or that needs one waiting. */
function makers(w: World) {
  const call = asOwner(w.t, w.a.id, w.people.owner);
  const made = async (path: string, body?: unknown) => (await call(path, 'POST', body)).json.id as string;
  const endpoint = () => made('/webhooks', { url: w.outbound.receiver.url });
  return {
    endpoint,
    connection: () => made('/integrations', { kind: 'github', repo: REPO, token: TOKEN }),
    report: async () => ((await (await postFeedback(w.t.url, { clientId: w.a.id, rating: 3, comment: `Report ${++n}` })).json()) as { feedbackId: string }).feedbackId,
    // Queued to an endpoint turned off: it stays pending.
    async pendingDelivery(): Promise<string> {
      const id = await endpoint();
      await call(`/webhooks/${id}`, 'PATCH', { enabled: false });
      return made(`/webhooks/${id}/test`);
    },
  };
}

/** A delivery of GitHub's webhook for A's connection: `body` as JSON (signed as sent) or as text. */
async function hook(w: World, body: unknown, event = 'issues', secret = w.outbound.secret): Promise<Sent> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const sent = typeof body === 'string' ? { text } : { body };
  return { who: 'nobody', path: { integrationId: w.outbound.ids.integrationId }, headers: await hookHeaders(text, secret, event), ...sent };
}

/** One success for every outbound operation. */
export function outboundSuccesses(w: World): Record<string, () => Promise<Sent>> {
  const fresh = makers(w);
  const { ids, issue } = w.outbound;
  return {
    [`GET ${P}/webhooks`]: async () => ({ who: 'owner' }),
    [`POST ${P}/webhooks`]: async () => ({ who: 'owner', body: { url: w.outbound.receiver.url, events: ['feedback.created', 'comment.created'] } }),
    [`PATCH ${P}/webhooks/{webhookId}`]: async () => ({ who: 'owner', body: { events: ['feedback.created', 'feedback.updated', 'comment.created'], enabled: true } }),
    [`DELETE ${P}/webhooks/{webhookId}`]: async () => ({ who: 'owner', path: { webhookId: await fresh.endpoint() } }),
    [`GET ${P}/webhooks/{webhookId}/deliveries`]: async () => ({ who: 'owner' }),
    [`POST ${P}/webhooks/{webhookId}/test`]: async () => ({ who: 'owner' }),
    [`POST ${P}/webhooks/deliveries/{deliveryId}/redeliver`]: async () => ({ who: 'owner' }),

    [`GET ${P}/integrations`]: async () => ({ who: 'viewer' }),
    [`POST ${P}/integrations`]: async () => ({ who: 'owner', body: { kind: 'github', repo: REPO, token: TOKEN, labels: ['loupe'] } }),
    [`PATCH ${P}/integrations/{integrationId}`]: async () => ({ who: 'owner', body: { rule: null, enabled: true } }),
    [`DELETE ${P}/integrations/{integrationId}`]: async () => ({ who: 'owner', path: { integrationId: await fresh.connection() } }),
    [`GET ${P}/integrations/{integrationId}/deliveries`]: async () => ({ who: 'owner' }),
    [`GET ${P}/feedbacks/{id}/trackers`]: async () => ({ who: 'key', path: { id: ids.linkedId } }),
    [`POST ${P}/feedbacks/{id}/issues`]: async () => ({ who: 'member', path: { id: ids.linkedId }, body: { integrationId: ids.integrationId } }),

    'POST /api/integrations/{integrationId}/github': () => hook(w, JSON.parse(issuesEvent('closed', issue, REPO))),
  };
}

/** Refusals (and the other successes) the test cannot derive from a success. */
export function outboundCases(w: World): Case[] {
  const fresh = makers(w);
  const { ids, issue, pausedId } = w.outbound;
  const c = (route: string, status: number, sent: () => Promise<Sent>): Case => ({ route, status, sent });
  const nope = (name: string) => ({ [name]: `${name}_nope` });
  const hookRoute = 'POST /api/integrations/{integrationId}/github';
  return [
    c(`POST ${P}/webhooks`, 400, async () => ({ who: 'owner', body: { url: 'ftp://files.example.com/', events: ['feedback.deleted'] } })),
    c(`PATCH ${P}/webhooks/{webhookId}`, 400, async () => ({ who: 'owner', body: { events: [] } })),
    c(`PATCH ${P}/webhooks/{webhookId}`, 404, async () => ({ who: 'owner', path: nope('webhookId'), body: { enabled: true } })),
    c(`DELETE ${P}/webhooks/{webhookId}`, 404, async () => ({ who: 'owner', path: nope('webhookId') })),
    c(`GET ${P}/webhooks/{webhookId}/deliveries`, 404, async () => ({ who: 'owner', path: nope('webhookId') })),
    c(`GET ${P}/webhooks`, 403, async () => ({ who: 'member' })),
    c(`POST ${P}/webhooks/{webhookId}/test`, 404, async () => ({ who: 'owner', path: nope('webhookId') })),
    c(`POST ${P}/webhooks/deliveries/{deliveryId}/redeliver`, 404, async () => ({ who: 'owner', path: nope('deliveryId') })),
    c(`POST ${P}/webhooks/deliveries/{deliveryId}/redeliver`, 409, async () => ({ who: 'owner', path: { deliveryId: await fresh.pendingDelivery() } })),

    c(`POST ${P}/integrations`, 201, async () => ({ who: 'owner', body: { kind: 'slack', url: `${w.outbound.receiver.url}/slack`, rule: { ratings: [1] } } })),
    c(`POST ${P}/integrations`, 400, async () => ({ who: 'owner', body: { kind: 'github', repo: 'not a repo', token: '' } })),
    c(`PATCH ${P}/integrations/{integrationId}`, 404, async () => ({ who: 'owner', path: nope('integrationId'), body: {} })),
    c(`DELETE ${P}/integrations/{integrationId}`, 404, async () => ({ who: 'owner', path: nope('integrationId') })),
    c(`GET ${P}/integrations/{integrationId}/deliveries`, 404, async () => ({ who: 'owner', path: { integrationId: ids.webhookId } })),
    c(`GET ${P}/feedbacks/{id}/trackers`, 404, async () => ({ who: 'viewer', path: nope('id') })),
    c(`POST ${P}/feedbacks/{id}/issues`, 202, async () => ({ who: 'member', path: { id: await fresh.report() }, body: { integrationId: ids.integrationId } })),
    c(`POST ${P}/feedbacks/{id}/issues`, 403, async () => ({ who: 'viewer', body: { integrationId: ids.integrationId } })),
    c(`POST ${P}/feedbacks/{id}/issues`, 404, async () => ({ who: 'member', body: { integrationId: nope('integrationId').integrationId } })),
    c(`POST ${P}/feedbacks/{id}/issues`, 409, async () => {
      const id = await fresh.report();
      const asked = { who: 'member' as const, path: { id }, body: { integrationId: pausedId } };
      expect((await callAs(w.t, w.people.member, `/api/projects/${w.a.id}/feedbacks/${id}/issues`, { method: 'POST', body: asked.body })).status).toBe(202);
      return asked;
    }),

    c(hookRoute, 200, () => hook(w, { zen: 'Keep it logically awesome.' }, 'ping')),
    c(hookRoute, 202, () => hook(w, JSON.parse(issuesEvent('reopened', issue + 1000, REPO)))),
    c(hookRoute, 400, () => hook(w, 'not json')),
    c(hookRoute, 401, () => hook(w, JSON.parse(issuesEvent('reopened', issue, REPO)), 'issues', 'not-the-secret')),
    c(hookRoute, 404, async () => ({ ...(await hook(w, {})), path: nope('integrationId') })),
  ];
}
