/** Opening Loupe's panel the way a user does: toolbar button, popup, "Give feedback on this page". */
import type { Frame, Page } from 'playwright-core';
import { STRINGS } from '../../../lib/strings';
import { getByRole, waitForText } from './ax';
import type { LoadedBrowser } from './browser';
import { waitFor, type Cdp, type CdpClient } from './cdp';

/**
 * Opens `target` (a URL, in a new tab, or a page already open), clicks the toolbar
 * button, lets `inPopup` act on the popup (e.g. save settings), then presses the popup's
 * primary button and waits for the panel.
 */
export async function openPanelFromToolbar(
  browser: LoadedBrowser,
  target: string | Page,
  inPopup?: (popup: CdpClient) => Promise<void>,
): Promise<{ page: Page; frame: Frame; cdp: Cdp }> {
  const tab = typeof target === 'string' ? await browser.openPage(target) : { page: target };
  await tab.page.bringToFront();
  const popup = await browser.clickToolbarButton(tab.page.url());
  try {
    await inPopup?.(popup);
    const open = await getByRole(popup, 'button', STRINGS.openPanel);
    await waitFor('an enabled open button', async () => !(await open.disabled()));
    await open.click();
  } finally {
    popup.close();
  }
  return attachToPanel(browser, tab.page);
}

/**
 * Waits for the panel in `page` and opens a CDP session on its frame (the panel is an
 * extension page framed into the tab); `title` is the panel's name in the browser's language.
 */
export async function attachToPanel(browser: LoadedBrowser, page: Page, title: string = STRINGS.panelTitle): Promise<{ page: Page; frame: Frame; cdp: Cdp }> {
  const frame = await waitFor('the panel frame', () => page.frames().find((f) => !f.isDetached() && f.url().includes('/panel.html')));
  const cdp = await browser.context.newCDPSession(frame);
  await cdp.send('Accessibility.enable');
  await getByRole(cdp, 'dialog', title);
  return { page, frame, cdp };
}

/** The popup's three settings. */
export type PopupSettings = { clientId: string; environment: string; serverUrl: string };

/** Types the settings into the popup and saves them. */
export async function saveSettingsInPopup(popup: Cdp, values: PopupSettings): Promise<void> {
  // Scoped to the settings form: a refused report listed above it has a Client ID field too.
  const form = await getByRole(popup, 'form', STRINGS.settingsTitle);
  await (await getByRole(popup, 'textbox', 'Client ID', form)).fill(values.clientId);
  await (await getByRole(popup, 'textbox', 'Environment', form)).fill(values.environment);
  await (await getByRole(popup, 'textbox', 'Server URL', form)).fill(values.serverUrl);
  await (await getByRole(popup, 'button', 'Save', form)).click();
  await waitForText(popup, STRINGS.saved);
}

/**
 * In the popup: saves `settings`, sets the replay length (recording from the page's first
 * second), and turns the popup's site on for replays.
 */
export async function turnSiteOnInPopup(popup: Cdp, settings: PopupSettings, windowSeconds: number): Promise<void> {
  await saveSettingsInPopup(popup, settings);
  await (await getByRole(popup, 'spinbutton', STRINGS.replayBufferSeconds)).fill(String(windowSeconds));
  await (await getByRole(popup, 'spinbutton', STRINGS.replayStartAfter)).fill('0');
  await (await getByRole(popup, 'button', 'Save')).click(); // moves focus: the number fields commit
  const site = await getByRole(popup, 'switch', STRINGS.replaySiteSwitch);
  if (!(await site.checked())) await site.click();
  await waitFor('the site to be on', () => site.checked());
}
