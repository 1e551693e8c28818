/**
 * The worker's word to the user when a page removed, covered or hid the panel and the panel
 * closed: the page cannot reach the toolbar, so the warning is that tab's badge and title.
 */
import { browser } from 'wxt/browser';
import { STRINGS } from '../strings';

/** The badge a tab shows after its page interfered with the panel. */
export const INTERFERENCE_BADGE = '!';

/** Marks the tab's toolbar button: "!" and, on hover, why the panel closed. */
export function warnInterference(tabId: number): void {
  void browser.action.setBadgeText({ tabId, text: INTERFERENCE_BADGE }).catch(() => undefined);
  void browser.action.setBadgeBackgroundColor({ tabId, color: '#c62828' }).catch(() => undefined);
  void browser.action.setTitle({ tabId, title: STRINGS.pageInterfered }).catch(() => undefined);
}

/** Gives the tab back the extension-wide badge (null clears the tab's own) and the extension's name as title. */
export function clearInterference(tabId: number): void {
  void browser.action.setBadgeText({ tabId, text: null as unknown as string }).catch(() => undefined);
  void browser.action.setTitle({ tabId, title: browser.i18n.getMessage('extName') || 'Loupe' }).catch(() => undefined);
}
