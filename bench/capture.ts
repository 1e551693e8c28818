/**
 * What a screenshot costs, through the real test build in headless Chromium: the visible area
 * by `captureVisibleTab` and by the html2canvas fallback, side by side in one run and timed
 * inside the service worker; then a full-page capture driven from the panel like a user does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSlices } from '../lib/capture/compose.ts';
import { CAPTURE_MIN_INTERVAL_MS } from '../lib/capture/visible-tab.ts';
import { STRINGS } from '../lib/strings.ts';
import { startServer } from '../server/start.ts';
import { exists, getByRole } from '../test/e2e/support/ax.ts';
import { launchWithExtension, type LoadedBrowser } from '../test/e2e/support/browser.ts';
import { waitFor, type Cdp } from '../test/e2e/support/cdp.ts';
import { openPanelFromToolbar, saveSettingsInPopup } from '../test/e2e/support/panel.ts';
import { percentile, sleep } from './stats.ts';
import { createClient } from '../server/clients.ts';

const EXTENSION_DIR = join(import.meta.dirname, '..', '.output', 'test', 'chrome-mv3');
const ROUNDS = Number(process.env.BENCH_CAPTURE_ROUNDS ?? 10);
/** Not counted: the first html2canvas call also parses its 200 KB script. */
const WARMUP_ROUNDS = 1;
const FULL_PAGE_RUNS = 3;
const SECTIONS = 10;
/** Tighter than waitFor's 100 ms, which would blur a capture of a few seconds less; one poll is one AX query. */
const POLL_MS = 20;
const FULL_PAGE_TIMEOUT_MS = 60_000;

