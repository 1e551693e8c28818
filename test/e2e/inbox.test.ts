/**
 * The inbox, end to end in real Chromium against the real server: feedback seeded through the
 * ingest API, a project key made the way the CLI makes one, then signing in, filtering,
 * paging, opening an item with its screenshot and replay, changing its state, copying it as a
 * GitHub issue, exporting the filtered list, and all of it at phone width.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenshotRef } from '../../lib/api/schemas';
import { createProjectKey } from '../../server/auth/keys';
import { AUTH_ERRORS } from '../../server/constants';
import { PAGE_SIZE } from '../../server/inbox/client/list';
import { INBOX_STRINGS as S } from '../../server/inbox/client/strings';
import { openMasterKey } from '../../server/start';
import { pngBytes, postFeedback, postScreenshot } from '../server/helpers';
import { gzipJson, postReplay, replayEvents, replayFile } from '../server/replay-fixtures';
import { signInWithAdminToken, signInWithKey } from './support/inbox';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOT = { width: 320, height: 200 };
const REPLAY_OFFSET_MS = 3_000;
// One more than a page: the list pages through them, the export takes them all.
const FILLERS = PAGE_SIZE + 1;

let stack: Stack;
let browser: Browser;
let clientId: string;
let key: { kid: string; secret: string };
let shot: ScreenshotRef;
let replayId: string;
const ids = { checkout: '', search: '', slow: '', noComment: '', evil: '' };

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await postFeedback(stack.server.url, { clientId, ...body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

/** The read API as a tool would call it, with the admin token. */
async function readApi<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
  const res = await fetch(`${stack.server.url}/api/projects/${clientId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  stack = await startStack();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  clientId = (await createClient(stack.server.storage, { name: 'Shop' })).id;
  const masterKey = openMasterKey(join(stack.dataDir, 'server'));
  const created = await createProjectKey(stack.server.storage, masterKey, { clientId, name: 'inbox e2e' });
  key = { kid: created.key.kid, secret: created.secret };

  const upload = await postScreenshot(stack.server.url, { clientId, screenshot: { bytes: pngBytes(SHOT.width, SHOT.height), type: 'image/png' } });
  shot = ((await upload.json()) as { screenshot: ScreenshotRef }).screenshot;
  const replay = await postReplay(stack.server.url, { clientId, replay: replayFile(gzipJson(replayEvents({ durationMs: 6_000 }))) });
  replayId = ((await replay.json()) as { replay: { id: string } }).replay.id;

  // Oldest first: the fillers, then the items the tests look for (newest-updated first in the list).
  for (let i = 1; i <= FILLERS; i++) await submit({ rating: 3, comment: `Filler ${i}`, environment: 'bulk' });
  ids.checkout = await submit({
    rating: 1,
    comment: 'Checkout button does nothing\nI clicked it three times.',
    environment: 'staging',
    pageUrl: 'https://shop.example.com/checkout',
    pageTitle: 'Checkout',
    screenshots: [shot],
    sessionReplayId: replayId,
    replayOffsetMs: REPLAY_OFFSET_MS,
    metadata: { appVersion: '1.4.2', flags: { newCart: true } },
  });
  ids.noComment = await submit({ rating: 3, environment: 'production' });
  ids.evil = await submit({ rating: 2, comment: '<img src=x onerror="window.__xss=1"> **bold** [link](https://evil.example)' });
  ids.search = await submit({ rating: 4, comment: 'Love the new search' });
  ids.slow = await submit({ rating: 2, comment: 'Search results are slow', environment: 'staging' });
  await readApi('PATCH', `/feedbacks/${ids.search}`, { state: 'done' });
  await readApi('PATCH', `/feedbacks/${ids.slow}`, { state: 'in_progress' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A new tab (its own sessionStorage) on the inbox, signed in with the project key. */
async function signedIn(options: BrowserContextOptions = {}, path = '/'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${stack.server.url}${path}`);
  await signInWithKey(page, key.kid, key.secret);
  await page.getByRole('heading', { name: S.listTitle }).waitFor();
  return { page, errors };
}

