/**
 * GitHub in the inbox, end to end in real Chromium against the real server and the local
 * GitHub API that checks requests against GitHub's OpenAPI document: an owner connects a
 * repository in settings and copies the webhook secret; on a report, "GitHub: retrying (2)"
 * shows while GitHub answers 503, then the issue's link; a token GitHub refuses shows "needs
 * attention" with the reason; Slack connected by its URL, shown back by its host.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEAM_STRINGS as T } from '../../server/inbox/client/strings';
import { startGitHubApi, type GitHubApi } from '../server/github-api';
import { postFeedback } from '../server/helpers';
import { openInboxAs, projectOwnedBy } from './support/inbox';
import { startStack, type Stack } from './support/stack';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OWNER = { name: 'Olivia', email: 'olivia@example.com', password: 'correct horse battery' };
const TOKEN = 'github_pat_11AAAAAAA0loupeInboxTest';

let stack: Stack;
let browser: Browser;
let github: GitHubApi;
let clientId: string;

beforeAll(async () => {
  github = await startGitHubApi({ token: TOKEN, repo: 'acme/shop' });
  stack = await startStack({ githubApiUrl: github.url, outbound: { allowedHosts: ['127.0.0.1'], pollMs: 100, retryDelaysMs: [1_500, 1_500, 1_500, 1_500] } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  clientId = await projectOwnedBy(stack.server.storage, 'Shop', OWNER);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await github?.close();
});

async function report(comment: string): Promise<string> {
  const res = await postFeedback(stack.server.url, { clientId, rating: 1, comment });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

async function connect(page: Page, repo: string, token: string): Promise<void> {
  await page.goto(`${stack.server.url}/settings`);
  await page.getByLabel(T.githubRepo).fill(repo);
  await page.getByLabel(T.githubToken).fill(token);
  await page.getByLabel(T.githubLabels).fill('loupe');
  await page.getByRole('button', { name: T.connectGitHub, exact: true }).click();
  await expect.poll(() => page.getByLabel(T.githubHookSecret).inputValue()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  await expect.poll(() => page.getByRole('row').filter({ hasText: repo }).textContent()).toContain(T.ruleText(null));
}

it('an owner connects GitHub; a report shows retrying, then its issue; a refused token needs attention', async () => {
  const { context, page, errors } = await openInboxAs(browser, stack.server.url, OWNER);
  await connect(page, 'acme/shop', TOKEN);

  const feedbackId = await report('The pay button does nothing');
  await page.goto(`${stack.server.url}/feedback/${feedbackId}`);
  const trackers = page.getByRole('region', { name: T.trackers });
  github.failNext(2, 503);
  await trackers.getByRole('button', { name: T.createIssueIn('GitHub') }).click();
  await expect.poll(() => trackers.textContent(), { timeout: 10_000 }).toContain('GitHub: retrying (');
  const link = trackers.getByRole('link', { name: T.issueLink('GitHub', '1') });
  await link.waitFor();
  expect(await link.getAttribute('href')).toBe('https://github.example/acme/shop/issues/1');
  expect(github.issues.get('acme/shop')).toEqual([expect.objectContaining({ title: 'The pay button does nothing', labels: ['loupe'] })]);

  // A second connection whose token GitHub refuses: the report says why, and keeps its place in the queue.
  await connect(page, 'acme/other', 'github_pat_revoked');
  const second = await report('Another broken thing');
  await page.goto(`${stack.server.url}/feedback/${second}`);
  await trackers.getByRole('listitem').filter({ hasText: 'acme/other' }).getByRole('button', { name: T.createIssueIn('GitHub') }).click();
  await expect.poll(() => trackers.getByRole('listitem').filter({ hasText: 'acme/other' }).textContent(), { timeout: 10_000 }).toContain('GitHub: needs attention (GitHub answered 401: Bad credentials');
  expect(github.problems).toEqual([]);

  // Slack: its URL is a secret, shown back by its host only.
  await page.goto(`${stack.server.url}/settings`);
  await page.getByLabel(T.slackUrl).fill('https://hooks.slack.com/services/T000/B000/secretpart');
  await page.getByRole('button', { name: T.connectSlack, exact: true }).click();
  await expect.poll(() => page.getByRole('row').filter({ hasText: 'hooks.slack.com' }).textContent()).toContain(T.ruleText({}));
  expect(await page.content()).not.toContain('secretpart');
  expect(errors).toEqual([]);
  await context.close();
});
