/**
 * Jira Cloud as a tracker on the test engine (SQLite, and PostgreSQL in `server-pg`): the real
 * server makes jira.js's requests to a local Jira that checks every one against Atlassian's
 * OpenAPI document of the platform REST API v3 and the description as ADF (jira-api.ts); Jira's
 * webhook comes back signed as Jira signs it (X-Hub-Signature). Connecting, an issue by hand and
 * by rule, state both ways through the connection's mapping without an echo, retries shown on
 * the report, a token refused, and a lost answer that still makes one issue.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './child-process.ts';
import { installWithClient, pngBytes, postFeedback, postScreenshot } from './helpers.ts';
import { adfProblems, adfSchemaProblems, startJiraApi, type JiraApi } from './jira-api.ts';
import { callAs } from './team-helpers.ts';
import { askIssue, connectedProject, report, trackers, type TrackerSetup } from './tracker-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EMAIL = 'loupe-bot@acme.example';
const TOKEN = 'ATATT3xFfGF0loupeTestToken';
const PROJECT = 'SHOP';
interface Setup extends TrackerSetup {
  jira: JiraApi;
}

async function setUp(body: Record<string, unknown> = {}, statuses?: string[]): Promise<Setup> {
  const jira = await startJiraApi({ email: EMAIL, token: TOKEN, projectKey: PROJECT, statuses });
  cleanups.push(jira.close);
  const s = await connectedProject(cleanups, { kind: 'jira', siteUrl: jira.url, email: EMAIL, apiToken: TOKEN, projectKey: PROJECT, ...body });
  return { ...s, jira };
}

const stateOf = async (s: Setup, feedbackId: string) => (await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`)).json.state;
const linked = (s: Setup, feedbackId: string) => expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');

// Jira's body for an issue's status change, signed as Jira signs it for a webhook with a secret.
async function sendHook(s: Setup, body: string, secret = s.connection.hook.secret) {
  const res = await fetch(s.connection.hook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const statusEvent = (key: string, to: string, event = 'jira:issue_updated') =>
  JSON.stringify({ webhookEvent: event, issue: { id: '10000', key }, changelog: { id: '1', items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: 'To Do', toString: to }] } });

describe('the local Jira API', () => {
  it("flags what Atlassian's document refuses (an unknown route, a wrong body or query) and what ADF does not allow", async () => {
    const jira = await startJiraApi({ email: EMAIL, token: TOKEN, projectKey: PROJECT });
    cleanups.push(jira.close);
    const auth = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${jira.url}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const doc = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fine' }] }] };
    expect((await call('POST', '/rest/api/3/issue', { fields: { project: { key: PROJECT }, issuetype: { name: 'Task' }, summary: 'Fine', description: doc, labels: ['a'] } })).status).toBe(201);
    expect(jira.problems).toEqual([]);
    await call('POST', '/rest/api/3/issue', { fields: 'not an object' });
    await call('GET', `/rest/api/3/search/jql?${new URLSearchParams({ jql: `project = "${PROJECT}" AND labels = "a" ORDER BY created ASC`, maxResults: 'many' })}`);
    await call('POST', '/rest/api/3/tickets', {});
    expect(jira.problems).toEqual([
      expect.stringMatching(/^createIssue: body: \/fields must be object/),
      expect.stringMatching(/^searchAndReconsileIssuesUsingJql: maxResults=many: must be integer/),
      `POST /rest/api/3/tickets: no such operation in Atlassian's document`,
    ]);
    expect(adfProblems({ type: 'doc', version: 2, content: [] })).toEqual(['description: not an ADF doc of version 1']);
    expect(adfSchemaProblems(doc)).toEqual([]);
    expect(adfSchemaProblems({ type: 'doc', version: 1, content: [{ type: 'text', text: 'loose' }] })).toEqual([expect.stringMatching(/^description: not ADF as Atlassian's schema has it/)]);
    expect(adfProblems({ type: 'doc', version: 1, content: [{ type: 'text', text: 'loose' }, { type: 'paragraph', content: [{ type: 'text', text: '', marks: [{ type: 'blink' }] }] }] })).toEqual([
      'description/0: text may not be in doc',
      'description/1/0: a text node needs non-empty text',
      'description/1/0: unknown mark blink',
    ]);
  });
});

describe('Jira', () => {
  it('connects a project: the API token never shown, the hook URL and secret once, the default mapping', async () => {
    const s = await setUp();
    expect(s.connection).toMatchObject({
      kind: 'jira',
      name: `${PROJECT} on ${new URL(s.jira.url).host}`,
      rule: null,
      enabled: true,
      settings: { siteUrl: s.jira.url, email: EMAIL, projectKey: PROJECT, issueType: 'Task', statusMap: { new: 'To Do', in_progress: 'In Progress', done: 'Done' } },
    });
    expect(s.connection.hook).toEqual({ url: `${s.t.url}/api/integrations/${s.connection.id}/jira`, secret: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), events: ['jira:issue_updated'] });
    const listed = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`);
    expect(listed.json.items).toEqual([expect.objectContaining({ id: s.connection.id, kind: 'jira' })]);
    expect(JSON.stringify(listed.json)).not.toContain(TOKEN);
    expect(JSON.stringify(listed.json)).not.toContain(s.connection.hook.secret);

    const bad = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, {
      method: 'POST',
      body: { kind: 'jira', siteUrl: 'ftp://acme', email: 'nobody', apiToken: '', projectKey: 'shop', statusMap: { done: '' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual({
      email: ['Must be an e-mail address'],
      apiToken: ['Must be an Atlassian API token'],
      projectKey: ['Must be a project key, e.g. SHOP'],
      'statusMap.done': ['Must be a status name'],
    });
    const badSite = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, { method: 'POST', body: { kind: 'jira', siteUrl: 'ftp://acme', email: EMAIL, apiToken: TOKEN, projectKey: PROJECT } });
    expect(badSite.json.issues).toEqual({ siteUrl: ['Must be an http(s) URL'] });
  });

  it('creates the issue asked for, once, with an ADF description (comment, facts, screenshot, inbox link) and the marker label', async () => {
    const s = await setUp({ issueType: 'Bug' });
    const shot = await postScreenshot(s.t.url, { clientId: s.clientId, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } });
    const { screenshot } = (await shot.json()) as { screenshot: { fileName: string } };
    const res = await postFeedback(s.t.url, { clientId: s.clientId, rating: 1, comment: 'Pay button <b>broken</b>\nsecond line', pageUrl: 'https://shop.example/cart', screenshots: [screenshot] });
    const feedbackId = ((await res.json()) as { feedbackId: string }).feedbackId;
    expect(await trackers(s, feedbackId)).toMatchObject({ status: 'none', issue: null });

    const asked = await askIssue(s, feedbackId);
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ status: 'queued', kind: 'jira' });
    await linked(s, feedbackId);
    expect(s.jira.issues).toHaveLength(1);
    const [issue] = s.jira.issues;
    expect(await trackers(s, feedbackId)).toMatchObject({ issue: { id: `${PROJECT}-1`, url: `${s.jira.url}/browse/${PROJECT}-1` }, attempts: 1, lastError: null });
    expect(issue).toMatchObject({ summary: 'Pay button <b>broken</b>', issueType: 'Bug', labels: [`loupe-${feedbackId.toLowerCase()}`], status: 'To Do' });
    const description = JSON.stringify(issue!.description);
    expect(issue!.description).toMatchObject({
      type: 'doc',
      version: 1,
      content: expect.arrayContaining([
        { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Pay button <b>broken</b>' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'second line' }] }] },
      ]),
    });
    expect(description).toContain('{"type":"text","text":"https://shop.example/cart","marks":[{"type":"link","attrs":{"href":"https://shop.example/cart"}}]}');
    expect(description).toContain(`{"type":"text","text":"Screenshot 1","marks":[{"type":"link","attrs":{"href":"${s.t.url}/files/${screenshot.fileName}"}}]}`);
    expect(description).toContain(`{"type":"text","text":"Loupe feedback ${feedbackId}","marks":[{"type":"link","attrs":{"href":"${s.t.url}/feedback/${feedbackId}"}}]}`);
    expect(description).toContain('{"type":"text","text":"Rating: ","marks":[{"type":"strong"}]},{"type":"text","text":"1 (Terrible)"}');

    // Asked again: the issue that stands, nothing new.
    const again = await askIssue(s, feedbackId);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: 'linked', issue: { id: `${PROJECT}-1` } });
    expect(s.jira.issues).toHaveLength(1);
    expect(s.jira.calls).toEqual(['GET searchAndReconsileIssuesUsingJql', 'POST createIssue']);
    expect(s.jira.problems).toEqual([]);
  });

  it('creates issues on its own for the new reports its rule names, and only those', async () => {
    const s = await setUp({ rule: { ratings: [1, 2] } });
    const bad = await report(s, 1, 'Terrible');
    const fine = await report(s, 4, 'Lovely');
    await linked(s, bad);
    expect(s.jira.issues.map((i) => i.summary)).toEqual(['Terrible']);
    expect(await trackers(s, fine)).toMatchObject({ status: 'none' });
    await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations/${s.connection.id}`, { method: 'PATCH', body: { rule: {} } });
    await report(s, 4, 'Also lovely');
    await expect.poll(() => s.jira.issues.length, { timeout: 10_000 }).toBe(2);
    expect(s.jira.problems).toEqual([]);
  });

  it("moves the issue through its workflow by the connection's mapping, and takes Jira's moves back to the report without an echo", async () => {
    const s = await setUp({ rule: {}, statusMap: { new: 'Backlog', in_progress: 'Doing', done: 'Shipped' } }, ['Backlog', 'Doing', 'Review', 'Shipped']);
    // The admin registered the hook with its secret: Jira tells it of every status change, Loupe's own too.
    s.jira.registerHook(s.connection.hook.url, s.connection.hook.secret);
    const feedbackId = await report(s);
    await linked(s, feedbackId);
    const key = `${PROJECT}-1`;
    const patch = (state: string) => callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`, { method: 'PATCH', body: { state } });

    expect((await patch('done')).status).toBe(200);
    await expect.poll(() => s.jira.issues[0]!.status, { timeout: 10_000 }).toBe('Shipped');
    expect((await patch('in_progress')).status).toBe(200);
    await expect.poll(() => s.jira.issues[0]!.status, { timeout: 10_000 }).toBe('Doing');
    expect(s.jira.calls.filter((call) => call === 'POST doTransition')).toHaveLength(2);
    // Jira told the hook of Loupe's own moves: the report was there already, nothing changed.
    await expect.poll(() => s.jira.told, { timeout: 10_000 }).toEqual([
      { status: 'Shipped', answer: 200 },
      { status: 'Doing', answer: 200 },
    ]);
    expect(await stateOf(s, feedbackId)).toBe('in_progress');
    const callsBefore = s.jira.calls.length;

    // Someone in Jira ships it: the report is done, by Jira, and Jira is not told of its own change.
    await s.jira.moveAs(key, 'Shipped');
    expect(await stateOf(s, feedbackId)).toBe('done');
    const activity = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}/activity`);
    expect(activity.json.items.at(-1)).toMatchObject({ kind: 'state', actorLabel: 'Jira', data: { from: 'in_progress', to: 'done' } });
    // A status the mapping does not name is left alone.
    expect((await sendHook(s, statusEvent(key, 'Review'))).json).toMatchObject({ ignored: 'The status "Review" is not mapped to a Loupe state' });
    expect(await stateOf(s, feedbackId)).toBe('done');
    expect(await sendHook(s, statusEvent(key, 'backlog'))).toEqual({ status: 200, json: { ok: true, feedbackId, state: 'new' } });
    expect(await stateOf(s, feedbackId)).toBe('new');
    // Wait for the outbox to have looked at these changes, then: no transition went back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(s.jira.calls.slice(callsBefore)).toEqual([]);
    expect(s.jira.problems).toEqual([]);
  });

  it('refuses a hook with a wrong signature, and ignores other events and unlinked issues', async () => {
    const s = await setUp({ rule: {} });
    const feedbackId = await report(s);
    await linked(s, feedbackId);
    expect((await sendHook(s, statusEvent(`${PROJECT}-1`, 'Done'), 'not-the-secret')).status).toBe(401);
    const unsigned = await fetch(s.connection.hook.url, { method: 'POST', body: statusEvent(`${PROJECT}-1`, 'Done') });
    expect(unsigned.status).toBe(401);
    expect((await sendHook(s, statusEvent(`${PROJECT}-1`, 'Done', 'jira:issue_created'))).status).toBe(202);
    expect((await sendHook(s, statusEvent(`${PROJECT}-99`, 'Done'))).json).toMatchObject({ ignored: 'No report is linked to this issue' });
    expect((await sendHook(s, 'not json')).status).toBe(400);
    const other = await fetch(s.connection.hook.url.replace(s.connection.id, 'int_unknown'), { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    expect(await stateOf(s, feedbackId)).toBe('new');
  });

  it('retries while Jira answers 503 and shows "retrying" with the count, then makes one issue', async () => {
    const s = await setUp();
    const feedbackId = await report(s);
    s.jira.failNext(3, 503);
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const during = await trackers(s, feedbackId);
    if (during.status !== 'linked') expect(during).toMatchObject({ status: 'retrying', lastError: 'Jira answered 503: Service unavailable' });
    await linked(s, feedbackId);
    expect(await trackers(s, feedbackId)).toMatchObject({ attempts: 4, lastError: null });
    expect(s.jira.issues).toHaveLength(1);
    expect(s.jira.problems).toEqual([]);
  });

  it.each([
    ['the token is refused', { apiToken: 'ATATT-revoked' }, 'Jira answered 401: Client must be authenticated to access this resource.'],
    ["the issue type is not the project's", { issueType: 'Epic' }, 'Jira answered 400: issuetype: Specify a valid issue type'],
  ])('shows "needs attention" with the reason when %s, and keeps the report queued', async (_, body, said) => {
    const s = await setUp(body);
    const feedbackId = await report(s);
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('needs-attention');
    expect((await trackers(s, feedbackId)).lastError).toBe(`${said} (needs attention: check the e-mail, the API token, its access to the project and the issue type)`);
    expect(s.jira.issues).toHaveLength(0);
    expect(s.jira.problems).toEqual([]);
  });

  it('makes one issue when the answer to its creation is lost: the next try finds it by its label', async () => {
    const s = await setUp();
    const feedbackId = await report(s);
    s.jira.dropNextCreate();
    await askIssue(s, feedbackId);
    await linked(s, feedbackId);
    expect(s.jira.issues).toHaveLength(1);
    expect(await trackers(s, feedbackId)).toMatchObject({ attempts: 2, issue: { id: `${PROJECT}-1` } });
    expect(s.jira.calls).toEqual(['GET searchAndReconsileIssuesUsingJql', 'POST createIssue', 'GET searchAndReconsileIssuesUsingJql']);
    expect(s.jira.problems).toEqual([]);
  });
});

describe('npm run server -- trackers (Jira)', () => {
  it('connects Jira with the API token from stdin and prints the hook once; a bad flag is named', async () => {
    const { install, clientId } = await installWithClient('Shop');
    cleanups.push(install.remove);
    const args = ['--data-dir', install.dataDir];
    const env = { ...install.env, PUBLIC_URL: 'https://loupe.example' };
    const connect = (...more: string[]) => runCli(['trackers', 'connect', '--client', clientId, '--kind', 'jira', '--secret-stdin', ...more, ...args], env, `${TOKEN}\n`);
    const made = await connect('--site', 'https://acme.atlassian.net', '--email', EMAIL, '--project', PROJECT, '--issue-type', 'Bug', '--rule', 'all');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const id = /Connection: (int_\S+) \(jira SHOP on acme\.atlassian\.net\)/.exec(made.stdout)?.[1];
    expect(id).toBeDefined();
    expect(made.stdout).toContain('New reports: every report');
    expect(made.stdout).toContain(`Jira webhook URL: https://loupe.example/api/integrations/${id}/jira`);
    expect(made.stdout).toMatch(/Jira webhook secret: [A-Za-z0-9_-]{32}\n/);
    expect(made.stdout).not.toContain(TOKEN);
    const listed = await runCli(['trackers', 'list', '--client', clientId, ...args], env);
    expect(listed.stdout).toContain(`${id}\tjira\tSHOP on acme.atlassian.net\tevery report\ton`);
    const wrong = await connect('--site', 'https://acme.atlassian.net', '--email', EMAIL, '--project', 'shop');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--project: Must be a project key, e.g. SHOP');
  });
});
