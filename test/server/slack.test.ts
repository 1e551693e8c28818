/**
 * Slack end to end on the test engine (SQLite, and PostgreSQL in `server-pg`): a real server
 * and a stand-in for Slack's incoming webhook on loopback that checks each request as Slack
 * documents it (slack-receiver.ts). Connecting (the URL a secret, never shown back), a message
 * per new report with its rating, comment, page and link, a rule by rating, retries through
 * Slack being down with the same bytes each try, a hostile comment escaped, long text cut to
 * Block Kit's limits, and a removed webhook showing as needing attention.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type { StartOptions } from '../../server/start.ts';
import { postFeedback, startTestServer, type TestServer } from './helpers.ts';
import { startFakeSlack, type FakeSlack } from './slack-receiver.ts';
import { callAs, signedInUser, type TestPerson } from './team-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST = { allowedHosts: ['127.0.0.1'], pollMs: 50, retryDelaysMs: [100, 100, 100, 100, 100, 100, 100, 100] } satisfies StartOptions['outbound'];

interface Setup {
  t: TestServer;
  slack: FakeSlack;
  owner: TestPerson;
  clientId: string;
  connection: any;
}

async function setUp(body: Record<string, unknown> = {}, outbound: StartOptions['outbound'] = FAST): Promise<Setup> {
  const slack = await startFakeSlack();
  cleanups.push(slack.close);
  const t = await startTestServer({ outbound, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  cleanups.push(t.stop);
  const client = await createClient(t.server.storage, { name: 'Shop' });
  const owner = await signedInUser(t, { roles: { [client.id]: 'owner' } });
  const made = await callAs(t, owner, `/api/projects/${client.id}/integrations`, { method: 'POST', body: { kind: 'slack', url: slack.url, ...body } });
  expect(made.status).toBe(201);
  return { t, slack, owner, clientId: client.id, connection: made.json };
}

async function report(s: Setup, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await postFeedback(s.t.url, { clientId: s.clientId, rating: 2, comment: 'The button is broken', pageUrl: 'https://shop.example/cart?step=2&x=1', ...fields });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

const deliveries = async (s: Setup) => (await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations/${s.connection.id}/deliveries`)).json.items;
const trackers = async (s: Setup, feedbackId: string) => (await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}/trackers`)).json.items;
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/** Every text of a message's blocks, in order. */
function textsOf(message: any): string[] {
  return message.blocks.flatMap((block: any) => [block.text?.text, ...(block.fields ?? []).map((field: any) => field.text)].filter(Boolean));
}

