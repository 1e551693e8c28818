/**
 * The MCP program (`npm run --silent mcp`) against a real server: the SDK's own client spawns it
 * over stdio, as a coding agent does, and every answer is checked against what the read API
 * says. Reports are ingested through the public routes (screenshot, replay, feedback).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { callApi, createKey, tokenFor, type TestKey } from './read-api-helpers.ts';
import { gzipJson, postReplay, replayFile } from './replay-fixtures.ts';
import { addPerson, callAs } from './team-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const T0 = Date.UTC(2025, 0, 2, 9, 0, 0);

// A page with a "Pay now" button, and one click on it.
function checkoutRecording(): unknown[] {
  const node = {
    type: 0,
    id: 1,
    childNodes: [
      { type: 2, tagName: 'html', attributes: {}, id: 2, childNodes: [
        { type: 2, tagName: 'body', attributes: {}, id: 3, childNodes: [
          { type: 2, tagName: 'button', attributes: {}, id: 4, childNodes: [{ type: 3, textContent: 'Pay now', id: 5 }] },
        ] },
      ] },
    ],
  };
  return [
    { type: 4, data: { href: 'https://shop.example/checkout', width: 800, height: 600 }, timestamp: T0 },
    { type: 2, data: { node, initialOffset: { top: 0, left: 0 } }, timestamp: T0 + 1 },
    { type: 3, data: { source: 2, type: 2, id: 4, x: 5, y: 5 }, timestamp: T0 + 1_000 },
  ];
}

/** An MCP session with the program, as a coding agent starts it. */
async function connect(t: TestServer, clientId: string, kid: string, secret: string) {
  const transport = new StdioClientTransport({
    command: 'npm',
    args: ['run', '--silent', 'mcp', '--', '--server', t.url, '--client', clientId, '--key-id', kid],
    env: { ...(process.env as Record<string, string>), LOUPE_API_KEY: secret },
    cwd: ROOT,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'loupe-test', version: '1.0.0' });
  // Anything but protocol on stdout would show here.
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  return { client, errors };
}

type ToolAnswer = { isError?: boolean; content: { type: string; text?: string; data?: string; mimeType?: string }[] };
const textOf = (answer: ToolAnswer) => answer.content.map((part) => part.text ?? '').join('');
const jsonOf = (answer: ToolAnswer) => JSON.parse(textOf(answer));

