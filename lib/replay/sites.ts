/**
 * The sites that record replays: each has two content scripts registered at runtime for
 * that origin only (persisted across browser restarts), backed by an optional host
 * permission the user granted from the popup — the recorder, and the page-context script
 * that watches the page's console, requests and navigations from the page's own world.
 * Nothing is registered for any other site.
 */
import { browser, type Browser } from 'wxt/browser';
import { sendToTab } from '../messaging/protocol';
import type { TabStore } from './tab-store';

const SCRIPT_ID_PREFIX = 'loupe-recorder:';
const PAGE_SCRIPT_ID_PREFIX = 'loupe-page-context:';
const RECORDER_FILE = '/content-scripts/recorder.js';
const PAGE_SCRIPT_FILE = '/content-scripts/page-context.js';

const matchesOf = (origin: string) => [`${origin}/*`];

/** Both scripts of a site. */
function scriptsOf(origin: string): Browser.scripting.RegisteredContentScript[] {
  return [
    {
      id: `${PAGE_SCRIPT_ID_PREFIX}${origin}`,
      matches: matchesOf(origin),
      js: [PAGE_SCRIPT_FILE],
      // Before the page's own scripts, so its first errors and requests are seen.
      runAt: 'document_start',
      world: 'MAIN',
      persistAcrossSessions: true,
    },
    {
      id: `${SCRIPT_ID_PREFIX}${origin}`,
      matches: matchesOf(origin),
      js: [RECORDER_FILE],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ];
}

const registeredIds = async () => new Set((await browser.scripting.getRegisteredContentScripts()).map((script) => script.id));

/** Registers what `scripts` lists and is not registered yet. */
async function registerMissing(scripts: Browser.scripting.RegisteredContentScript[]): Promise<void> {
  const registered = await registeredIds();
  const missing = scripts.filter((script) => !registered.has(script.id));
  if (missing.length > 0) await browser.scripting.registerContentScripts(missing);
}

/**
 * The sites a grant of host `patterns` turns on: each `<origin>/*` pattern of one exact
 * origin, as the popup's switch asks for (wider patterns are not Loupe's to act on).
 */
export function grantedSites(patterns: readonly string[] | undefined): string[] {
  return (patterns ?? []).flatMap((pattern) => {
    const match = /^(https?:\/\/[^/*]+)\/\*$/.exec(pattern);
    return match ? [match[1]!] : [];
  });
}

/** The origins that record, sorted. */
export async function recordingOrigins(): Promise<string[]> {
  return [...(await registeredIds())]
    .filter((id) => id.startsWith(SCRIPT_ID_PREFIX))
    .map((id) => id.slice(SCRIPT_ID_PREFIX.length))
    .sort();
}

/**
 * Registers the scripts for `origin` (the user has granted access to it) and starts them
 * in `tabId` right away, rather than from the next page load.
 */
export async function enableSite(origin: string, tabId: number | undefined): Promise<void> {
  if (!(await browser.permissions.contains({ origins: matchesOf(origin) }))) {
    throw new Error(`No access to ${origin}`);
  }
  await registerMissing(scriptsOf(origin));
  if (tabId !== undefined) {
    await browser.scripting.executeScript({ target: { tabId }, files: [PAGE_SCRIPT_FILE], world: 'MAIN' });
    await browser.scripting.executeScript({ target: { tabId }, files: [RECORDER_FILE] });
  }
}

/**
 * Brings the sites turned on by an older version up to date (it registered the recorder
 * alone), and drops page-context scripts left without their recorder.
 */
export async function updateSiteScripts(): Promise<void> {
  const origins = await recordingOrigins();
  await registerMissing(origins.flatMap(scriptsOf));
  const orphans = [...(await registeredIds())].filter(
    (id) => id.startsWith(PAGE_SCRIPT_ID_PREFIX) && !origins.includes(id.slice(PAGE_SCRIPT_ID_PREFIX.length)),
  );
  if (orphans.length > 0) await browser.scripting.unregisterContentScripts({ ids: orphans });
}

/** Unregisters the scripts of `origin`, stops its recorders in open tabs, forgets what they kept, and gives the access back. */
export async function disableSite(origin: string, store: TabStore): Promise<void> {
  const registered = await registeredIds();
  const ids = scriptsOf(origin)
    .map((script) => script.id)
    .filter((id) => registered.has(id));
  if (ids.length > 0) await browser.scripting.unregisterContentScripts({ ids });
  const tabs = await browser.tabs.query({ url: matchesOf(origin) }).catch(() => []);
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : sendToTab(tab.id, 'recorder:stop', {}))));
  await store.forgetOrigin(origin);
  await browser.permissions.remove({ origins: matchesOf(origin) }).catch(() => false);
}
