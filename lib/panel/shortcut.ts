/** The keyboard shortcut that opens the panel: what it is now, and where the browser lets the user change it. */
import { browser } from 'wxt/browser';
import { OPEN_COMMAND } from './open';

/** The keys that open the panel, e.g. "Alt+Shift+F"; '' when the user removed the shortcut. */
export async function openShortcut(): Promise<string> {
  const commands = await browser.commands.getAll();
  return commands.find((command) => command.name === OPEN_COMMAND)?.shortcut ?? '';
}

// Firefox 137+ (and Thunderbird) open their own shortcut manager in about:addons, which no
// extension may open by URL; Chromium browsers have no such call but allow a tab on their page.
// https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/commands/openShortcutSettings
type CommandsWithSettings = { openShortcutSettings?: () => Promise<void> };

/** Opens the browser's page for changing extension shortcuts. */
export async function openShortcutSettings(): Promise<void> {
  const commands = browser.commands as unknown as CommandsWithSettings;
  if (typeof commands.openShortcutSettings === 'function') {
    await commands.openShortcutSettings();
    return;
  }
  await browser.tabs.create({ url: 'chrome://extensions/shortcuts' });
}
