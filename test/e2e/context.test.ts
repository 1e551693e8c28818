/**
 * The context a developer needs, end to end: on a turned-on site the report's metadata
 * lists the page's console errors, uncaught exceptions, unhandled rejections, failed
 * requests and SPA navigations (and the replay carries them as custom events), without
 * secrets and within 10 KB; and the opt-in page bridge: data the page sets arrives, bad
 * data is refused with a console warning, and the page hears loupe:open, loupe:close and
 * loupe:sent.
 */
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBytes, METADATA_MAX_BYTES } from '../../lib/api/schemas';
import { STRINGS } from '../../lib/strings';
import { getByRole, pressKey, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor, type Cdp } from './support/cdp';
import { openPanelFromToolbar, turnSiteOnInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';
import { readStoredFile } from '../support/stored-files.ts';

const WINDOW_SECONDS = 20;
const SECRET_TOKEN_QUERY = 'token=abc';
const SECRET_BEARER = 'secret-bearer-xyz';

type Context = {
  errors: { source: string; message: string; stack?: string; atMs: number }[];
  requests: { method: string; url: string; status: number; durationMs: number }[];
  navigations: { url: string; via: string }[];
  totals: { errors: number; warnings: number; requests: number; navigations: number };
};
type ReplayEvent = { type: number; data?: { tag?: string; payload?: Record<string, unknown> } };
type LoupeEvent = { type: string; detail: unknown };

let stack: Stack;
let browser: LoadedBrowser;
let clientId: string;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchWithExtension();
  clientId = (await createClient(stack.server.storage, { name: 'context' })).id;
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Opens the context page with its site turned on, and loads it again so that the page-context script starts with it. */
async function openTurnedOnPage(): Promise<Page> {
  const { page } = await browser.openPage(`${stack.site.url}/context`);
  const popup = await browser.clickToolbarButton(page.url());
  await turnSiteOnInPopup(popup, { clientId, environment: '', serverUrl: stack.server.url }, WINDOW_SECONDS);
  popup.close();
  await page.reload();
  // The recorder starts at document_idle, up to a moment after `load`; until then the page
  // script holds only the last 50 entries (a flood before it is not counted).
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return page;
}

/** Rates and sends from an open panel; the stored feedback, its whole JSON, and its replay's JSON. */
async function sendAndFetch(cdp: Cdp) {
  const before = (await stack.server.storage.listFeedback(clientId)).length;
  // Shown once the panel's opening froze the replay, and with it the page's context.
  await getByRole(cdp, 'checkbox', STRINGS.attachReplay);
  await (await getByRole(cdp, 'radio', 'Good')).click();
  await (await getByRole(cdp, 'button', 'Send')).click();
  await waitForText(cdp, STRINGS.sent);
  const rows = await stack.server.storage.listFeedback(clientId);
  expect(rows).toHaveLength(before + 1);
  const row = rows[0]!;
  const replay = row.sessionReplayId ? await stack.server.storage.getReplay(row.sessionReplayId) : undefined;
  const replayJson = replay ? gunzipSync(await readStoredFile(stack.server.files, replay.fileName)).toString('utf8') : '';
  return { row, metadata: row.metadata!, json: JSON.stringify(row), replayJson };
}

/** Closes the panel with Escape and waits until it has left the page. */
async function closePanel(cdp: Cdp, page: Page): Promise<void> {
  await pressKey(cdp, 'Escape');
  await waitFor('the panel to close', async () => (await page.locator('loupe-feedback').count()) === 0);
}

describe('context a developer needs', () => {
  it('lists the page’s errors, failed requests and navigations in metadata and the replay, without secrets', async () => {
    const page = await openTurnedOnPage();
    await page.evaluate(() => (window as unknown as { trouble(): Promise<void> }).trouble());

    const { cdp } = await openPanelFromToolbar(browser, page);
    const { row, metadata, json, replayJson } = await sendAndFetch(cdp);
    const context = metadata.context as Context;

    expect(context.errors).toHaveLength(4);
    expect(context.errors).toEqual(
      expect.arrayContaining([
        // Logged while the page loaded, before the recorder was there: held by the page script until it was.
        expect.objectContaining({ source: 'console', message: 'Boot failed, token=redacted' }),
        expect.objectContaining({ source: 'console', message: 'Checkout failed Error: card declined', stack: expect.stringContaining('card declined') }),
        expect.objectContaining({ source: 'rejection', message: 'Error: rejected boom', stack: expect.stringContaining('rejected boom') }),
        expect.objectContaining({ source: 'exception', message: 'Uncaught Error: uncaught boom', stack: expect.stringContaining('uncaught boom') }),
      ]),
    );
    expect(context.requests).toEqual([
      expect.objectContaining({ method: 'GET', url: `${stack.site.url}/api/missing?token=redacted&page=2`, status: 404 }),
    ]);
    expect(context.navigations).toEqual([
      expect.objectContaining({ url: `${stack.site.url}/context`, via: 'load' }),
      expect.objectContaining({ url: `${stack.site.url}/context/step-2`, via: 'push' }),
    ]);
    expect(context.totals).toMatchObject({ errors: 4, requests: 1, navigations: 2 });

    // In the replay too, as documented custom events.
    expect(row.sessionReplayId).toBeTruthy();
    const custom = (JSON.parse(replayJson) as ReplayEvent[]).filter((event) => event.type === 5);
    expect(custom.map((event) => event.data!.tag)).toEqual(
      expect.arrayContaining(['loupe.console', 'loupe.network', 'loupe.navigation']),
    );
    expect(custom.find((event) => event.data!.tag === 'loupe.network')!.data!.payload).toMatchObject({
      url: `${stack.site.url}/api/missing?token=redacted&page=2`,
      status: 404,
    });

    for (const text of [json, replayJson]) {
      expect(text).not.toContain(SECRET_TOKEN_QUERY);
      expect(text).not.toContain(SECRET_BEARER);
      expect(text).not.toMatch(/authorization/i);
    }
    expect(jsonBytes(metadata)).toBeLessThan(METADATA_MAX_BYTES);
    await closePanel(cdp, page);
    await page.close();
  });

  it('keeps metadata under 10 KB after 10,000 console errors, and sends the context without the replay', async () => {
    const page = await openTurnedOnPage();
    await page.evaluate(() => {
      for (let i = 0; i < 10_000; i++) console.error(`flood ${i} ${'x'.repeat(500)}`, new Error(`flood ${i}`));
    });
    const { cdp } = await openPanelFromToolbar(browser, page);
    const attach = await getByRole(cdp, 'checkbox', STRINGS.attachReplay);
    await attach.click();
    expect(await attach.checked()).toBe(false);
    const { row, metadata } = await sendAndFetch(cdp);
    const context = metadata.context as Context;

    expect(row.sessionReplayId).toBeNull();
    expect(jsonBytes(metadata)).toBeLessThan(METADATA_MAX_BYTES);
    expect(context.totals.errors).toBeGreaterThanOrEqual(10_000);
    expect(context.errors.at(-1)!.message).toMatch(/^flood 9999 x+/);
    expect(context.errors.at(-1)!.message.length).toBeLessThanOrEqual(300);
    await closePanel(cdp, page);
    await page.close();
  });
});

describe('the page bridge', () => {
  const loupeEvents = (page: Page) => page.evaluate(() => (window as unknown as { loupeEvents: LoupeEvent[] }).loupeEvents);

  it('merges what the page sets into metadata, and the page hears loupe:open, loupe:sent and loupe:close', async () => {
    const page = await openTurnedOnPage();
    await page.evaluate(() => {
      window.dispatchEvent(new CustomEvent('loupe:set-data', { detail: { cart: { items: 3 }, plan: 'free' } }));
      (window as unknown as { loupe: object }).loupe = { metadata: () => ({ plan: 'pro', user: { id: 'u-1' } }) };
    });
    expect(await loupeEvents(page)).toEqual([]);

    const { cdp } = await openPanelFromToolbar(browser, page);
    await waitFor('loupe:open', async () => (await loupeEvents(page)).length === 1);
    const { row, metadata } = await sendAndFetch(cdp);
    expect(metadata.pageData).toEqual({ cart: { items: 3 }, plan: 'pro', user: { id: 'u-1' } });
    await closePanel(cdp, page);

    await waitFor('loupe:close', async () => (await loupeEvents(page)).length === 3);
    expect(await loupeEvents(page)).toEqual([
      { type: 'loupe:open', detail: null },
      { type: 'loupe:sent', detail: { feedbackId: row.id } },
      { type: 'loupe:close', detail: null },
    ]);
    await page.close();
  });

  it('refuses oversized or non-JSON data with a warning in the page’s console', async () => {
    const page = await openTurnedOnPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' && message.text().startsWith('Loupe:')) warnings.push(message.text());
    });
    await page.evaluate(() => {
      const setData = (detail: unknown) => window.dispatchEvent(new CustomEvent('loupe:set-data', { detail }));
      setData({ plan: 'pro' });
      setData({ blob: 'x'.repeat(5000) });
      setData({ onClick: () => 1 });
      (window as unknown as { loupe: object }).loupe = { metadata: () => ({ when: new Date() }) };
    });
    const { cdp } = await openPanelFromToolbar(browser, page);
    await waitFor('the warning about metadata()', () => warnings.length === 3);
    expect(warnings).toEqual([
      expect.stringMatching(/^Loupe: the detail of loupe:set-data refused: it takes \d+ bytes as JSON, over the limit of 2048\.$/),
      'Loupe: the detail of loupe:set-data refused: data.onClick is a function, not a JSON value.',
      'Loupe: the value of window.loupe.metadata() refused: data.when is a Date, not a plain object.',
    ]);
    const { metadata } = await sendAndFetch(cdp);
    expect(metadata.pageData).toEqual({ plan: 'pro' });
    await closePanel(cdp, page);
    await page.close();
  });
});

