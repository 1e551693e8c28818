/**
 * The capture loop end to end: the built extension in real headless Chromium, driven
 * through its toolbar button, popup and panel, against the real server and SQLite file.
 */
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start';
import type { Client } from '../../server/storage/types';
import { STRINGS } from '../../lib/strings';
import { exists, getByRole, hasText, pressKey, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor, type Cdp } from './support/cdp';
import { BLOCK_RGB, coloursShotPixels, PAGE_RGB } from './support/pages';
import { startStack, type Stack } from './support/stack';
import { openPanelFromToolbar, saveSettingsInPopup } from './support/panel';
import { createClient } from '../../server/clients.ts';

let browser: LoadedBrowser;
let stack: Stack;
let server: RunningServer;
let site: Stack['site'];
let client: Client;

beforeAll(async () => {
  stack = await startStack();
  ({ server, site } = stack);
  client = await createClient(server.storage, { name: 'E2E' });
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type Setup = { clientId?: string; environment?: string; serverUrl?: string };

/** Opens the colours page and the panel on it, after saving `setup` in the popup when given. */
function openPanel(setup?: Setup): Promise<{ page: Page; cdp: Cdp }> {
  return openPanelFromToolbar(browser, `${site.url}/colours`, async (popup) => {
    if (setup) await saveSettingsInPopup(popup, { clientId: client.id, environment: '', serverUrl: server.url, ...setup });
  });
}

describe('the capture loop', () => {
  it('explains how to set a Client ID when none is set, and refuses an invalid one inline', async () => {
    const { page, cdp } = await openPanelFromToolbar(browser, `${site.url}/colours`, async (popup) => {
      await (await getByRole(popup, 'textbox', 'Client ID')).fill('abc123');
      await (await getByRole(popup, 'textbox', 'Environment')).fill('default');
      await (await getByRole(popup, 'button', 'Save')).click();
      await waitForText(popup, STRINGS.clientIdInvalid);
      await waitForText(popup, STRINGS.environmentPlaceholder('default'));
      expect(await hasText(popup, STRINGS.saved)).toBe(false);
    });
    await waitForText(cdp, STRINGS.notConfigured);
    await page.close();
  });

  it('sends a rating, a comment and a screenshot of the page (not the panel) to the server', async () => {
    const { page, cdp } = await openPanel({});
    await (await getByRole(cdp, 'radio', 'Good')).click();
    await (await getByRole(cdp, 'textbox', 'Comment')).type('The colours are too loud');
    // Three captures back to back: Chrome's 2-per-second quota is queued, never shown.
    const take = await getByRole(cdp, 'button', STRINGS.takeScreenshot);
    for (const n of [1, 2, 3]) {
      await waitFor('the screenshot button', async () => !(await take.disabled()));
      await take.click();
      await getByRole(cdp, 'image', STRINGS.screenshotAlt(n));
    }
    expect(await take.disabled()).toBe(true);
    expect(await hasText(cdp, STRINGS.captureFailed)).toBe(false);
    await (await getByRole(cdp, 'button', STRINGS.removeScreenshot(3))).click();
    await (await getByRole(cdp, 'button', STRINGS.removeScreenshot(2))).click();
    await waitFor('two screenshots removed', async () => !(await exists(cdp, 'image', STRINGS.screenshotAlt(2))));
    const startedMs = Date.now();
    await (await getByRole(cdp, 'button', 'Send')).click();
    await waitForText(cdp, STRINGS.sent);
    console.info(`send round trip on localhost: ${Date.now() - startedMs} ms`);

    const [row, ...others] = await server.storage.listFeedback(client.id);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({
      rating: 3,
      comment: 'The colours are too loud',
      pageUrl: `${site.url}/colours`,
      pageTitle: 'Colours test page',
      environment: null,
      userEmail: null,
      state: 'new',
    });
    expect(row!.origin).toMatch(/^chrome-extension:\/\//);
    expect(row!.userAgent).toMatch(/Chrome\//);
    const view = await page.evaluate(() => ({
      width: innerWidth,
      height: innerHeight,
      dpr: devicePixelRatio,
      screen: { width: screen.width, height: screen.height },
    }));
    expect(row!.metadata).toMatchObject({
      viewport: { width: view.width, height: view.height },
      screen: view.screen,
      devicePixelRatio: view.dpr,
      browser: expect.stringMatching(/^Chrome \d+$/),
      os: 'Linux',
      language: expect.any(String),
      timeZone: expect.any(String),
      extensionVersion: '0.1.0',
    });
    expect(JSON.stringify(row!.metadata).length).toBeLessThan(10 * 1024);

    expect(row!.screenshots).toHaveLength(1);
    const shot = row!.screenshots![0]!;
    const response = await fetch(shot.url);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    expect([png.width, png.height]).toEqual([Math.round(view.width * view.dpr), Math.round(view.height * view.dpr)]);
    expect([shot.width, shot.height]).toEqual([png.width, png.height]);
    // Where the panel sits (bottom right) the screenshot shows the page behind it.
    expect(coloursShotPixels(png, view)).toEqual({ block: [...BLOCK_RGB], underPanel: Array(3).fill([...PAGE_RGB]) });
    await page.close();
  });

  it('sends the environment when set and the email only when shared', async () => {
    const { page, cdp } = await openPanel({ environment: 'staging' });
    await (await getByRole(cdp, 'radio', 'Amazing')).click();
    await (await getByRole(cdp, 'textbox', 'Email')).type('tester@example.com');
    await (await getByRole(cdp, 'button', 'Send')).click();
    await waitForText(cdp, STRINGS.sent);
    const [row] = await server.storage.listFeedback(client.id);
    expect(row).toMatchObject({ rating: 4, comment: null, environment: 'staging', userEmail: 'tester@example.com' });
    expect(row!.screenshots ?? []).toHaveLength(0);
    await page.close();
  });

  it("shows the server's 400 in words and keeps the text", async () => {
    const before = (await server.storage.listFeedback(client.id)).length;
    const { page, cdp } = await openPanel({ clientId: 'client_nobodyhasthisid' });
    const send = await getByRole(cdp, 'button', 'Send');
    expect(await send.disabled()).toBe(true);
    await (await getByRole(cdp, 'textbox', 'Comment')).type('Kept after a 400');
    await send.click();
    await waitForText(cdp, 'Client ID: Unknown client ID');
    await waitForText(cdp, 'Invalid data provided');
    expect(await (await getByRole(cdp, 'textbox', 'Comment')).value()).toBe('Kept after a 400');
    expect(await send.disabled()).toBe(false);
    expect(await server.storage.listFeedback(client.id)).toHaveLength(before);
    // The refused report also waits in the popup until the user fixes or deletes it.
    const popup = await browser.clickToolbarButton(page.url());
    await waitForText(popup, STRINGS.outboxTitle(1));
    await (await getByRole(popup, 'button', STRINGS.deleteReport)).click();
    await waitFor('the list to empty', async () => !(await hasText(popup, STRINGS.outboxTitle(1))));
    popup.close();
    await page.close();
  });

  it('says the server cannot be reached, keeps the report in the outbox, and Delete removes it', async () => {
    const down = await startServer({ host: '127.0.0.1', port: 0, dataDir: join(stack.dataDir, 'down') });
    await down.close();
    const { page, cdp } = await openPanel({ serverUrl: down.url });
    await (await getByRole(cdp, 'radio', 'Bad')).click();
    await (await getByRole(cdp, 'textbox', 'Comment')).type('Kept while offline');
    await (await getByRole(cdp, 'button', 'Send')).click();
    await waitForText(cdp, STRINGS.queued);
    await waitForText(cdp, STRINGS.unreachable(down.url));

    const popup = await browser.clickToolbarButton(page.url());
    await waitForText(popup, STRINGS.outboxTitle(1));
    await waitForText(popup, STRINGS.unreachable(down.url));
    await (await getByRole(popup, 'button', STRINGS.deleteReport)).click();
    await waitFor('the list to empty', async () => !(await hasText(popup, STRINGS.outboxTitle(1))));
    popup.close();
    await page.close();
  });

  it('focuses the open panel when opened again; Close and Escape remove it', async () => {
    const { page, cdp } = await openPanel({});
    const focused = () => page.evaluate(() => document.activeElement?.tagName);
    await waitFor('the panel to take focus', async () => (await focused()) === 'LOUPE-FEEDBACK');
    // Focus starts on the rating, so the keyboard answers it first.
    await page.keyboard.press('ArrowRight');
    expect(await (await getByRole(cdp, 'radio', 'Bad')).checked()).toBe(true);
    await (await getByRole(cdp, 'textbox', 'Comment')).type('Still here');
    const popup = await browser.clickToolbarButton(page.url());
    await (await getByRole(popup, 'button', STRINGS.openPanel)).click();
    popup.close();
    await waitFor('the panel to be focused', () =>
      page.evaluate(() => document.activeElement?.tagName === 'LOUPE-FEEDBACK'),
    );
    expect(await (await getByRole(cdp, 'textbox', 'Comment')).value()).toBe('Still here');
    expect(await page.locator('loupe-feedback').count()).toBe(1);
    // Tab and Shift+Tab cycle inside the panel.
    for (const key of [...Array(14).fill('Tab'), ...Array(14).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('LOUPE-FEEDBACK');
    }

    await (await getByRole(cdp, 'button', 'Close')).click();
    await waitFor('the panel to close', async () => (await page.locator('loupe-feedback').count()) === 0);
    await waitFor('its frame to go', () => !page.frames().some((frame) => frame.url().includes('/panel.html')));
    await page.close();

    const again = await openPanel();
    await pressKey(again.cdp, 'Escape');
    await waitFor('Escape to close the panel', async () => (await again.page.locator('loupe-feedback').count()) === 0);
    await again.page.close();
  });
});
