/**
 * The capture loop in real headless Firefox: the Firefox build, installed as a temporary
 * add-on, driven through its toolbar button, popup and panel (and its shortcut and context
 * menu) against the real server and SQLite file.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../../../lib/strings';
import type { RunningServer } from '../../../server/start';
import type { Client } from '../../../server/storage/types';
import { waitFor } from '../support/cdp';
import { BLOCK_RGB, coloursShotPixels, PAGE_RGB } from '../support/pages';
import { startStack, type Stack } from '../support/stack';
import { getByRole, hasText, waitForText } from './support/ax';
import { launchFirefox, type LoadedFirefox } from './support/firefox';
import { openPanelFromToolbar } from './support/panel';
import { createClient } from '../../../server/clients.ts';

let launched: LoadedFirefox | undefined;
// Launched by the first test, not in beforeAll: a Firefox that cannot start fails that test with the reason.
const started = async (): Promise<LoadedFirefox> => (launched ??= await launchFirefox());
let stack: Stack;
let server: RunningServer;
let client: Client;

beforeAll(async () => {
  stack = await startStack();
  server = stack.server;
  client = await createClient(server.storage, { name: 'Firefox E2E' });
});

afterAll(async () => {
  await launched?.close();
  await stack?.close();
});

/** Fetches a stored screenshot from the server and decodes it; its recorded size must be its real size. */
async function storedScreenshot(shot: { url: string; width?: number; height?: number }): Promise<PNG> {
  const response = await fetch(shot.url);
  expect(response.headers.get('content-type')).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  expect([shot.width, shot.height]).toEqual([png.width, png.height]);
  return png;
}

describe('the capture loop in Firefox', () => {
  it('sends a rating, a comment and a screenshot of the page (not the panel) to the server', async () => {
    const firefox = await started();
    const page = await openPanelFromToolbar(firefox, `${stack.site.url}/colours`, {
      clientId: client.id,
      environment: '',
      serverUrl: server.url,
    });
    const good = await getByRole(firefox, 'page', 'radio', 'Good');
    await good.click();
    await waitFor('Good to be checked', () => good.checked());
    await (await getByRole(firefox, 'page', 'textbox', 'Comment')).type('The colours are too loud');
    // The toolbar click granted activeTab: captureVisibleTab works, no fallback drawing.
    await (await getByRole(firefox, 'page', 'button', STRINGS.takeScreenshot)).click();
    await getByRole(firefox, 'page', 'image', STRINGS.screenshotAlt(1));
    expect(await hasText(firefox, 'page', STRINGS.captureFailed)).toBe(false);
    const startedMs = Date.now();
    await (await getByRole(firefox, 'page', 'button', STRINGS.send)).click();
    await waitForText(firefox, 'page', STRINGS.sent);
    console.info(`Firefox send round trip on localhost: ${Date.now() - startedMs} ms`);

    const [row, ...others] = await server.storage.listFeedback(client.id);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({
      rating: 3,
      comment: 'The colours are too loud',
      pageUrl: `${stack.site.url}/colours`,
      pageTitle: 'Colours test page',
      environment: null,
      userEmail: null,
      state: 'new',
    });
    expect(row!.origin).toMatch(/^moz-extension:\/\//);
    expect(row!.userAgent).toMatch(/Firefox\/153/);
    // A temporary add-on starts with the optional data type (technicalAndInteraction) declined:
    // the report then carries no browser, OS, screen or language (README "Firefox").
    expect(row!.metadata).toMatchObject({ source: 'loupe-extension', screenshots: [{ capture: 'visible' }] });
    for (const field of ['browser', 'os', 'viewport', 'screen', 'language', 'timeZone']) expect(row!.metadata).not.toHaveProperty(field);

    expect(row!.screenshots).toHaveLength(1);
    const png = await storedScreenshot(row!.screenshots![0]!);
    const view = await page.evaluate(() => ({ width: innerWidth, height: innerHeight, dpr: devicePixelRatio }));
    expect([png.width, png.height]).toEqual([Math.round(view.width * view.dpr), Math.round(view.height * view.dpr)]);
    // Where the panel sits (bottom right) the screenshot shows the page behind it.
    expect(coloursShotPixels(png, view)).toEqual({ block: [...BLOCK_RGB], underPanel: Array(3).fill([...PAGE_RGB]) });
    await page.close();
  });

  // Like the toolbar button, both grant activeTab: a screenshot in Firefox is captureVisibleTab
  // or nothing (its html2canvas fallback does not work yet, README "Firefox").
  it.each([
    ['Alt+Shift+F', (firefox: LoadedFirefox) => firefox.call<boolean>('pressShortcut')],
    ['the context menu', (firefox: LoadedFirefox) => waitFor('the context menu', () => firefox.call<boolean>('contextMenu', STRINGS.contextMenu))],
  ])('%s opens the panel, and its grant lets the panel capture the tab', async (_path, open) => {
    const firefox = await started();
    const page = await firefox.openPage(`${stack.site.url}/colours`);
    await open(firefox);
    await getByRole(firefox, 'page', 'dialog', STRINGS.panelTitle);
    await (await getByRole(firefox, 'page', 'button', STRINGS.takeScreenshot)).click();
    await getByRole(firefox, 'page', 'image', STRINGS.screenshotAlt(1));
    expect(await hasText(firefox, 'page', STRINGS.renderFailed)).toBe(false);
    await page.close();
  });
});
