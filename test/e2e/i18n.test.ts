/**
 * The panel follows the browser's language: Chromium started in French (with Debian's
 * chromium-l10n, see .ci/run) shows Loupe's French messages, and says the page is French.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Message } from '../../lib/i18n';
import { getByRole } from './support/ax';
import { EXTENSION_DIR, launchWithExtension, type LoadedBrowser } from './support/browser';
import { attachToPanel } from './support/panel';
import { startStack, type Stack } from './support/stack';

const french = JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', 'fr', 'messages.json'), 'utf8')) as Record<string, Message>;
let stack: Stack;
let browser: LoadedBrowser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchWithExtension({ language: 'fr' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it('renders the panel in French when the browser language is French', async () => {
  const url = `${stack.site.url}/colours`;
  const { page } = await browser.openPage(url);
  await browser.openPanelWithoutGrant(url);
  const { frame, cdp } = await attachToPanel(browser, page, french.panelTitle!.message);
  expect(await frame.evaluate(() => document.documentElement.lang)).toMatch(/^fr/);
  await getByRole(cdp, 'button', french.send!.message);
  await getByRole(cdp, 'textbox', french.commentLabel!.message);
  expect(french.send!.message).not.toBe('Send');
  await page.close();
});
