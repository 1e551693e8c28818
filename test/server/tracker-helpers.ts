/** What the tracker tests (github.test.ts, jira.test.ts) share: a server with a project connected, a report, where it stands. */
import { expect } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { StartOptions } from '../../server/start.ts';
import { postFeedback, startTestServer, type TestServer } from './helpers.ts';
import { callAs, signedInUser, type TestPerson } from './team-helpers.ts';

/** Outbound deliveries to loopback, looked at often, retried soon. */
export const FAST_OUTBOUND = { allowedHosts: ['127.0.0.1'], pollMs: 50, retryDelaysMs: [100, 200, 300, 400, 500] } satisfies StartOptions['outbound'];

/** A server, a project's owner, and the project's new connection as the API answered it. */
export interface TrackerSetup {
  t: TestServer;
  owner: TestPerson;
  clientId: string;
  connection: { id: string; hook: { url: string; secret: string; events: string[] } };
}

/** Starts a server and connects a project to a tracker with `body`; `stop` is pushed onto `cleanups`. */
export async function connectedProject(cleanups: (() => Promise<void>)[], body: Record<string, unknown>, options: StartOptions = {}): Promise<TrackerSetup> {
  const t = await startTestServer({ outbound: FAST_OUTBOUND, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0, ...options });
  cleanups.push(t.stop);
  const client = await createClient(t.server.storage, { name: 'Shop' });
  const owner = await signedInUser(t, { roles: { [client.id]: 'owner' } });
  const made = await callAs(t, owner, `/api/projects/${client.id}/integrations`, { method: 'POST', body });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  return { t, owner, clientId: client.id, connection: made.json };
}

/** A new report; its id. */
export async function report(s: TrackerSetup, rating = 2, comment = 'The checkout button does nothing'): Promise<string> {
  const res = await postFeedback(s.t.url, { clientId: s.clientId, rating, comment, pageUrl: 'https://shop.example/cart' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

/** Where the report stands in the connection. */
export const trackers = async (s: TrackerSetup, feedbackId: string) => (await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}/trackers`)).json.items[0];

/** Asks for the report's issue. */
export const askIssue = (s: TrackerSetup, feedbackId: string) =>
  callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}/issues`, { method: 'POST', body: { integrationId: s.connection.id } });