const filters = (page: Page) => page.getByRole('search');
const listedIds = (page: Page) => page.locator('.items a.item').evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.feedbackId));
const counts = (page: Page) => filters(page).locator('[data-state-filter]').allTextContents();
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const focusedId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.id || (document.activeElement as HTMLElement | null)?.dataset.feedbackId);

describe('the inbox', () => {
  it('signs in with a project key; a wrong secret or key id shows the server’s refusal', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/`);
    // What a first-time visitor needs stays beside the form.
    await page.getByRole('heading', { name: S.welcomeTitle }).waitFor();
    expect(await page.getByRole('link', { name: S.welcomeDemoLink }).getAttribute('href')).toBe('./demo');

    await signInWithKey(page, key.kid, `${key.secret.slice(0, -2)}xx`);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(S.signInFailed(AUTH_ERRORS.badSignature));
    await signInWithKey(page, 'key_doesNotExist', key.secret);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(S.signInFailed(AUTH_ERRORS.unknownKid));

    await signInWithKey(page, key.kid, key.secret);
    await page.getByRole('heading', { name: S.listTitle }).waitFor();
    expect(await page.getByText('Shop', { exact: true }).isVisible()).toBe(true);
    // The secret stays in this tab: a reload keeps the sign-in, nothing outlives the tab.
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: S.listTitle }).waitFor();
    await page.getByRole('button', { name: S.signOut }).click();
    await page.getByRole('heading', { name: S.signInTitle }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: S.signInTitle }).waitFor();
    await context.close();
  });

  it('filters by state, environment, rating and comment text, with counts per state, and pages', async () => {
    const { page, errors } = await signedIn();
    const total = FILLERS + 5;
    await expect.poll(() => counts(page)).toEqual([`All (${total})`, `New (${total - 2})`, 'In progress (1)', 'Done (1)']);
    const firstPage = await listedIds(page);
    expect(firstPage).toHaveLength(PAGE_SIZE);
    expect(firstPage.slice(0, 5)).toEqual([ids.slow, ids.search, ids.evil, ids.noComment, ids.checkout]);
    expect(await page.getByRole('button', { name: new RegExp(S.newer) }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: new RegExp(S.older) }).click();
    await expect.poll(() => listedIds(page)).toHaveLength(total - PAGE_SIZE);
    expect(await focusedId(page)).toBe('list-title');
    await page.getByRole('button', { name: new RegExp(S.newer) }).click();
    await expect.poll(() => listedIds(page)).toEqual(firstPage);

    await filters(page).getByRole('button', { name: /^Done/ }).click();
    await expect.poll(() => listedIds(page)).toEqual([ids.search]);
    await filters(page).getByRole('button', { name: /^In progress/ }).click();
    await expect.poll(() => listedIds(page)).toEqual([ids.slow]);
    await filters(page).getByRole('button', { name: /^All/ }).click();

    await page.getByLabel(S.environmentFilter).fill('staging');
    await page.getByLabel(S.environmentFilter).press('Enter');
    await expect.poll(() => listedIds(page)).toEqual([ids.slow, ids.checkout]);
    await expect.poll(() => counts(page)).toEqual(['All (2)', 'New (1)', 'In progress (1)', 'Done (0)']);
    await page.getByLabel(S.ratingFilter).selectOption('1');
    await expect.poll(() => listedIds(page)).toEqual([ids.checkout]);
    await expect.poll(() => counts(page)).toEqual(['All (1)', 'New (1)', 'In progress (0)', 'Done (0)']);

    await page.getByRole('button', { name: S.clearFilters }).click();
    await page.getByLabel(S.searchFilter).fill('SEARCH'); // case-insensitive, applied as you type
    await expect.poll(() => listedIds(page)).toEqual([ids.slow, ids.search]);
    await page.getByLabel(S.searchFilter).fill('');
    await page.getByLabel(S.environmentFilter).fill('default'); // feedback sent without an environment
    await page.getByLabel(S.environmentFilter).press('Enter');
    await expect.poll(() => listedIds(page)).toEqual([ids.search, ids.evil]);

    // The filters are in the address: a reload shows the same list.
    expect(new URL(page.url()).searchParams.get('env')).toBe('default');
    await page.reload();
    await expect.poll(() => listedIds(page)).toEqual([ids.search, ids.evil]);
    expect(await page.getByLabel(S.environmentFilter).inputValue()).toBe('default');

    // A comment full of markup is shown as the text it is.
    expect(await page.locator(`[data-feedback-id="${ids.evil}"] .item-comment`).textContent()).toContain('<img src=x onerror=');
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens a feedback: its facts, the screenshot at full size, the metadata, and the replay playing from the feedback', async () => {
    const { page, errors } = await signedIn();
    await page.locator(`a[data-feedback-id="${ids.checkout}"]`).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/feedback/${ids.checkout}`);
    const detail = page.locator('article.detail');
    expect(await detail.getByRole('heading', { level: 2 }).textContent()).toBe('Checkout button does nothing');
    expect(await focusedId(page)).toBe('detail-title');
    expect(await detail.getByRole('link', { name: 'https://shop.example.com/checkout' }).getAttribute('href')).toBe('https://shop.example.com/checkout');
    const facts = await detail.locator('dl.facts').innerText();
    for (const text of ['1 (Terrible)', 'staging', 'I clicked it three times.', ids.checkout]) expect(facts).toContain(text);

    const image = detail.getByRole('img', { name: S.screenshotAlt(1, 1) });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(SHOT.width);
    expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight, img.clientWidth, img.clientHeight])).toEqual([SHOT.width, SHOT.height, SHOT.width, SHOT.height]);

    const metadata = await detail.getByRole('table').innerText();
    expect(metadata).toContain('appVersion');
    expect(metadata).toContain('1.4.2');
    expect(metadata).toContain('"newCart": true');

    await page.waitForSelector('#replay[data-replay-state="playing"], #replay[data-replay-state="error"]');
    const replay = page.locator('#replay');
    expect(await replay.getAttribute('data-replay-error')).toBeNull();
    expect(await replay.getAttribute('data-replay-state')).toBe('playing');
    expect(await replay.getAttribute('data-replay-offset-ms')).toBe(String(REPLAY_OFFSET_MS));
    // The recorded page itself is rebuilt inside the player.
    const rebuilt = page.frameLocator('#replay iframe').locator('#title');
    await expect.poll(() => rebuilt.textContent()).toContain('Hello replay');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('changes the state from the detail view (opened by its link) and the server keeps it', async () => {
    const { page } = await signedIn({}, `/feedback/${ids.checkout}`);
    const detail = page.locator('article.detail');
    await detail.waitFor();
    const before = (await readApi<{ items: { id: string; updatedAt: string }[] }>('POST', '/feedbacks/filter?limit=100', { query: [] })).items.find((i) => i.id === ids.checkout)!;

    await detail.getByRole('button', { name: 'In progress' }).click();
    await expect.poll(() => page.getByText(S.stateChanged('In progress')).count()).toBe(1);
    expect(await detail.getByRole('button', { name: 'In progress' }).getAttribute('aria-pressed')).toBe('true');

    const stored = await readApi<{ items: { id: string; state: string; updatedAt: string }[] }>('POST', '/feedbacks/filter?limit=100', {
      query: [{ filter_type: 'state', operator: 'eq', value: 'in_progress' }],
    });
    const item = stored.items.find((i) => i.id === ids.checkout)!;
    expect(item.state).toBe('in_progress');
    expect(item.updatedAt > before.updatedAt).toBe(true);
    // The list beside it follows: the item moved to the top, the counts changed.
    await expect.poll(async () => (await listedIds(page))[0]).toBe(ids.checkout);
    await expect.poll(async () => (await counts(page))[2]).toBe('In progress (2)');

    await detail.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.getByText(S.stateChanged('New')).count()).toBe(1);

    // A link to an item no project of this sign-in has says so.
    await page.goto(`${stack.server.url}/feedback/fb_doesNotExist`);
    await page.getByRole('alert').filter({ hasText: S.notFound }).waitFor();
    await page.context().close();
  });

  it('copies a feedback as a GitHub issue with its screenshot and replay links', async () => {
    const { page } = await signedIn({ permissions: ['clipboard-read', 'clipboard-write'] }, `/feedback/${ids.checkout}`);
    await page.getByRole('button', { name: S.copyIssue }).click();
    await page.getByText(S.issueCopied).waitFor();
    const markdown = await page.getByLabel(S.issueMarkdown).inputValue();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);
    const url = stack.server.url;
    expect(markdown.split('\n')[0]).toBe('# Checkout button does nothing');
    expect(markdown).toContain('> I clicked it three times.');
    expect(markdown).toContain('- **Rating:** 1 (Terrible)');
    expect(markdown).toContain('- **Environment:** staging');
    // The link text carries a word joiner (invisible) so that GitHub does not autolink it again.
    expect(markdown).toContain('[https\u2060://shop.example.com/checkout](https://shop.example.com/checkout)');
    expect(markdown).toContain(`![Screenshot 1](${url}/files/${shot.fileName})`);
    expect(markdown).toContain(`(${url}/feedback/${ids.checkout})`);
    expect(markdown).toContain(`(${url}/replays/${replayId}.json.gz)`);
    expect(markdown).toMatch(/<details>\n<summary>Metadata<\/summary>\n\n```+json\n\{\n {2}"appVersion": "1.4.2"/);
    // The links it hands out work without the inbox: the screenshot and the replay file.
    for (const link of [`${url}/files/${shot.fileName}`, `${url}/replays/${replayId}.json.gz`]) expect((await fetch(link)).status).toBe(200);

    // User markup is defused in the Markdown too.
    await page.goto(`${url}/feedback/${ids.evil}`);
    await page.getByRole('button', { name: S.copyIssue }).click();
    const evil = await page.getByLabel(S.issueMarkdown).inputValue();
    expect(evil).toContain('\\<img src=x onerror="window.\\_\\_xss=1"\\> \\*\\*bold\\*\\* \\[link\\]\\(https\u2060://evil.example\\)');
    await page.context().close();
  });

  it('exports the filtered list as JSON: every page of it, not just the one shown', async () => {
    const { page } = await signedIn();
    await page.getByLabel(S.environmentFilter).fill('bulk');
    await page.getByLabel(S.environmentFilter).press('Enter');
    await expect.poll(async () => (await counts(page))[0]).toBe(`All (${FILLERS})`);
    await expect.poll(() => listedIds(page)).toHaveLength(PAGE_SIZE);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: S.exportJson }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^loupe-${clientId}-.+\\.json$`));
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      count: number;
      query: unknown;
      items: { id: string; environment: string; comment: string }[];
    };
    expect(exported.count).toBe(FILLERS);
    expect(exported.query).toEqual([{ filter_type: 'environment', operator: 'eq', value: 'bulk' }]);
    expect(new Set(exported.items.map((item) => item.id)).size).toBe(FILLERS);
    expect(exported.items.every((item) => item.environment === 'bulk')).toBe(true);
    expect(exported.items.map((item) => item.comment)).toEqual(Array.from({ length: FILLERS }, (_, i) => `Filler ${FILLERS - i}`));
    await page.getByText(S.exported(FILLERS, download.suggestedFilename())).waitFor();
    await page.context().close();
  });

  it('works at phone width, in dark mode: list and detail without sideways scrolling, focus following', async () => {
    const { page, errors } = await signedIn({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, colorScheme: 'dark' });
    await expect.poll(() => listedIds(page)).toHaveLength(PAGE_SIZE);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(18, 20, 28)');

    // By keyboard: the item's link, Enter, and the detail replaces the list.
    const link = page.locator(`a[data-feedback-id="${ids.checkout}"]`);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.locator('article.detail').waitFor();
    expect(await focusedId(page)).toBe('detail-title');
    expect(await page.locator('.list-pane').isVisible()).toBe(false);
    await page.waitForSelector('#replay[data-replay-state="playing"]');
    const image = page.getByRole('img', { name: S.screenshotAlt(1, 1) });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(SHOT.width);
    const replayBox = await page.locator('#replay [data-replay-root]').boundingBox();
    expect(replayBox!.x + replayBox!.width).toBeLessThanOrEqual(375);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);

    await page.getByRole('link', { name: S.backToList }).click();
    await page.locator('.list-pane').waitFor({ state: 'visible' });
    expect(await focusedId(page)).toBe(ids.checkout);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    // The browser's Back goes to the item again, and Back once more to the list.
    await page.goBack();
    await page.locator('article.detail').waitFor();
    await page.goBack();
    await page.locator('.list-pane').waitFor({ state: 'visible' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('signs in with the admin token: a link to another project’s item opens it, and the picker switches projects', async () => {
    const other = await createClient(stack.server.storage, { name: 'Blog' });
    const res = await postFeedback(stack.server.url, { clientId: other.id, rating: 4, comment: 'Nice article' });
    const otherId = ((await res.json()) as { feedbackId: string }).feedbackId;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/feedback/${otherId}`);
    await signInWithAdminToken(page, stack.adminToken);
    await page.getByRole('heading', { name: 'Nice article' }).waitFor();
    const picker = page.getByLabel(S.project, { exact: true });
    expect(await picker.inputValue()).toBe(other.id);
    expect(await page.locator('.items a.item').evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.feedbackId))).toEqual([otherId]);

    await picker.selectOption({ label: 'Shop' });
    await expect.poll(() => listedIds(page)).toHaveLength(PAGE_SIZE);
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('sends the tab back to sign-in, with the server’s words, when its key is revoked', async () => {
    const second = await createProjectKey(stack.server.storage, openMasterKey(join(stack.dataDir, 'server')), { clientId });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/`);
    await signInWithKey(page, second.key.kid, second.secret);
    const done = filters(page).getByRole('button', { name: /^Done/ });
    await done.waitFor();
    // Revoked only once the page has loaded all it asks for at sign-in: the next request is the click's.
    await page.waitForLoadState('networkidle');
    await stack.server.storage.revokeProjectKey(second.key.kid, new Date().toISOString());
    await done.click();
    await page.getByRole('heading', { name: S.signInTitle }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(S.signedOut(AUTH_ERRORS.revokedKid));
    await context.close();
  });

  // Last: it leaves this address out of tries for a few seconds.
  it('says when to try again after too many failed sign-ins', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/`);
    const submit = page.getByRole('button', { name: S.signIn });
    const answers: number[] = [];
    let retryAfter: string | undefined;
    while (!answers.includes(429) && answers.length < 25) {
      const [res] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/projects'),
        signInWithAdminToken(page, `wrong-admin-token-${answers.length}`),
      ]);
      answers.push(res.status());
      retryAfter = (await res.headerValue('retry-after')) ?? undefined;
      await expect.poll(() => submit.isEnabled()).toBe(true);
    }
    expect(answers.at(-1)).toBe(429);
    expect(answers.length).toBeLessThanOrEqual(21);
    // The bucket refills while the attempts are made: Retry-After is 1 to 3 s.
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('alert').textContent()).toBe(S.signInFailed(S.tooManyAttempts(Number(retryAfter))));
    await context.close();
  });
});
