/**
 * The sites that record replays: each is a content script registered at runtime for that
 * origin only (persisted across browser restarts), backed by an optional host permission
 * the user granted from the popup. Nothing is registered for any other site.
 */
import { browser } from 'wxt/browser';
import { sendToTab } from '../messaging/protocol';
import type { TabStore } from './tab-store';

const SCRIPT_ID_PREFIX = 'loupe-recorder:';
const RECORDER_FILE = '/content-scripts/recorder.js';

const matchesOf = (origin: string) => [`${origin}/*`];

/** The origins that record, sorted. */
export async function recordingOrigins(): Promise<string[]> {
  const scripts = await browser.scripting.getRegisteredContentScripts();
  return scripts
    .filter((script) => script.id.startsWith(SCRIPT_ID_PREFIX))
    .map((script) => script.id.slice(SCRIPT_ID_PREFIX.length))
    .sort();
}

/**
 * Registers the recorder for `origin` (the user has granted access to it) and starts it
 * in `tabId` right away, rather than from the next page load.
 */
export async function enableSite(origin: string, tabId: number | undefined): Promise<void> {
  if (!(await browser.permissions.contains({ origins: matchesOf(origin) }))) {
    throw new Error(`No access to ${origin}`);
  }
  if (!(await recordingOrigins()).includes(origin)) {
    await browser.scripting.registerContentScripts([
      {
        id: `${SCRIPT_ID_PREFIX}${origin}`,
        matches: matchesOf(origin),
        js: [RECORDER_FILE],
        runAt: 'document_idle',
        persistAcrossSessions: true,
      },
    ]);
  }
  if (tabId !== undefined) await browser.scripting.executeScript({ target: { tabId }, files: [RECORDER_FILE] });
}

/** Unregisters the recorder for `origin`, stops it in open tabs, forgets what it kept, and gives the access back. */
export async function disableSite(origin: string, store: TabStore): Promise<void> {
  if ((await recordingOrigins()).includes(origin)) {
    await browser.scripting.unregisterContentScripts({ ids: [`${SCRIPT_ID_PREFIX}${origin}`] });
  }
  const tabs = await browser.tabs.query({ url: matchesOf(origin) }).catch(() => []);
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : sendToTab(tab.id, 'recorder:stop', {}))));
  await store.forgetOrigin(origin);
  await browser.permissions.remove({ origins: matchesOf(origin) }).catch(() => false);
}
