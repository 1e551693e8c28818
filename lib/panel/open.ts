/** Injects the feedback panel into one tab, on demand (allowed by the `activeTab` grant). */
import { browser } from 'wxt/browser';

/** The `commands` entry that opens the panel (declared in wxt.config.ts). */
export const OPEN_COMMAND = 'open-feedback';

/** True for pages Loupe can run on. */
export function isSupportedUrl(url: string | undefined): boolean {
  return url !== undefined && /^https?:\/\//.test(url);
}

/** Opens the panel in a tab; a second call focuses the panel already there. */
export async function openPanel(tabId: number): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/panel-host.js'] });
}
