/**
 * What a full outbox costs the user: a panel open's status call (`panel:status`) and the
 * popup's outbox list (`outbox:list`), through the real extension in Chromium, first with an
 * empty outbox, then with ~150 MB queued, side by side in one run (the ratio is the point).
 * The reports are queued the way a user's are while the server is down: sent from the panel
 * to a server on loopback that answers 503 with a day's Retry-After, so none is retried here.
 */
import { createServer, type Server } from 'node:http';
import type { Frame } from 'playwright-core';
import { launchWithExtension, type LoadedBrowser } from '../test/e2e/support/browser.ts';
import type { Cdp } from '../test/e2e/support/cdp.ts';
import { startPageServer } from '../test/e2e/support/pages.ts';
import { PAGE } from '../test/unit/fixtures.ts';
import { openPanelFromToolbar, saveSettingsInPopup } from '../test/e2e/support/panel.ts';
import { EXTENSION_DIR, ensureBuild } from './outbox-send.ts';
import { percentile } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_OUTBOX_FULL_ROUNDS ?? 20);
const WARMUP_ROUNDS = 3;
/** Three screenshots (the most a report carries) of 2.5 MB each: a full-page JPEG weighs that. */
const SHOT_BYTES = 2.5 * 1024 * 1024;
const SHOTS_PER_REPORT = 3;
const QUEUED_BYTES = 150 * 1024 * 1024;
const REPORTS = Math.ceil(QUEUED_BYTES / (SHOT_BYTES * SHOTS_PER_REPORT));