describe('what the page supplied', () => {
  /** Forges entries as the page-context script would post them, a real fetch and pushState to script URLs among them, and sets data. */
  const forge = (page: Page) =>
    page.evaluate(async () => {
      const post = (entry: object) =>
        window.dispatchEvent(new CustomEvent('loupe-page-context', { detail: JSON.stringify({ atMs: Date.now(), ...entry }) }));
      post({ kind: 'navigation', url: 'javascript:alert(1)', via: 'push' });
      post({ kind: 'request', method: 'GET', url: 'javascript:alert(2)', status: 500, durationMs: 5 });
      post({ kind: 'error', source: 'console', message: 'Forged: open javascript:alert(3) to fix it' });
      await fetch('javascript:alert(4)').catch(() => undefined);
      history.pushState({}, '', '/context/forged');
      window.dispatchEvent(new CustomEvent('loupe:set-data', { detail: { plan: 'pro' } }));
    });

  it('arrives marked as said by the page, without script URLs, and is shown in the panel before it goes', async () => {
    const page = await openTurnedOnPage();
    await forge(page);
    const { cdp } = await openPanelFromToolbar(browser, page);

    // Boot error and forged error, the load and the pushState, and the page's one key: 5 things, listed before sending.
    const summary = await getByRole(cdp, 'DisclosureTriangle', STRINGS.pageDataSummary(5));
    await getByRole(cdp, 'checkbox', STRINGS.attachPageContext);
    await summary.click();
    for (const text of ['plan', 'pro', 'console: Forged: open [url removed] to fix it', `push: ${stack.site.url}/context/forged`]) await waitForText(cdp, text);

    const { metadata, json } = await sendAndFetch(cdp);
    const context = metadata.context as Context;
    expect(metadata.pageData).toEqual({ plan: 'pro' });
    expect(context.navigations.map((step) => step.url)).toEqual([`${stack.site.url}/context`, `${stack.site.url}/context/forged`]);
    expect(context.requests).toEqual([]);
    const entries = [...context.errors, ...context.requests, ...context.navigations];
    expect(entries.length).toBe(4);
    for (const entry of entries) expect(entry).toMatchObject({ reportedBy: 'page' });
    expect(json).not.toMatch(/javascript:/i);
    await closePanel(cdp, page);
    await page.close();
  });

  it('is left out when the user unticks it', async () => {
    const page = await openTurnedOnPage();
    await forge(page);
    const { cdp } = await openPanelFromToolbar(browser, page);
    const attach = await getByRole(cdp, 'checkbox', STRINGS.attachPageContext);
    await attach.click();
    expect(await attach.checked()).toBe(false);
    const { metadata } = await sendAndFetch(cdp);
    expect(metadata.pageData).toBeUndefined();
    expect(metadata.context).toBeUndefined();
    await closePanel(cdp, page);
    await page.close();
  });
});