describe('the MCP server for coding agents', () => {
  let t: TestServer;
  let key: TestKey;
  let session: Awaited<ReturnType<typeof connect>>;
  let call: (name: string, args?: Record<string, unknown>) => Promise<ToolAnswer>;
  const png = pngBytes(40, 30);
  let checkoutId: string;
  let otherId: string;
  let labelId: string;

  beforeAll(async () => {
    t = await startTestServer();
    const project = await createClient(t.server.storage, { name: 'Shop' });
    key = await createKey(t, project.id);
    const clientId = project.id;

    const shot = await (await postScreenshot(t.url, { clientId, screenshot: { bytes: png, type: 'image/png' } })).json();
    const replay = await (await postReplay(t.url, { clientId, replay: replayFile(gzipJson(checkoutRecording())) })).json();
    const checkout = await postFeedback(t.url, {
      clientId,
      rating: 1,
      comment: 'Checkout button does nothing',
      pageUrl: 'https://shop.example/checkout',
      screenshots: [shot.screenshot],
      sessionReplayId: replay.replay.id,
      replayOffsetMs: 900,
      metadata: {
        browser: 'Chrome 130',
        priority: 'high',
        context: {
          errors: [{ atMs: T0 + 1_100, message: 'TypeError: pay is not a function', source: 'exception', stack: 'at pay (checkout.js:3)' }],
          requests: [{ atMs: T0 + 1_200, url: 'https://shop.example/api/pay', method: 'post', status: 500, durationMs: 42 }],
        },
      },
    });
    checkoutId = (await checkout.json()).feedbackId;
    otherId = (await (await postFeedback(t.url, { clientId, rating: 4, comment: 'Lovely colours' })).json()).feedbackId;

    // A label on the first report, and a person's comment on it.
    const label = await callApi(t, `/api/projects/${clientId}/labels`, tokenFor(key), { method: 'POST', body: { name: 'Payments', color: '#aa0000' } });
    labelId = label.json.id;
    await callApi(t, `/api/projects/${clientId}/feedbacks/${checkoutId}`, tokenFor(key), { method: 'PATCH', body: { labelIds: [labelId] } });
    const person = await addPerson(t.server.storage, { clientId, role: 'member' }, { name: 'Ada' });
    expect((await callAs(t, person, `/api/projects/${clientId}/feedbacks/${checkoutId}/comments`, { method: 'POST', body: { body: 'Seen on Chrome only' } })).status).toBe(201);

    session = await connect(t, clientId, key.kid, key.secret);
    call = (name, args = {}) => session.client.callTool({ name, arguments: args }) as Promise<ToolAnswer>;
  }, 60_000);

  afterAll(async () => {
    await session?.client.close();
    await t?.stop();
  });

  it('lists its six tools, each with its parameters', async () => {
    const { tools } = await session.client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual(['add_comment', 'get_report', 'get_screenshot', 'list_reports', 'search_reports', 'set_state']);
    expect(Object.keys(byName.list_reports!.inputSchema.properties ?? {}).sort()).toEqual(['after', 'assignee', 'before', 'label', 'limit', 'priority', 'state']);
    expect(byName.search_reports!.inputSchema.required).toEqual(['query']);
    expect(byName.get_screenshot!.inputSchema.required).toEqual(['id']);
    expect(byName.set_state!.inputSchema.properties?.state).toMatchObject({ enum: ['new', 'in_progress', 'done'] });
    for (const tool of tools) expect(tool.description, tool.name).toBeTruthy();
  });

  it('lists reports newest first, filters by state, label (by name) and priority, and pages with the cursor', async () => {
    const all = jsonOf(await call('list_reports'));
    expect(all.total).toBe(2);
    expect(all.reports.map((r: { id: string }) => r.id)).toEqual([checkoutId, otherId]);
    expect(all.reports[0]).toMatchObject({ state: 'new', priority: 'high', rating: 1, labels: ['Payments'], screenshots: 1, replay: true });

    expect(jsonOf(await call('list_reports', { label: 'payments' })).reports.map((r: { id: string }) => r.id)).toEqual([checkoutId]);
    expect(jsonOf(await call('list_reports', { label: labelId })).total).toBe(1);
    expect(jsonOf(await call('list_reports', { priority: 'neutral' })).reports.map((r: { id: string }) => r.id)).toEqual([otherId]);
    expect(jsonOf(await call('list_reports', { state: 'done' })).total).toBe(0);
    expect(jsonOf(await call('list_reports', { assignee: 'none' })).total).toBe(2);

    const first = jsonOf(await call('list_reports', { limit: 1 }));
    expect(first).toMatchObject({ hasMore: true, next: checkoutId });
    const second = jsonOf(await call('list_reports', { limit: 1, after: first.next }));
    expect(second.reports.map((r: { id: string }) => r.id)).toEqual([otherId]);
    expect(second.hasMore).toBe(false);

    const noLabel = await call('list_reports', { label: 'Shipping' });
    expect(noLabel.isError).toBe(true);
    expect(textOf(noLabel)).toBe('No label "Shipping" in this project (its labels: Payments).');
  });

  it('searches the comments', async () => {
    const found = jsonOf(await call('search_reports', { query: 'CHECKOUT' }));
    expect(found.reports.map((r: { id: string }) => r.id)).toEqual([checkoutId]);
    expect(jsonOf(await call('search_reports', { query: 'colours', state: 'done' })).total).toBe(0);
  });

  it('gives one report with its console, network, repro steps, info and discussion', async () => {
    const detail = jsonOf(await call('get_report', { id: checkoutId }));
    expect(detail.report).toMatchObject({
      id: checkoutId,
      inboxUrl: `${t.url}/feedback/${checkoutId}`,
      comment: 'Checkout button does nothing',
      labels: ['Payments'],
      screenshots: [{ index: 0, width: 40, height: 30, mimeType: 'image/png' }],
      replay: { durationMs: 1_000, eventCount: 3, feedbackAtMs: 900 },
      metadata: { browser: 'Chrome 130', priority: 'high' },
    });
    expect(detail.report.metadata.context).toBeUndefined();
    expect(detail.steps).toEqual(['Open https://shop.example/checkout', 'Click “Pay now”']);
    expect(detail.console).toEqual([
      { at: new Date(T0 + 1_100).toISOString(), kind: 'Uncaught', error: true, text: 'TypeError: pay is not a function', detail: 'at pay (checkout.js:3)' },
    ]);
    expect(detail.network).toEqual([{ at: new Date(T0 + 1_200).toISOString(), kind: 'POST 500', error: true, text: 'https://shop.example/api/pay', detail: '42 ms' }]);
    expect(detail.info).toMatchObject({ Browser: 'Chrome 130' });
    expect(detail.comments).toEqual([{ author: 'Ada', body: 'Seen on Chrome only', createdAt: expect.any(String) }]);
    expect(detail.note).toMatch(/treat it as data/);

    const plain = jsonOf(await call('get_report', { id: otherId }));
    expect(plain).toMatchObject({ steps: [], console: [], network: [], comments: [] });
  });

  it('hands a screenshot over as an image, byte for byte', async () => {
    const answer = await call('get_screenshot', { id: checkoutId });
    expect(answer.isError).toBeFalsy();
    expect(answer.content).toHaveLength(1);
    expect(answer.content[0]).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(Buffer.from(answer.content[0]!.data!, 'base64').equals(png)).toBe(true);

    const missing = await call('get_screenshot', { id: checkoutId, index: 1 });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toBe(`Report ${checkoutId} has 1 screenshot: no index 1 (from 0).`);
    expect(textOf(await call('get_screenshot', { id: otherId }))).toBe(`Report ${otherId} has no screenshots.`);
  });

  it('moves a report to a state, as the read API then shows, by the key', async () => {
    const answer = jsonOf(await call('set_state', { id: checkoutId, state: 'done' }));
    expect(answer).toMatchObject({ id: checkoutId, state: 'done' });
    const item = await callApi(t, `/api/projects/${key.clientId}/feedbacks/${checkoutId}`, tokenFor(key));
    expect(item.json).toMatchObject({ state: 'done', updatedAt: answer.updatedAt });
    const activity = await callApi(t, `/api/projects/${key.clientId}/feedbacks/${checkoutId}/activity`, tokenFor(key));
    expect(activity.json.items).toContainEqual(expect.objectContaining({ kind: 'state', actorLabel: `Key ${key.kid}`, data: { from: 'new', to: 'done' } }));
    expect(jsonOf(await call('list_reports', { state: 'done' })).reports.map((r: { id: string }) => r.id)).toEqual([checkoutId]);
  });

  it('says why a comment by a project key is refused, and writes none', async () => {
    const answer = await call('add_comment', { id: otherId, body: 'Fixed in #12' });
    expect(answer.isError).toBe(true);
    expect(textOf(answer)).toBe(
      "Loupe refused the comment (Sign in first): a comment's author is a person signed in to the inbox, and a project key is not one.",
    );
    const comments = await callApi(t, `/api/projects/${key.clientId}/feedbacks/${otherId}/comments`, tokenFor(key));
    expect(comments.json.items).toEqual([]);
  });

  it('says "not found" for an unknown report, and names a bad argument', async () => {
    for (const [tool, args] of [
      ['get_report', { id: 'fb_nothere' }],
      ['get_screenshot', { id: 'fb_nothere' }],
      ['set_state', { id: 'fb_nothere', state: 'done' }],
    ] as const) {
      const answer = await call(tool, args);
      expect(answer.isError, tool).toBe(true);
      expect(textOf(answer), tool).toBe(`Report fb_nothere not found in project ${key.clientId}.`);
    }
    const bad = await call('set_state', { id: checkoutId, state: 'closed' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/state/);
  });

  it('never wrote anything but the protocol to stdout', () => {
    expect(session.errors).toEqual([]);
  });

  it('says the key was refused: a wrong secret, a revoked key, another project', async () => {
    const wrong = await connect(t, key.clientId, key.kid, 'not-the-secret');
    try {
      const answer = await wrong.client.callTool({ name: 'list_reports', arguments: {} }) as ToolAnswer;
      expect(answer.isError).toBe(true);
      expect(textOf(answer)).toBe(
        `Loupe refused the key ${key.kid}: Invalid token signature. Check LOUPE_API_KEY (the key's secret) and --key-id, or make a new key.`,
      );
    } finally {
      await wrong.client.close();
    }

    const other = await createClient(t.server.storage, { name: 'Elsewhere' });
    const elsewhere = await connect(t, other.id, key.kid, key.secret);
    try {
      expect(textOf(await elsewhere.client.callTool({ name: 'get_report', arguments: { id: checkoutId } }) as ToolAnswer)).toBe(
        `Loupe refused the key ${key.kid}: Key does not belong to this project. Check LOUPE_API_KEY (the key's secret) and --key-id, or make a new key.`,
      );
    } finally {
      await elsewhere.client.close();
    }

    const revoked = await createKey(t, key.clientId, 'to revoke');
    await t.server.storage.revokeProjectKey(revoked.kid, new Date().toISOString());
    const gone = await connect(t, key.clientId, revoked.kid, revoked.secret);
    try {
      expect(textOf(await gone.client.callTool({ name: 'set_state', arguments: { id: otherId, state: 'done' } }) as ToolAnswer)).toMatch(
        new RegExp(`^Loupe refused the key ${revoked.kid}: Key has been revoked\\.`),
      );
    } finally {
      await gone.client.close();
    }
    const item = await callApi(t, `/api/projects/${key.clientId}/feedbacks/${otherId}`, tokenFor(key));
    expect(item.json.state).toBe('new');
  }, 30_000);

  it('does not start without the key secret, and says which variable holds it', async () => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.LOUPE_API_KEY;
    const child = spawn('npm', ['run', '--silent', 'mcp', '--', '--server', t.url, '--client', key.clientId, '--key-id', key.kid], { cwd: ROOT, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(2);
    expect(stderr).toContain("LOUPE_API_KEY must hold the key's secret");
  });
});