/** A server that is "down for maintenance" for a day: every request answers 503 with Retry-After. */
async function startDownServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '86400', 'Access-Control-Allow-Origin': '*' });
      response.end(JSON.stringify({ error: 'Down for maintenance' }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/**
 * Times `rounds` sequential sends of one message from an extension page, inside that page
 * (so neither CDP nor Playwright is in the measure); returns the times after the warm-up, sorted.
 * Runs in the page: no named inner functions (tsx would wrap them in a helper the page lacks).
 */
async function timeMessages({ type, rounds, warmup }: { type: string; rounds: number; warmup: number }): Promise<number[]> {
  const api = (globalThis as any).chrome;
  const timesMs: number[] = [];
  for (let round = 0; round < warmup + rounds; round++) {
    const startMs = performance.now();
    const reply = await api.runtime.sendMessage({ type, data: {} });
    if (!reply?.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
    timesMs.push(performance.now() - startMs);
  }
  return timesMs.slice(warmup).sort((a, b) => a - b);
}

/** `panel:status` as the panel sends it when it opens. */
const timeStatus = (panel: Frame): Promise<number[]> =>
  panel.evaluate(timeMessages, { type: 'panel:status', rounds: ROUNDS, warmup: WARMUP_ROUNDS });

/** `outbox:list` as the popup sends it when it opens (a popup target, which Playwright does not list). */
async function timeList(browser: LoadedBrowser, pageUrl: string): Promise<number[]> {
  const popup = await browser.clickToolbarButton(pageUrl);
  try {
    const args = JSON.stringify({ type: 'outbox:list', rounds: ROUNDS, warmup: WARMUP_ROUNDS });
    const expression = `(${timeMessages.toString()})(${args})`;
    const { result, exceptionDetails } = await popup.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`Timing outbox:list failed: ${JSON.stringify(exceptionDetails)}`);
    return result.value as number[];
  } finally {
    popup.close();
  }
}

/** Sends REPORTS reports of three random (incompressible) screenshots from the panel; resolves once all are queued. */
async function fillOutbox(panel: Frame): Promise<void> {
  const outcomes = await panel.evaluate(
    async ({ reports, shots, shotBytes, page }) => {
      const bytes = new Uint8Array(shotBytes);
      for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
      let binary = '';
      for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
      const dataUrl = `data:image/jpeg;base64,${btoa(binary)}`;
      const states: string[] = [];
      for (let index = 0; index < reports; index++) {
        const screenshots = Array.from({ length: shots }, () => ({ dataUrl, mode: 'full-page' }));
        const data = { attachReplay: false, rating: 3, comment: `Queued ${index}`, screenshots, page };
        const reply = await (globalThis as any).chrome.runtime.sendMessage({ type: 'feedback:send', data });
        states.push(reply?.ok ? reply.data.status : `error: ${reply?.error}`);
      }
      return states;
    },
    { reports: REPORTS, shots: SHOTS_PER_REPORT, shotBytes: SHOT_BYTES, page: PAGE },
  );
  const notQueued = outcomes.filter((state) => state !== 'queued');
  if (notQueued.length > 0) throw new Error(`Reports not queued: ${notQueued.join(', ')}`);
}

/** The outbox's size as the popup shows it. */
async function queuedMb(popup: Cdp): Promise<number> {
  const expression = `chrome.runtime.sendMessage({ type: 'outbox:list', data: {} }).then((reply) => reply.data.totalBytes)`;
  const { result } = await popup.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  return (result.value as number) / 1024 / 1024;
}

type Timings = { status: number[]; list: number[] };

const cells = (sortedMs: number[]) => [percentile(sortedMs, 50), percentile(sortedMs, 95)].map((ms) => ms.toFixed(2));

function row(name: string, empty: number[], full: number[]): string {
  const ratio = percentile(full, 50) / percentile(empty, 50);
  return `| ${name} | ${cells(empty).join(' | ')} | ${cells(full).join(' | ')} | ${ratio.toFixed(1)}x |`;
}

/** Runs both measures on an empty outbox, fills it, runs them again; returns a Markdown section. */
export async function benchOutboxFull(): Promise<string> {
  ensureBuild();
  const cleanups: (() => unknown)[] = [];
  try {
    const down = await startDownServer();
    cleanups.push(() => down.close());
    const site = await startPageServer();
    cleanups.push(() => site.close());
    const browser = await launchWithExtension({ extensionDir: EXTENSION_DIR });
    cleanups.push(() => browser.close());

    const pageUrl = `${site.url}/colours`;
    const { frame } = await openPanelFromToolbar(browser, pageUrl, (popup) =>
      saveSettingsInPopup(popup, { clientId: 'client_bench', environment: '', serverUrl: down.url }),
    );
    const measure = async (): Promise<Timings> => ({ status: await timeStatus(frame), list: await timeList(browser, pageUrl) });
    const empty = await measure();
    const fillStartMs = performance.now();
    await fillOutbox(frame);
    const fillS = (performance.now() - fillStartMs) / 1000;
    const popup = await browser.clickToolbarButton(pageUrl);
    const mb = await queuedMb(popup).finally(() => popup.close());
    const full = await measure();
    return [
      '## Outbox: a panel open with a full outbox (real Chromium)',
      '',
      `The built test extension in headless Chromium. Each call is timed inside the extension page that sends it,`,
      `${ROUNDS} sequential calls after ${WARMUP_ROUNDS} warm-up ones: \`panel:status\` from the panel, as it asks when it opens, and`,
      `\`outbox:list\` from the popup, as it asks when it opens. **Empty**: nothing queued. **Full**: ${REPORTS} reports of`,
      `${SHOTS_PER_REPORT} random ${(SHOT_BYTES / 1024 / 1024).toFixed(1)} MB screenshots each (${mb.toFixed(0)} MB as the outbox counts it), queued from the panel`,
      `against a server answering 503 with a day's Retry-After; queuing them took ${fillS.toFixed(1)} s.`,
      '',
      '| call | empty p50 ms | empty p95 ms | full p50 ms | full p95 ms | p50 full vs empty |',
      '|---|---|---|---|---|---|',
      row('panel:status (panel opens)', empty.status, full.status),
      row(`outbox:list (popup opens, ${REPORTS} entries)`, empty.list, full.list),
      '',
    ].join('\n');
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve().then(cleanup).catch((error: unknown) => console.error('Bench cleanup failed:', error));
    }
  }
}
