/**
 * Real headless Chromium (Debian's /usr/bin/chromium) with the built extension loaded,
 * and the toolbar click simulated the way Chrome itself grants `activeTab`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CdpClient, waitFor, type Cdp } from './cdp';

/** The extension build `npm test` makes before running the suites. */
export const EXTENSION_DIR = resolve(process.env.LOUPE_EXTENSION_DIR ?? '.output/test/chrome-mv3');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** A browser with Loupe loaded. */
export type LoadedBrowser = {
  context: BrowserContext;
  extensionId: string;
  /** Opens a tab on `url`; returns it with a CDP session for accessibility queries. */
  openPage(url: string): Promise<{ page: Page; cdp: Cdp }>;
  /** Clicks Loupe's toolbar button for the tab showing `url`; returns the popup's CDP session. */
  clickToolbarButton(url: string): Promise<CdpClient>;
  /**
   * Injects the panel into the tab showing `url` from the worker, without the user's click
   * that grants `activeTab` (as an in-page control would): only host permission allows it.
   */
  openPanelWithoutGrant(url: string): Promise<void>;
  /** Stops the extension's service worker, as Chrome does when it has been idle. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
};

/** How to launch: which build, which profile (kept after close when given), the device pixel ratio and the browser's language. */
export type LaunchOptions = { extensionDir?: string; userDataDir?: string; deviceScaleFactor?: number; language?: string };

/** Launches Chromium with the built extension (by default the one `npm test` builds). */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<LoadedBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No extension build in ${extensionDir}: run "npm run build:test" first`);
  }
  const port = await freePort();
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'loupe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    // On Linux the UI language (what i18n.getMessage follows) comes from the environment; --lang alone is not enough.
    ...(options.language && { env: { ...process.env, LANGUAGE: options.language, LANG: `${options.language}.UTF-8` } }),
    headless: true,
    viewport: null,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1200,800',
      ...(options.deviceScaleFactor ? [`--force-device-scale-factor=${options.deviceScaleFactor}`] : []),
      ...(options.language ? [`--lang=${options.language}`] : []),
      `--remote-debugging-port=${port}`,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  // A step that hangs fails with its own message and place, long before the test's timeout.
  context.setDefaultTimeout(15_000);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const debuggerUrl = async (predicate: (target: { type: string; url: string }) => boolean) => {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      type: string;
      url: string;
      webSocketDebuggerUrl: string;
    }[];
    return targets.find(predicate)?.webSocketDebuggerUrl;
  };
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const browserCdp = await CdpClient.connect(version.webSocketDebuggerUrl);

  return {
    context,
    extensionId,
    async openPage(url) {
      const page = await context.newPage();
      await page.goto(url);
      await page.bringToFront();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Accessibility.enable');
      return { page, cdp };
    },
    async clickToolbarButton(url) {
      const { targetInfos } = await browserCdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
      const tab = (targetInfos as { targetId: string; url: string }[]).find((target) => target.url === url);
      if (!tab) throw new Error(`No tab shows ${url}`);
      await browserCdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
      const popupUrl = `chrome-extension://${extensionId}/popup.html`;
      const socketUrl = await waitFor('the popup', () => debuggerUrl((t) => t.type === 'page' && t.url === popupUrl));
      const popup = await CdpClient.connect(socketUrl);
      await popup.send('Accessibility.enable');
      return popup;
    },
    async openPanelWithoutGrant(url) {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      // Runs in the worker, where `chrome` is the extension API (typed here as the minimum used).
      type WorkerChrome = {
        tabs: { query(query: { url: string }): Promise<{ id: number }[]> };
        scripting: { executeScript(injection: { target: { tabId: number }; files: string[] }): Promise<unknown> };
      };
      await worker.evaluate(async (tabUrl) => {
        const api = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
        const [tab] = await api.tabs.query({ url: tabUrl });
        await api.scripting.executeScript({ target: { tabId: tab!.id }, files: ['/content-scripts/panel-host.js'] });
      }, url);
    },
    async stopWorker() {
      // The ServiceWorker domain of one of our own pages sees the extension's worker.
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/manifest.json`);
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await page.close();
    },
    async close() {
      browserCdp.close();
      await context.close();
      if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
