/**
 * Webhooks end to end on the test engine (SQLite, and PostgreSQL in `server-pg`): a real
 * server, a real receiver on loopback verifying signatures with `standardwebhooks`. Created,
 * updated and comment events; retries with the same `webhook-id`, `Retry-After`, a server
 * restart while the receiver is down; giving up turns the endpoint off and tells its owners;
 * loopback refused unless allowed; redirects not followed; the owners' routes and the CLI.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { startServer, type StartOptions } from '../../server/start.ts';
import { runCli } from './child-process.ts';
import { createTestInstall, installWithClient, postFeedback, startTestServer, type TestServer } from './helpers.ts';
import { callAs, signedInUser, type TestPerson } from './team-helpers.ts';
import { startReceiver, type TestReceiver } from './webhook-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST = { allowedHosts: ['127.0.0.1'], pollMs: 50, retryDelaysMs: [100, 200, 300] } satisfies StartOptions['outbound'];

interface Setup {
  t: TestServer;
  receiver: TestReceiver;
  owner: TestPerson;
  clientId: string;
  endpointId: string;
}

async function setUp(outbound: StartOptions['outbound'] = FAST, events?: string[]): Promise<Setup> {
  const receiver = await startReceiver();
  cleanups.push(receiver.close);
  const t = await startTestServer({ outbound, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  cleanups.push(t.stop);
  const client = await createClient(t.server.storage, { name: 'Shop' });
  const owner = await signedInUser(t, { roles: { [client.id]: 'owner' } });
  const made = await callAs(t, owner, `/api/projects/${client.id}/webhooks`, { method: 'POST', body: { url: receiver.url, events } });
  expect(made.status).toBe(201);
  receiver.secret = made.json.secret;
  return { t, receiver, owner, clientId: client.id, endpointId: made.json.id };
}

async function report(s: Pick<Setup, 't' | 'clientId'>, comment = 'The button is broken'): Promise<string> {
  const res = await postFeedback(s.t.url, { clientId: s.clientId, rating: 2, comment });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

const deliveries = async (s: Setup) => (await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks/${s.endpointId}/deliveries`)).json.items;

describe('webhooks', () => {
  it('makes an endpoint whose secret is shown once, and delivers feedback.created signed, with the read API item as data', async () => {
    const s = await setUp();
    expect(s.receiver.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks`);
    expect(listed.json.items).toEqual([expect.objectContaining({ id: s.endpointId, url: s.receiver.url, enabled: true, events: ['feedback.created', 'feedback.updated', 'comment.created'] })]);
    expect(JSON.stringify(listed.json)).not.toContain('whsec_');

    const feedbackId = await report(s);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(1);
    const [hit] = s.receiver.received;
    expect(hit!.verified).toBe(true);
    expect(hit!.id).toMatch(/^msg_/);
    expect(hit!.body.type).toBe('feedback.created');
    expect(Date.parse(hit!.body.timestamp)).not.toBeNaN();
    const item = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`);
    expect(hit!.body.data).toEqual(item.json);
    await expect.poll(async () => (await deliveries(s))[0]?.status).toBe('delivered');
    expect((await deliveries(s))[0]).toMatchObject({ id: hit!.id, attempts: 1, responseStatus: 200, responseExcerpt: 'ok', feedbackId });
  });

  it('tells of triage changes and comments, each endpoint only the events it asked for', async () => {
    const s = await setUp();
    const comments = await startReceiver();
    cleanups.push(comments.close);
    const second = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks`, { method: 'POST', body: { url: comments.url, events: ['comment.created'] } });
    comments.secret = second.json.secret;
    const feedbackId = await report(s);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(1);

    const patched = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`, { method: 'PATCH', body: { state: 'in_progress', priority: 'high' } });
    expect(patched.status).toBe(200);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(2);
    expect(s.receiver.received[1]!.body).toMatchObject({ type: 'feedback.updated', data: { id: feedbackId, state: 'in_progress', priority: 'high' } });

    const said = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}/comments`, { method: 'POST', body: { body: 'On it' } });
    expect(said.status).toBe(201);
    await expect.poll(() => comments.received.length, { timeout: 10_000 }).toBe(1);
    expect(comments.received[0]!.verified).toBe(true);
    expect(comments.received[0]!.body).toMatchObject({ type: 'comment.created', data: { id: said.json.id, feedbackId, body: 'On it' } });
    await expect.poll(() => s.receiver.received.length).toBe(3);
    // Nothing else reached the comments-only endpoint.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(comments.received.map((r) => r.body.type)).toEqual(['comment.created']);
  });

  it('retries a failing receiver with the same webhook-id, honouring Retry-After, until it answers 2xx', async () => {
    const s = await setUp();
    s.receiver.answer = (_, count) => (count === 1 ? { status: 503, headers: { 'Retry-After': '1' } } : count === 2 ? { status: 500, body: 'boom' } : { status: 204 });
    await report(s);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(3);
    const [first, second, third] = s.receiver.received;
    expect(new Set([first!.id, second!.id, third!.id]).size).toBe(1);
    expect([first, second, third].every((r) => r!.verified)).toBe(true);
    // Retry-After: 1 outweighs the 100 ms the first retry would wait.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    await expect.poll(async () => (await deliveries(s))[0]).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 204 });
  });

  it('keeps a delivery through a server restart while the receiver is down, then delivers it once', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const install = await createTestInstall();
    cleanups.push(install.remove);
    const options = { host: '127.0.0.1', port: 0, dataDir: install.dataDir, databaseUrl: install.databaseUrl, logError: () => {}, outbound: { ...FAST, retryDelaysMs: [100, 100, 100, 100, 100, 100, 100, 100] } };
    let server = await startServer(options);
    const client = await createClient(server.storage, { name: 'Shop' });
    const t = { url: server.url } as TestServer;
    const owner = await signedInUser({ server } as TestServer, { roles: { [client.id]: 'owner' } });
    const made = await callAs(t, owner, `/api/projects/${client.id}/webhooks`, { method: 'POST', body: { url: receiver.url } });
    receiver.secret = made.json.secret;
    await receiver.close();
    await report({ t, clientId: client.id });
    await expect.poll(async () => (await server.storage.outbox.listDeliveries(made.json.id, 5))[0]?.attempts ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await server.close();

    await receiver.reopen();
    server = await startServer(options);
    cleanups.push(() => server.close());
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    const [delivery] = await server.storage.outbox.listDeliveries(made.json.id, 5);
    expect(delivery).toMatchObject({ status: 'delivered', id: receiver.received[0]!.id });
    expect(receiver.received[0]!.verified).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
  });

  it('gives up after the last retry, turns the endpoint off and e-mails its owners', async () => {
    const s = await setUp({ ...FAST, retryDelaysMs: [50, 50], disableAfterFailingMs: 0 });
    s.receiver.answer = () => ({ status: 500, body: 'down for good' });
    await report(s);
    await expect.poll(async () => (await deliveries(s))[0]?.status, { timeout: 10_000 }).toBe('failed');
    expect((await deliveries(s))[0]).toMatchObject({ attempts: 3, responseStatus: 500, responseExcerpt: 'down for good', lastError: 'Answered 500', nextAttemptAt: null });
    expect(s.receiver.received).toHaveLength(3);
    const [endpoint] = (await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks`)).json.items;
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('Answered 500') });
    const emails = await s.t.server.storage.team.listEmails();
    expect(emails.map((e) => e.to)).toEqual([s.owner.user.email]);
    expect(emails[0]!.subject).toBe(`[Shop] Turned off: the webhook ${s.receiver.url}`);

    // Turned off, it is told of nothing; turned on again, Redeliver sends the failed one with its id.
    await report(s);
    s.receiver.answer = () => ({ status: 200 });
    const [failed] = await deliveries(s);
    const on = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks/${s.endpointId}`, { method: 'PATCH', body: { enabled: true } });
    expect(on.json).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const again = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks/deliveries/${failed.id}/redeliver`, { method: 'POST' });
    expect(again.status).toBe(202);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(4);
    expect(s.receiver.received[3]!.id).toBe(failed.id);
    const pendingAgain = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks/deliveries/${failed.id}/redeliver`, { method: 'POST' });
    expect([202, 409]).toContain(pendingAgain.status);
  });

  it('changes the events and turns the endpoint on or off in one PATCH, and writes neither when the events are refused', async () => {
    const s = await setUp();
    const path = `/api/projects/${s.clientId}/webhooks/${s.endpointId}`;
    const off = await callAs(s.t, s.owner, path, { method: 'PATCH', body: { events: ['comment.created', 'comment.created'], enabled: false } });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ id: s.endpointId, url: s.receiver.url, events: ['comment.created'], enabled: false, disabledReason: 'Turned off by an owner' });
    const refused = await callAs(s.t, s.owner, path, { method: 'PATCH', body: { events: ['feedback.deleted'], enabled: true } });
    expect(refused.status).toBe(400);
    expect(refused.json.issues).toEqual({ events: [expect.stringContaining('Unknown event feedback.deleted')] });
    expect((await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks`)).json.items).toEqual([off.json]);

    const on = await callAs(s.t, s.owner, path, { method: 'PATCH', body: { events: ['feedback.created'], enabled: true } });
    expect(on.json).toEqual({ ...off.json, events: ['feedback.created'], enabled: true, disabledReason: null });
    // On again with only feedback.created, and still signed with its secret.
    const feedbackId = await report(s);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(1);
    expect(s.receiver.received[0]).toMatchObject({ verified: true, body: { type: 'feedback.created', data: { id: feedbackId } } });
    const triaged = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`, { method: 'PATCH', body: { state: 'done' } });
    expect(triaged.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.receiver.received).toHaveLength(1);
  });

  it('sends a test event on request, and refuses bad endpoints naming the field', async () => {
    const s = await setUp();
    const sent = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks/${s.endpointId}/test`, { method: 'POST' });
    expect(sent.status).toBe(202);
    await expect.poll(() => s.receiver.received.length, { timeout: 10_000 }).toBe(1);
    expect(s.receiver.received[0]).toMatchObject({ id: sent.json.id, verified: true, body: { type: 'webhook.test' } });

    const bad = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks`, { method: 'POST', body: { url: 'ftp://x.example', events: ['feedback.deleted'] } });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual({ url: ['Must be an http(s) URL'], events: [expect.stringContaining('Unknown event feedback.deleted')] });
    const gone = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks/${s.endpointId}`, { method: 'DELETE' });
    expect(gone.status).toBe(204);
    expect((await callAs(s.t, s.owner, `/api/projects/${s.clientId}/webhooks`)).json.items).toEqual([]);
  });

  it('refuses loopback unless WEBHOOK_ALLOWED_HOSTS lists it, and never follows a redirect', async () => {
    const s = await setUp({ ...FAST, allowedHosts: [], retryDelaysMs: [] });
    await report(s);
    await expect.poll(async () => (await deliveries(s))[0]?.status, { timeout: 10_000 }).toBe('failed');
    expect((await deliveries(s))[0].lastError).toMatch(/127\.0\.0\.1 is a private or local address \(allow it with WEBHOOK_ALLOWED_HOSTS\)/);
    expect(s.receiver.received).toEqual([]);

    const r = await setUp({ ...FAST, retryDelaysMs: [] });
    const elsewhere = await startReceiver();
    cleanups.push(elsewhere.close);
    r.receiver.answer = () => ({ status: 307, headers: { Location: elsewhere.url } });
    await report(r);
    await expect.poll(async () => (await deliveries(r))[0]?.status, { timeout: 10_000 }).toBe('failed');
    expect((await deliveries(r))[0]).toMatchObject({ responseStatus: 307, lastError: `Redirected to ${elsewhere.url}: redirects are not followed` });
    expect(elsewhere.received).toEqual([]);
  });
});

describe('npm run server -- webhooks', () => {
  it('creates an endpoint printing its id and secret, lists it, deletes it', async () => {
    const { install, clientId } = await installWithClient('Shop');
    cleanups.push(install.remove);
    const args = ['--data-dir', install.dataDir];
    const made = await runCli(['webhooks', 'create', '--client', clientId, '--url', 'https://hooks.example.com/in', '--events', 'feedback.created,comment.created', ...args], install.env);
    expect(made.code).toBe(0);
    const id = /Endpoint: (whk_\S+)/.exec(made.stdout)?.[1];
    expect(made.stdout).toMatch(/Signing secret: whsec_\S+/);
    expect(id).toBeDefined();
    const listed = await runCli(['webhooks', 'list', '--client', clientId, ...args], install.env);
    expect(listed.stdout).toContain(`${id}\thttps://hooks.example.com/in\tfeedback.created,comment.created\ton`);
    expect(listed.stdout).not.toContain('whsec_');
    const wrong = await runCli(['webhooks', 'create', '--client', clientId, '--url', 'hooks', ...args], install.env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr + wrong.stdout).toContain('--url: Must be an absolute http(s) URL');
    const deleted = await runCli(['webhooks', 'delete', '--id', id!, ...args], install.env);
    expect(deleted.code).toBe(0);
    expect((await runCli(['webhooks', 'list', '--client', clientId, ...args], install.env)).stdout).toContain('No webhooks yet');
  });
});
