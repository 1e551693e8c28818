/**
 * GitHub as a tracker on the test engine (SQLite, and PostgreSQL in `server-pg`): the real
 * server talks through Octokit to a local GitHub API that checks every request against
 * GitHub's OpenAPI document (github-api.ts); GitHub's webhook comes back signed by
 * @octokit/webhooks with GitHub's own example payload. Connecting, an issue by hand and by
 * rule, state both ways without an echo, retries shown on the report, a token refused, and
 * a lost answer that still makes one issue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubApi, type GitHubApi } from './github-api.ts';
import { runCli } from './child-process.ts';
import { hookHeaders, issuesEvent as githubIssuesEvent } from './github-hooks.ts';
import { installWithClient, pngBytes, postFeedback, postScreenshot } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { callAs } from './team-helpers.ts';
import { askIssue, connectedProject, report, trackers, type TrackerSetup } from './tracker-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TOKEN = 'github_pat_11AAAAAAA0loupeTestToken';
const REPO = 'acme/shop';

interface Setup extends TrackerSetup {
  github: GitHubApi;
}

async function setUp(body: Record<string, unknown> = {}): Promise<Setup> {
  const github = await startGitHubApi({ token: TOKEN, repo: REPO });
  cleanups.push(github.close);
  const s = await connectedProject(cleanups, { kind: 'github', repo: REPO, token: TOKEN, labels: ['loupe', 'bug'], ...body }, { githubApiUrl: github.url });
  return { ...s, github };
}

const issues = (s: Setup) => s.github.issues.get(REPO)!;

const issuesEvent = (action: 'closed' | 'reopened', number: number, repo = REPO) => githubIssuesEvent(action, number, repo);

async function sendHook(s: Setup, body: string, secret = s.connection.hook.secret, event = 'issues') {
  const res = await fetch(s.connection.hook.url, { method: 'POST', headers: await hookHeaders(body, secret, event), body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the local GitHub API', () => {
  it("flags what GitHub's document refuses: an unknown route, a wrong body, a wrong query parameter", async () => {
    const github = await startGitHubApi({ token: TOKEN, repo: REPO });
    cleanups.push(github.close);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${github.url}${path}`, { method, headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await call('POST', `/repos/${REPO}/issues`, { title: 'Fine', labels: ['a'] });
    expect(github.problems).toEqual([]);
    await call('POST', `/repos/${REPO}/issues`, { title: { no: 1 } });
    await call('GET', `/repos/${REPO}/issues?state=sideways`);
    await call('POST', `/repos/${REPO}/tickets`, {});
    expect(github.problems).toEqual([
      expect.stringMatching(/^issues\/create: body: \/title/),
      expect.stringMatching(/^issues\/list-for-repo: state=sideways/),
      `POST /repos/${REPO}/tickets: no such operation in GitHub's document`,
    ]);
  });
});

describe('GitHub', () => {
  it('connects a repository: the token never shown again, the hook URL and secret once', async () => {
    const s = await setUp();
    expect(s.connection).toMatchObject({ kind: 'github', name: REPO, rule: null, enabled: true, settings: { repo: REPO, apiUrl: s.github.url, labels: ['loupe', 'bug'] } });
    expect(s.connection.hook).toEqual({ url: `${s.t.url}/api/integrations/${s.connection.id}/github`, secret: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), events: ['issues'] });
    const listed = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`);
    expect(listed.json.items).toEqual([expect.objectContaining({ id: s.connection.id, kind: 'github' })]);
    expect(JSON.stringify(listed.json)).not.toContain(TOKEN);
    expect(JSON.stringify(listed.json)).not.toContain(s.connection.hook.secret);

    const bad = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, { method: 'POST', body: { kind: 'github', repo: 'not a repo', token: '' } });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual({ repo: ['Must be owner/name, e.g. acme/shop'], token: ['Must be a GitHub token'] });
    const unknown = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, { method: 'POST', body: { kind: 'gitlab' } });
    expect(unknown.json.issues).toEqual({ kind: [expect.stringContaining('Must be one of github')] });
    const builtIn = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations`, { method: 'POST', body: { kind: 'constructor' } });
    expect(builtIn.status).toBe(400);
    expect(builtIn.json.issues).toEqual({ kind: [expect.stringContaining('Must be one of github')] });
  });

  it('creates the issue asked for, once, with the comment, screenshot, links, labels and the marker; it is shown on the report', async () => {
    const s = await setUp();
    const shot = await postScreenshot(s.t.url, { clientId: s.clientId, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } });
    const { screenshot } = (await shot.json()) as { screenshot: { fileName: string } };
    const fileName = screenshot.fileName;
    const res = await postFeedback(s.t.url, { clientId: s.clientId, rating: 1, comment: 'Pay button <b>broken</b>', screenshots: [screenshot] });
    const feedbackId = ((await res.json()) as { feedbackId: string }).feedbackId;
    expect(await trackers(s, feedbackId)).toMatchObject({ status: 'none', issue: null });

    const asked = await askIssue(s, feedbackId);
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ status: 'queued', kind: 'github', name: REPO });
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    const [issue] = issues(s);
    expect(issues(s)).toHaveLength(1);
    expect(await trackers(s, feedbackId)).toMatchObject({ issue: { id: '1', url: `https://github.example/${REPO}/issues/1` }, attempts: 1, lastError: null });
    expect(issue!.title).toBe('Pay button <b>broken</b>');
    expect(issue!.body).toContain('> Pay button \\<b\\>broken\\</b\\>');
    expect(issue!.body).toContain(`![Screenshot 1](${s.t.url}/files/${fileName})`);
    expect(issue!.body).toContain(`${s.t.url}/feedback/${feedbackId}`);
    expect(issue!.body).toContain(`<!-- loupe:${feedbackId} -->`);
    expect(issue!.labels).toEqual(['loupe', 'bug']);

    // Asked again: the issue that stands, nothing new.
    const again = await askIssue(s, feedbackId);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: 'linked', issue: { id: '1' } });
    expect(issues(s)).toHaveLength(1);
    expect(s.github.calls).toEqual(['GET issues/list-for-repo', 'POST issues/create']);
    expect(s.github.problems).toEqual([]);
  });

  it('creates issues on its own for the new reports its rule names, and only those', async () => {
    const s = await setUp({ rule: { ratings: [1, 2] } });
    const bad = await report(s, 1, 'Terrible');
    const fine = await report(s, 4, 'Lovely');
    await expect.poll(async () => (await trackers(s, bad)).status, { timeout: 10_000 }).toBe('linked');
    expect(issues(s).map((i) => i.title)).toEqual(['Terrible']);
    expect(await trackers(s, fine)).toMatchObject({ status: 'none' });

    const wrongRule = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations/${s.connection.id}`, { method: 'PATCH', body: { rule: { ratings: [5] } } });
    expect(wrongRule.status).toBe(400);
    const everything = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/integrations/${s.connection.id}`, { method: 'PATCH', body: { rule: {} } });
    expect(everything.json.rule).toEqual({});
    await report(s, 4, 'Also lovely');
    await expect.poll(() => issues(s).length, { timeout: 10_000 }).toBe(2);
    expect(s.github.problems).toEqual([]);
  });

  it('closes and reopens the issue with the report, and takes GitHub closing it back to the report without an echo', async () => {
    const s = await setUp({ rule: {} });
    const feedbackId = await report(s);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    const patch = (state: string) => callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`, { method: 'PATCH', body: { state } });

    expect((await patch('done')).status).toBe(200);
    await expect.poll(() => issues(s)[0]!.state, { timeout: 10_000 }).toBe('closed');
    expect(issues(s)[0]!.state_reason).toBe('completed');
    expect((await patch('in_progress')).status).toBe(200);
    await expect.poll(() => issues(s)[0]!.state, { timeout: 10_000 }).toBe('open');
    expect(issues(s)[0]!.state_reason).toBe('reopened');
    const callsBefore = s.github.calls.length;

    // GitHub closes it: the report is done, by GitHub, and GitHub is not told of its own change.
    const closed = await sendHook(s, issuesEvent('closed', 1));
    expect(closed).toEqual({ status: 200, json: { ok: true, feedbackId, state: 'done' } });
    const item = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`);
    expect(item.json.state).toBe('done');
    const activity = await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}/activity`);
    expect(activity.json.items.at(-1)).toMatchObject({ kind: 'state', actorLabel: 'GitHub', data: { from: 'in_progress', to: 'done' } });
    expect((await sendHook(s, issuesEvent('reopened', 1))).json).toMatchObject({ state: 'new' });
    expect((await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`)).json.state).toBe('new');
    // Wait for the outbox to have looked at both changes, then: no update went back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(s.github.calls.slice(callsBefore)).toEqual([]);
    expect(s.github.problems).toEqual([]);
  });

  it("lists the repro steps read from the report's stored replay", async () => {
    const s = await setUp();
    const events = replayEvents();
    // A click on the heading, after the page opened.
    events.splice(3, 0, { type: 3, data: { source: 2, type: 2, id: 6, x: 1, y: 1 }, timestamp: (events[2] as { timestamp: number }).timestamp + 1 });
    const replay = await postReplay(s.t.url, { clientId: s.clientId, replay: replayFile(gzipJson(events)) });
    const replayId = ((await replay.json()) as { replay: { id: string } }).replay.id;
    const res = await postFeedback(s.t.url, { clientId: s.clientId, rating: 2, comment: 'Heading is wrong', sessionReplayId: replayId });
    const feedbackId = ((await res.json()) as { feedbackId: string }).feedbackId;
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    const body = issues(s)[0]!.body;
    // Its address defused as all user text is (no autolink): a word joiner after the scheme.
    expect(body).toContain('1. Open https\u2060://app.example.com/page');
    expect(body).toContain('2. Click “Hello replay”');
    expect(body).toContain(`/replays/${replayId}.json.gz`);
  });

  it('makes the issue of a report already done closed', async () => {
    const s = await setUp();
    const feedbackId = await report(s);
    await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`, { method: 'PATCH', body: { state: 'done' } });
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    expect(issues(s)[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(s.github.problems).toEqual([]);
  });

  it('refuses a hook with a wrong signature, and ignores other repositories, events and unlinked issues', async () => {
    const s = await setUp({ rule: {} });
    const feedbackId = await report(s);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    expect((await sendHook(s, issuesEvent('closed', 1), 'not-the-secret')).status).toBe(401);
    expect((await sendHook(s, issuesEvent('closed', 1, 'evil/fork'))).status).toBe(202);
    expect((await sendHook(s, issuesEvent('closed', 99))).status).toBe(202);
    expect((await sendHook(s, '{"zen":"Keep it logically awesome."}', undefined, 'ping')).status).toBe(200);
    const other = await fetch(s.connection.hook.url.replace(s.connection.id, 'int_unknown'), { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    expect((await callAs(s.t, s.owner, `/api/projects/${s.clientId}/feedbacks/${feedbackId}`)).json.state).toBe('new');
  });

  it('retries while GitHub answers 503 and shows "retrying" with the count, then makes one issue', async () => {
    const s = await setUp();
    const feedbackId = await report(s);
    s.github.failNext(3, 503);
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const during = await trackers(s, feedbackId);
    if (during.status !== 'linked') expect(during).toMatchObject({ status: 'retrying', lastError: expect.stringContaining('GitHub answered 503') });
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    expect(await trackers(s, feedbackId)).toMatchObject({ attempts: 4, lastError: null });
    expect(issues(s)).toHaveLength(1);
    expect(s.github.problems).toEqual([]);
  });

  it('shows "needs attention" with the reason when the token is refused, and keeps the report queued', async () => {
    const s = await setUp({ token: 'github_pat_revoked' });
    const feedbackId = await report(s);
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('needs-attention');
    expect((await trackers(s, feedbackId)).lastError).toBe('GitHub answered 401: Bad credentials (needs attention: check the token and its access to the repository)');
    expect(issues(s)).toHaveLength(0);
  });

  it('makes one issue when the answer to its creation is lost: the next try finds it by its marker', async () => {
    const s = await setUp();
    const feedbackId = await report(s);
    s.github.dropNextCreate();
    await askIssue(s, feedbackId);
    await expect.poll(async () => (await trackers(s, feedbackId)).status, { timeout: 10_000 }).toBe('linked');
    expect(issues(s)).toHaveLength(1);
    expect(await trackers(s, feedbackId)).toMatchObject({ attempts: 2, issue: { id: '1' } });
    expect(s.github.calls).toEqual(['GET issues/list-for-repo', 'POST issues/create', 'GET issues/list-for-repo']);
    expect(s.github.problems).toEqual([]);
  });
});

describe('npm run server -- trackers', () => {
  it('connects GitHub with the token from stdin, prints the hook once, lists and deletes; a bad flag is named', async () => {
    const { install, clientId } = await installWithClient('Shop');
    cleanups.push(install.remove);
    const args = ['--data-dir', install.dataDir];
    const env = { ...install.env, PUBLIC_URL: 'https://loupe.example' };
    const connect = (...more: string[]) => runCli(['trackers', 'connect', '--client', clientId, '--kind', 'github', '--secret-stdin', ...more, ...args], env, `${TOKEN}\n`);
    const made = await connect('--repo', REPO, '--labels', 'loupe,bug', '--rule', '1,2');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const id = /Connection: (int_\S+) \(github acme\/shop\)/.exec(made.stdout)?.[1];
    expect(id).toBeDefined();
    expect(made.stdout).toContain('New reports: rated 1,2');
    expect(made.stdout).toContain(`GitHub webhook URL: https://loupe.example/api/integrations/${id}/github`);
    expect(made.stdout).toMatch(/GitHub webhook secret: [A-Za-z0-9_-]{32}\n/);
    expect(made.stdout).not.toContain(TOKEN);

    const listed = await runCli(['trackers', 'list', '--client', clientId, ...args], env);
    expect(listed.stdout).toContain(`${id}\tgithub\tacme/shop\trated 1,2\ton`);
    const wrongRepo = await connect('--repo', 'shop');
    expect(wrongRepo.code).toBe(1);
    expect(wrongRepo.stderr).toContain('--repo: Must be owner/name, e.g. acme/shop');
    const wrongRule = await connect('--repo', REPO, '--rule', '5');
    expect(wrongRule.code).toBe(2);
    expect(wrongRule.stderr).toContain('Not a rule: 5 (none, all, or ratings such as 1,2)');
    expect((await runCli(['trackers', 'delete', '--id', id!, ...args], env)).code).toBe(0);
    expect((await runCli(['trackers', 'list', '--client', clientId, ...args], env)).stdout).toContain('No trackers yet');
  });
});