describe('Slack', () => {
  it('connects through the route, keeps the webhook URL secret, and takes every new report by default', async () => {
    const s = await setUp();
    expect(s.connection).toMatchObject({ kind: 'slack', name: '127.0.0.1:' + new URL(s.slack.url).port, rule: {}, enabled: true, settings: { host: new URL(s.slack.url).host } });
    const listed = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`);
    expect(listed.json.items).toEqual([expect.objectContaining({ id: s.connection.id, kind: 'slack', rule: {} })]);
    for (const shown of [s.connection, listed.json]) expect(JSON.stringify(shown)).not.toContain(s.slack.secret);
    // Stored encrypted, not as typed.
    const stored = await s.t.server.storage.outbox.getIntegration(s.connection.id);
    expect(JSON.stringify(stored!.config)).not.toContain(s.slack.secret);

    const bad = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, { method: 'POST', body: { kind: 'slack', url: 'ftp://hooks.slack.example/x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual({ url: ['Must be an http(s) URL'] });
    const extra = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, { method: 'POST', body: { kind: 'slack', url: s.slack.url, channel: '#general' } });
    expect(extra.status).toBe(400);
  });

  it('posts one message per new report with the rating, comment, page, environment and a link back', async () => {
    const s = await setUp();
    const feedbackId = await report(s, { environment: 'staging' });
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(1);
    const [request] = s.slack.received;
    expect(request).toMatchObject({ method: 'POST', problem: undefined });
    expect(request!.contentType).toMatch(/^application\/json/);
    const [message] = s.slack.messages();
    expect(message.text).toBe('New feedback: 2 (Bad): The button is broken');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'New feedback: 2 (Bad)', emoji: false } });
    expect(textsOf(message)).toEqual([
      'New feedback: 2 (Bad)',
      '>The button is broken',
      '*Rating*\n2 (Bad)',
      '*Environment*\nstaging',
      '*Page*\n<https://shop.example/cart?step=2&amp;x=1|https://shop.example/cart?step=2&amp;x=1>',
      `<${s.t.url}/feedback/${feedbackId}|Open the report in Loupe>`,
    ]);
    expect(message).toMatchObject({ unfurl_links: false, unfurl_media: false });

    await expect.poll(async () => (await deliveries(s))[0]).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200, responseExcerpt: 'ok', feedbackId });
    expect(await trackers(s, feedbackId)).toEqual([expect.objectContaining({ integrationId: s.connection.id, kind: 'slack', status: 'sent', issue: null, lastError: null })]);
    // Without a rating, a comment or a page, it is still a valid message.
    await report(s, { rating: undefined, comment: 'Just a note', pageUrl: undefined });
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(2);
    const link = expect.stringContaining('Open the report in Loupe');
    expect(textsOf(s.slack.messages()[1])).toEqual(['New feedback: no rating', '>Just a note', '*Rating*\nno rating', '*Environment*\ndefault', link]);
    await report(s, { rating: 4, comment: '  ', pageUrl: undefined });
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(3);
    expect(s.slack.messages()[2].text).toBe('New feedback: 4 (Amazing)');
    expect(textsOf(s.slack.messages()[2])).toEqual(['New feedback: 4 (Amazing)', '*Rating*\n4 (Amazing)', '*Environment*\ndefault', link]);
    await settle();
    expect(s.slack.received).toHaveLength(3);
  });

  it('with a rule of ratings 1 and 2, posts only those, and follows the rule as changed', async () => {
    const s = await setUp({ rule: { ratings: [1, 2] } });
    expect(s.connection.rule).toEqual({ ratings: [1, 2] });
    for (const rating of [1, 2, 3, 4]) await report(s, { rating, comment: `Rated ${rating}` });
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(2);
    await settle();
    expect(s.slack.messages().map((m) => m.text).sort()).toEqual(['New feedback: 1 (Terrible): Rated 1', 'New feedback: 2 (Bad): Rated 2']);

    const changed = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations/${s.connection.id}`, { method: 'PATCH', body: { rule: { ratings: [4] } } });
    expect(changed.json.rule).toEqual({ ratings: [4] });
    await report(s, { rating: 2, comment: 'Rated 2 again' });
    await report(s, { rating: 4, comment: 'Rated 4' });
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(3);
    await settle();
    expect(s.slack.messages()[2].text).toBe('New feedback: 4 (Amazing): Rated 4');
    expect(s.slack.received).toHaveLength(3);

    // `null`, as for every kind: no report goes on its own.
    const none = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations/${s.connection.id}`, { method: 'PATCH', body: { rule: null } });
    expect(none.json.rule).toBeNull();
    await report(s, { rating: 4, comment: 'Rated 4 again' });
    await settle();
    expect(s.slack.received).toHaveLength(3);
  });

  it('retries while Slack refuses connections or answers 500, sending the same bytes, then posts once', async () => {
    const s = await setUp();
    await s.slack.close();
    await report(s);
    await expect.poll(async () => (await deliveries(s))[0]?.attempts ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const [down] = await deliveries(s);
    expect(down).toMatchObject({ status: 'pending', responseStatus: null, lastError: expect.stringMatching(/ECONNREFUSED|refused/i) });
    const feedbackId = down.feedbackId;
    expect((await trackers(s, feedbackId))[0]).toMatchObject({ status: 'retrying' });

    s.slack.answer = (_, count) => (count === 1 ? { status: 500, body: 'rollup_error' } : count === 2 ? { status: 429, headers: { 'Retry-After': '1' }, body: 'rate_limited' } : { status: 200, body: 'ok' });
    await s.slack.reopen();
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(1);
    expect(s.slack.received.map((r) => r.status)).toEqual([500, 429, 200]);
    // Retry-After: 1 outweighs the 100 ms the next retry would wait.
    expect(s.slack.received[2]!.at - s.slack.received[1]!.at).toBeGreaterThanOrEqual(950);
    const [stored] = await s.t.server.storage.outbox.listDeliveries(s.connection.id, 5);
    expect(new Set(s.slack.received.map((r) => r.raw))).toEqual(new Set([stored!.payload]));
    await expect.poll(async () => (await deliveries(s))[0]).toMatchObject({ status: 'delivered', responseStatus: 200, lastError: null });
    expect((await trackers(s, feedbackId))[0]).toMatchObject({ status: 'sent', lastError: null });
    await settle();
    expect(s.slack.received).toHaveLength(3);
  });

  it('escapes a hostile comment, page and environment for mrkdwn: no mention, no forged link', async () => {
    const s = await setUp();
    const comment = 'Hey <!channel> and <!here|here>, see <http://evil.example|your bank> & <@U123>\n> not a quote of mine';
    await report(s, { comment, environment: 'prod<!channel>', pageUrl: 'https://shop.example/a|b?<x>' });
    await expect.poll(() => s.slack.messages().length, { timeout: 10_000 }).toBe(1);
    const [message] = s.slack.messages();
    const [, quote, , environment, page] = textsOf(message);
    expect(quote).toBe('>Hey &lt;!channel&gt; and &lt;!here|here&gt;, see &lt;http://evil.example|your bank&gt; &amp; &lt;@U123&gt;\n>&gt; not a quote of mine');
    expect(environment).toBe('*Environment*\nprod&lt;!channel&gt;');
    expect(page).toBe('*Page*\n<https://shop.example/a%7Cb?%3Cx%3E|https://shop.example/a|b?&lt;x&gt;>');
    expect(message.text).toBe('New feedback: 2 (Bad): Hey &lt;!channel&gt; and &lt;!here|here&gt;, see &lt;http://evil.example|your bank&gt; &amp; &lt;@U123&gt; &gt; not a quote of mine');
    // Nothing of the user's text opens a Slack control sequence anywhere in the message.
    for (const text of [message.text, ...textsOf(message)]) expect(text).not.toMatch(/<[!@#]|<http:\/\/evil/);
  });

  it('cuts a long comment and page to Block Kit limits without breaking an entity', async () => {
    const s = await setUp();
    await report(s, { comment: `${'&'.repeat(2000)}${'x'.repeat(6000)}`, pageUrl: `https://shop.example/${'p'.repeat(5000)}` });
    await expect.poll(() => s.slack.received.length, { timeout: 10_000 }).toBe(1);
    expect(s.slack.received[0]!.problem).toBeUndefined();
    const [, quote, , , page] = textsOf(s.slack.messages()[0]);
    expect(quote!.length).toBeLessThanOrEqual(3000);
    expect(quote).toMatch(/^>(&amp;)+…$/);
    expect(page!.length).toBeLessThanOrEqual(2000);
    expect(page).toMatch(/^\*Page\*\nhttps:\/\/shop\.example\/p+…$/);
    expect(s.slack.messages()[0].text.length).toBeLessThanOrEqual(300);
  });

  it('shows a removed webhook (404 no_service) as needing attention; a refused payload as retrying', async () => {
    const s = await setUp();
    s.slack.answer = () => ({ status: 404, body: 'no_service' });
    const gone = await report(s);
    await expect.poll(async () => (await trackers(s, gone))[0]?.status, { timeout: 10_000 }).toBe('needs-attention');
    const [status] = await trackers(s, gone);
    expect(status.lastError).toMatch(/^Slack answered 404: no_service \(needs attention: .*webhook/);
    expect((await deliveries(s))[0]).toMatchObject({ responseStatus: 404, responseExcerpt: 'no_service' });

    s.slack.answer = () => ({ status: 400, body: 'invalid_payload' });
    const refused = await report(s);
    await expect.poll(async () => (await trackers(s, refused))[0]?.attempts ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect((await trackers(s, refused))[0]).toMatchObject({ status: 'retrying', lastError: 'Slack answered 400: invalid_payload' });
  });

  it('refuses loopback unless WEBHOOK_ALLOWED_HOSTS lists it', async () => {
    const s = await setUp({}, { ...FAST, allowedHosts: [], retryDelaysMs: [] });
    const feedbackId = await report(s);
    await expect.poll(async () => (await trackers(s, feedbackId))[0]?.status, { timeout: 10_000 }).toBe('failed');
    expect((await trackers(s, feedbackId))[0].lastError).toMatch(/127\.0\.0\.1 is a private or local address \(allow it with WEBHOOK_ALLOWED_HOSTS\)/);
    expect(s.slack.received).toEqual([]);
  });
});
