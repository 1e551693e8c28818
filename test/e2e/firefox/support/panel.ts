/** Opening Loupe's panel in Firefox the way a user does: toolbar button, popup, "Give feedback on this page". */
import type { Page } from 'puppeteer-core';
import { STRINGS } from '../../../../lib/strings';
import type { PopupSettings } from '../../support/panel';
import { getByRole, waitForText } from './ax';
import type { LoadedFirefox } from './firefox';

/** Types the settings into the toolbar popup and saves them. */
export async function saveSettingsInPopup(firefox: LoadedFirefox, values: PopupSettings): Promise<void> {
  await (await getByRole(firefox, 'popup', 'textbox', STRINGS.clientIdLabel)).fill(values.clientId);
  await (await getByRole(firefox, 'popup', 'textbox', STRINGS.environmentLabel)).fill(values.environment);
  await (await getByRole(firefox, 'popup', 'textbox', STRINGS.serverUrlLabel)).fill(values.serverUrl);
  await (await getByRole(firefox, 'popup', 'button', 'Save')).click();
  await waitForText(firefox, 'popup', STRINGS.saved);
}

/**
 * Opens `url` in a new tab, clicks the toolbar button, saves `settings` in the popup, presses
 * its primary button and waits for the panel in the page.
 */
export async function openPanelFromToolbar(firefox: LoadedFirefox, url: string, settings: PopupSettings): Promise<Page> {
  const page = await firefox.openPage(url);
  await firefox.clickToolbarButton();
  await saveSettingsInPopup(firefox, settings);
  await (await getByRole(firefox, 'popup', 'button', STRINGS.openPanel)).click();
  await getByRole(firefox, 'page', 'dialog', STRINGS.panelTitle);
  return page;
}