/** 1,000 rows of 5 styled elements with their texts: ~5,000 elements, all laid out, no network resources. */
const ROWS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rows</title><style>
  body { font: 14px system-ui, sans-serif; margin: 0; }
  .row { display: flex; gap: 12px; padding: 4px 12px; border-bottom: 1px solid #d0d7de; }
  .row:nth-child(odd) { background: #f6f8fa; }
  .id { color: #57606a; width: 48px; } .name { flex: 1; font-weight: 600; }
  .tag { border: 1px solid #1f6feb; border-radius: 10px; padding: 0 8px; color: #1f6feb; }
  .amount { color: #1a7f37; width: 80px; text-align: right; }
</style></head><body><div id="rows"></div><script>
  const colours = ['#fff8c5', '#ddf4ff', '#ffebe9', '#dafbe1'];
  document.getElementById('rows').innerHTML = Array.from({ length: 1000 }, (_, i) =>
    '<div class="row"><span class="id">#' + i + '</span><span class="name">Customer ' + i * 7919 % 1000 +
    '</span><em class="tag" style="background:' + colours[i % 4] + '">tier ' + (i % 4) +
    '</em><b class="amount">' + (i * 37.5).toFixed(2) + '</b></div>').join('');
</script></body></html>`;

/** A sticky header over SECTIONS viewport-tall sections, each its own colour. */
const TALL_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tall</title><style>
  body { font: 16px system-ui, sans-serif; margin: 0; }
  header { position: sticky; top: 0; height: 48px; background: #24292f; color: white; padding: 12px; box-sizing: border-box; }
  section { height: 100vh; padding: 24px; box-sizing: border-box; font-size: 32px; }
</style></head><body><header>Sticky header</header>${Array.from(
  { length: SECTIONS },
  (_, i) => `<section style="background: hsl(${i * 36} 70% 80%)">Section ${i + 1}</section>`,
).join('')}</body></html>`;

/** Serves `/rows` and `/tall` on 127.0.0.1, any free port (the test build's host permission covers it). */
async function servePages(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(request.url === '/rows' ? ROWS_PAGE : request.url === '/tall' ? TALL_PAGE : '<!doctype html><title>Blank</title>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}


/** One call, timed in the worker; only its length and size come back, not the image. */
type Shot = { ms: number; bytes: number };

/** The worker's `chrome`, typed as the minimum used (the page's evaluate runs there, not in Node). */
type WorkerChrome = {
  tabs: {
    query(query: { url: string }): Promise<{ id: number; windowId: number }[]>;
    captureVisibleTab(windowId: number, options: { format: 'png' }): Promise<string>;
  };
  scripting: { executeScript(injection: { target: { tabId: number }; files: string[] }): Promise<{ result?: unknown }[]> };
};

/** Runs one capture of the tab showing `url` in the worker, by `captureVisibleTab` or by the html2canvas script. */
async function shoot(browser: LoadedBrowser, url: string, path: 'tab' | 'html2canvas'): Promise<Shot> {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
  const shot = await worker.evaluate(
    async ({ url, path }) => {
      const api = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
      const [tab] = await api.tabs.query({ url });
      const startMs = performance.now();
      const dataUrl =
        path === 'tab'
          ? await api.tabs.captureVisibleTab(tab!.windowId, { format: 'png' })
          : (await api.scripting.executeScript({ target: { tabId: tab!.id }, files: ['/content-scripts/render-page.js'] }))[0]?.result;
      const ms = performance.now() - startMs;
      return typeof dataUrl === 'string' && dataUrl.startsWith('data:image/png;base64,') ? { ms, bytes: (dataUrl.length * 3) / 4 } : undefined;
    },
    { url, path },
  );
  if (!shot) throw new Error(`${path} gave no PNG data URL`);
  return shot;
}

/** Both paths on the rows page, alternating, after WARMUP_ROUNDS each; captures spaced for Chrome's quota. */
async function visibleArea(browser: LoadedBrowser, url: string): Promise<{ tab: Shot[]; html2canvas: Shot[]; nodes: number }> {
  const { page } = await browser.openPage(url);
  const popup = await browser.clickToolbarButton(url); // the activeTab grant captureVisibleTab needs
  await popup.send('Runtime.evaluate', { expression: 'window.close()' }).catch(() => undefined);
  popup.close();
  const nodes = Number(await page.evaluate('document.getElementsByTagName("*").length'));
  const samples = { tab: [] as Shot[], html2canvas: [] as Shot[] };
  let lastCaptureMs = -Infinity;
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    await sleep(lastCaptureMs + CAPTURE_MIN_INTERVAL_MS - performance.now());
    lastCaptureMs = performance.now();
    const tab = await shoot(browser, url, 'tab');
    const html2canvas = await shoot(browser, url, 'html2canvas');
    if (round < WARMUP_ROUNDS) continue;
    samples.tab.push(tab);
    samples.html2canvas.push(html2canvas);
  }
  await page.close();
  return { ...samples, nodes };
}

/** Milliseconds from `startMs` until the first thumbnail exists, polled every POLL_MS. */
async function msUntilThumbnail(cdp: Cdp, startMs: number): Promise<number> {
  while (performance.now() < startMs + FULL_PAGE_TIMEOUT_MS) {
    if (await exists(cdp, 'button', STRINGS.annotateScreenshot(1))) return performance.now() - startMs;
    await sleep(POLL_MS);
  }
  throw new Error(`No screenshot within ${FULL_PAGE_TIMEOUT_MS} ms of choosing "${STRINGS.captureFullPage}"`);
}

/** FULL_PAGE_RUNS full-page captures of the tall page from the panel; each timed from the menu item's click. */
async function fullPage(browser: LoadedBrowser, url: string, serverUrl: string, clientId: string): Promise<{ runsMs: number[]; slices: number }> {
  const { page, cdp } = await openPanelFromToolbar(browser, url, (popup) => saveSettingsInPopup(popup, { clientId, environment: '', serverUrl }));
  // The extension's own plan for this page: one capture per slice.
  const extent = (await page.evaluate('({ height: document.documentElement.scrollHeight, viewportHeight: document.documentElement.clientHeight })')) as {
    height: number;
    viewportHeight: number;
  };
  const runsMs: number[] = [];
  for (let run = 0; run < FULL_PAGE_RUNS; run++) {
    await sleep(CAPTURE_MIN_INTERVAL_MS); // the previous run's last capture must not delay this one's first
    await (await getByRole(cdp, 'button', STRINGS.captureModes)).click();
    const item = await getByRole(cdp, 'menuitem', STRINGS.captureFullPage);
    const startMs = performance.now();
    await item.click();
    runsMs.push(await msUntilThumbnail(cdp, startMs));
    await (await getByRole(cdp, 'button', STRINGS.removeScreenshot(1))).click();
    await waitFor('the screenshot to go', async () => !(await exists(cdp, 'button', STRINGS.annotateScreenshot(1))));
  }
  await page.close();
  return { runsMs, slices: planSlices(extent).length };
}

const sorted = (shots: Shot[]) => shots.map((s) => s.ms).sort((a, b) => a - b);

/** Visible area by both paths (p50/p95 and ratio) and the full-page capture from the panel; returns a Markdown section. */
export async function benchCapture(): Promise<string> {
  // Runs after benchOutboxSend, which builds the test extension when it is missing.
  const cleanups: (() => unknown)[] = [];
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-capture-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
    cleanups.push(() => server.close());
    const pages = await servePages();
    cleanups.push(() => pages.close());
    const browser = await launchWithExtension({ extensionDir: EXTENSION_DIR });
    cleanups.push(() => browser.close());
    const { id: clientId } = await createClient(server.storage, { name: 'bench-capture' });

    const visible = await visibleArea(browser, `${pages.url}/rows`);
    const { runsMs, slices } = await fullPage(browser, `${pages.url}/tall`, server.url, clientId);

    const [tab, h2c] = [sorted(visible.tab), sorted(visible.html2canvas)];
    const kb = (shots: Shot[]) => (percentile(shots.map((s) => s.bytes).sort((a, b) => a - b), 50) / 1024).toFixed(0);
    const cells = (ms: number[]) => `${percentile(ms, 50).toFixed(1)} | ${percentile(ms, 95).toFixed(1)}`;
    const ratio = (pct: number) => `${(percentile(h2c, pct) / percentile(tab, pct)).toFixed(1)}x`;
    const floorMs = (slices - 1) * CAPTURE_MIN_INTERVAL_MS;
    const median = [...runsMs].sort((a, b) => a - b)[Math.floor(runsMs.length / 2)]!;
    const runRow = (name: string, ms: number) =>
      `| ${name} | ${slices} | ${ms.toFixed(0)} | ${(ms / slices).toFixed(0)} | ${floorMs} | ${(ms - floorMs).toFixed(0)} |`;
    return [
      '## Capture: captureVisibleTab vs html2canvas, and a full page',
      '',
      `The built test extension in headless Chromium (1200×800 window, device pixel ratio 1). **Visible area**: a local page of`,
      `${visible.nodes.toLocaleString('en')} elements (1,000 styled rows with text, borders and colours; no network resources), opened and`,
      `granted \`activeTab\` by a click on the toolbar button. Each round calls, from the service worker, \`captureVisibleTab\``,
      `(PNG) and then the fallback, \`scripting.executeScript\` of \`render-page.js\` (injecting it and html2canvas drawing the`,
      `viewport), each timed in the worker with \`performance.now()\` so that CDP round trips do not count; captures start at`,
      `least ${CAPTURE_MIN_INTERVAL_MS} ms apart (Chrome's quota), the wait not counted. ${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up; with this few, p95 is the slowest.`,
      '',
      '| path | rounds | p50 ms | p95 ms | PNG (p50) | p50 vs captureVisibleTab | p95 vs captureVisibleTab |',
      '|---|---|---|---|---|---|---|',
      `| captureVisibleTab | ${ROUNDS} | ${cells(tab)} | ${kb(visible.tab)} KB | 1.0x | 1.0x |`,
      `| html2canvas (render-page.js) | ${ROUNDS} | ${cells(h2c)} | ${kb(visible.html2canvas)} KB | ${ratio(50)} | ${ratio(95)} |`,
      '',
      `**Full page**: a page with a sticky header over ${SECTIONS} sections of 100vh, each its own colour. Opened from the toolbar`,
      `and popup, then in the panel "${STRINGS.captureModes}" → "${STRINGS.captureFullPage}", timed from the menu item's click until the`,
      `thumbnail "${STRINGS.annotateScreenshot(1)}" exists (polled every ${POLL_MS} ms through the panel's accessibility tree); the`,
      `shot is removed between runs. Each slice is one \`captureVisibleTab\`, and Chrome allows two per second, so the`,
      `floor is the spacing between the first and the last: (slices − 1) × ${CAPTURE_MIN_INTERVAL_MS} ms; above it: the last capture, scrolling,`,
      'hiding the panel and the sticky header, stitching and the thumbnail.',
      '',
      '| run | slices | ms | ms per slice | floor ms | above floor ms |',
      '|---|---|---|---|---|---|',
      ...runsMs.map((ms, i) => runRow(String(i + 1), ms)),
      runRow('**median**', median),
      '',
    ].join('\n');
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve().then(cleanup).catch((error: unknown) => console.error('Bench cleanup failed:', error));
    }
  }
}
