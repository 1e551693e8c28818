/**
 * Real headless Firefox (Debian's firefox-esr) with the Firefox build installed as a temporary
 * add-on, driven over WebDriver BiDi (puppeteer-core, no geckodriver): pages through BiDi,
 * Loupe's own popup and panel through the browser window (see chrome-agent.js for why).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { waitFor } from '../../support/cdp';

/** The Firefox build `npm test` makes before running the suites. */
export const FIREFOX_EXTENSION_DIR = resolve(process.env.LOUPE_FIREFOX_DIR ?? '.output/test/firefox-mv3');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const AGENT = readFileSync(join(import.meta.dirname, 'chrome-agent.js'), 'utf8');

/**
 * On top of puppeteer's test profile (no updates, safebrowsing, first-run pages...): nothing
 * else that would reach the network on its own. Anything that still tries goes to a proxy
 * that does not exist; Firefox never proxies loopback, where the test server and site are.
 */
const OFFLINE_PREFS: Record<string, string | number | boolean> = {
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.share_proxy_settings': true,
  'network.trr.mode': 5,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'datareporting.usage.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.ml.enable': false,
  'browser.translations.enable': false,
  'browser.topsites.contile.enabled': false,
  'browser.backup.scheduled.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'media.gmp-gmpopenh264.enabled': false,
};

/** Firefox with Loupe installed. */
export type LoadedFirefox = {
  browser: Browser;
  /** Opens `url` in a new tab and makes it the selected tab. */
  openPage(url: string): Promise<Page>;
  /** Calls one of chrome-agent.js's functions in the browser window. */
  call<T>(name: string, ...args: unknown[]): Promise<T>;
  /** Clicks Loupe's toolbar button (in the Extensions menu) and waits for its popup. */
  clickToolbarButton(): Promise<void>;
  close(): Promise<void>;
};

type EvaluateResult = { type: 'success'; result: { value?: string } } | { type: 'exception'; exceptionDetails: { text: string } };

/** Launches Firefox with the Firefox build installed (by default the one `npm test` builds). */
export async function launchFirefox(extensionDir = FIREFOX_EXTENSION_DIR): Promise<LoadedFirefox> {
  if (!existsSync(FIREFOX)) throw new Error(`Firefox not found at ${FIREFOX}: apt-get install -y firefox-esr`);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${extensionDir}: run "npm run build:test:firefox" first`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Lets BiDi reach the browser window, the only place that sees extension documents.
    args: ['--remote-allow-system-access', '--width=1280', '--height=800'],
    extraPrefsFirefox: OFFLINE_PREFS,
    protocolTimeout: 15_000,
  });
  try {
    // Temporary, as about:debugging's "Load Temporary Add-on": unsigned builds load this way only.
    await browser.installExtension(extensionDir);
    // Puppeteer's raw BiDi connection: it has no API for the browser window's scope.
    const connection = (browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: any }> } })
      .connection;
    const send = async (method: string, params: object) => (await connection.send(method, params)).result;
    const { contexts } = await send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const windowContext: string = contexts[0].context;
    const evaluate = async (expression: string): Promise<string | undefined> => {
      const answer: EvaluateResult = await send('script.evaluate', {
        expression,
        target: { context: windowContext },
        awaitPromise: true,
        resultOwnership: 'none',
      });
      if (answer.type === 'exception') throw new Error(`In Firefox's window: ${answer.exceptionDetails.text}`);
      return answer.result.value;
    };
    await evaluate(AGENT);
    const call = async <T>(name: string, ...args: unknown[]): Promise<T> =>
      JSON.parse((await evaluate(`JSON.stringify(loupeTest.${name}(...${JSON.stringify(args)}))`)) ?? 'null') as T;

    return {
      browser,
      call,
      async openPage(url) {
        const page = await browser.newPage();
        await page.goto(url);
        await page.bringToFront();
        return page;
      },
      async clickToolbarButton() {
        await waitFor('Loupe in the Extensions menu', () => call<boolean>('clickToolbarButton'));
        await waitFor('the popup', () => call<boolean>('popupShown'));
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
