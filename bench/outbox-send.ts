/**
 * Send to delivered through the real extension (test build, headless Chromium, driven like a
 * user) against a real server on loopback. Each round is timed twice, side by side: the click
 * on Send until the panel says it was sent, and the same requests sent bare from Node (the
 * PNG and body the server stored), so the extension's overhead shows as a ratio.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { STRINGS } from '../lib/strings.ts';
import { startServer, type RunningServer } from '../server/start.ts';
import type { FeedbackRow } from '../server/storage/types.ts';
import { getByRole, hasText } from '../test/e2e/support/ax.ts';
import { launchWithExtension } from '../test/e2e/support/browser.ts';
import { waitFor, type Cdp } from '../test/e2e/support/cdp.ts';
import { startPageServer } from '../test/e2e/support/pages.ts';
import { openPanelFromToolbar, saveSettingsInPopup } from '../test/e2e/support/panel.ts';
import { percentile } from './stats.ts';
import { createClient } from '../server/clients.ts';

const ROOT = join(import.meta.dirname, '..');
/** The test build the Chromium sections load. */
export const EXTENSION_DIR = join(ROOT, '.output', 'test', 'chrome-mv3');
const ROUNDS_PLAIN = Number(process.env.BENCH_SEND_ROUNDS ?? 10);
const ROUNDS_SCREENSHOT = Number(process.env.BENCH_SEND_SCREENSHOT_ROUNDS ?? 5);
/** The first send pays for cold paths (worker's IndexedDB, CORS preflight, JIT): not counted. */
const WARMUP_ROUNDS = 1;
/** Tighter than waitForText's 100 ms, which would swamp a send that takes tens of ms. */
const POLL_MS = 10;
const SENT_TIMEOUT_MS = 15_000;
const BUILD_TIMEOUT_MS = 120_000;

/** One round; `clickMs` and `pollMs` are the harness's own share of `extensionMs`. */
type Sample = { extensionMs: number; bareMs: number; clickMs: number; pollMs: number };

/** Builds the test extension (what `npm run build:test` makes) unless it is already there. */
export function ensureBuild(): void {
  if (existsSync(join(EXTENSION_DIR, 'manifest.json'))) return;
  console.error(`No extension build in ${EXTENSION_DIR}: building it (npx wxt build)...`);
  const result = spawnSync('npx', ['wxt', 'build'], {
    cwd: ROOT,
    env: { ...process.env, LOUPE_OUT_DIR: '.output/test' },
    // Keep stdout for the report: the build's chatter goes to stderr.
    stdio: ['ignore', 2, 2],
    timeout: BUILD_TIMEOUT_MS,
  });
  if (result.status !== 0 || !existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`Building the test extension failed (exit ${result.status ?? result.signal})`);
  }
}

/**
 * Milliseconds from `startMs` until `text` is shown in the panel, polled every POLL_MS; also
 * how long one poll (an accessibility-tree query) took, which bounds how late we notice.
 */
async function msUntilText(cdp: Cdp, text: string, startMs: number): Promise<{ ms: number; pollMs: number }> {
  let [polls, pollingMs] = [0, 0];
  while (performance.now() < startMs + SENT_TIMEOUT_MS) {
    const pollStartMs = performance.now();
    const shown = await hasText(cdp, text);
    const nowMs = performance.now();
    polls++;
    pollingMs += nowMs - pollStartMs;
    if (shown) return { ms: nowMs - startMs, pollMs: pollingMs / polls };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`The panel did not show "${text}" within ${SENT_TIMEOUT_MS} ms`);
}

/**
 * Paints a noisy band across the test page: its flat colours alone make a 7 KB PNG, while a
 * real page's screenshot weighs a few hundred KB, and the bytes are what the outbox carries.
 */
async function addPhotoLikeBand(page: Page): Promise<void> {
  await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    Object.assign(canvas, { width: innerWidth, height: 150 }).style.cssText = 'position: fixed; left: 0; top: 300px;';
    const image = new ImageData(canvas.width, canvas.height);
    for (let i = 0; i < image.data.length; i += 4) {
      const noise = Math.floor(Math.random() * 256);
      image.data.set([30 + (noise >> 1), 144, 255 - (noise >> 2), 255], i);
    }
    canvas.getContext('2d')?.putImageData(image, 0, 0);
    document.body.append(canvas);
  });
}

/** POSTs with a fresh Idempotency-Key, as the extension does; returns the parsed answer. */
async function post(url: string, body: FormData | string): Promise<any> {
  const headers: Record<string, string> = { 'Idempotency-Key': randomUUID() };
  if (typeof body === 'string') headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method: 'POST', headers, body });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * Replays what the extension sent for `row` straight from Node: the same PNG upload (when it
 * had one), then the same feedback body. Only the two requests are timed.
 */
async function bareRoundTripMs(server: RunningServer, row: FeedbackRow): Promise<number> {
  const shot = row.screenshots?.[0];
  const png = shot ? await (await fetch(shot.url)).arrayBuffer() : undefined;
  const { clientId, rating, comment, pageUrl, pageTitle, referrer, metadata } = row;
  const fields = { clientId, rating, comment, pageUrl, pageTitle, referrer, metadata };
  // The contract has no nulls: the extension leaves unset fields out.
  const feedback: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
  const startMs = performance.now();
  if (png) {
    const form = new FormData();
    form.set('clientId', row.clientId);
    form.set('pageUrl', row.pageUrl ?? '');
    form.set('screenshot', new Blob([png], { type: 'image/png' }), 'screenshot.png');
    feedback.screenshots = [(await post(`${server.url}/api/screenshots`, form)).screenshot];
  }
  await post(`${server.url}/api/feedback`, JSON.stringify(feedback));
  return performance.now() - startMs;
}

/** One report through the panel (timed from the Send click), then the same work bare. */
async function sendRound(cdp: Cdp, server: RunningServer, clientId: string, comment: string, screenshot: boolean): Promise<Sample> {
  await (await getByRole(cdp, 'radio', 'Good')).click();
  await (await getByRole(cdp, 'textbox', STRINGS.commentLabel)).type(comment);
  if (screenshot) {
    const take = await getByRole(cdp, 'button', STRINGS.takeScreenshot);
    // Chrome allows 2 captures per second; the extension queues, the wait is not timed anyway.
    await waitFor('the screenshot button', async () => !(await take.disabled()));
    await take.click();
    await getByRole(cdp, 'image', STRINGS.screenshotAlt(1));
    await waitFor('the capture to finish', async () => !(await take.disabled()));
  }
  const send = await getByRole(cdp, 'button', STRINGS.send);
  await waitFor('an enabled Send button', async () => !(await send.disabled()));
  const startMs = performance.now();
  await send.click();
  const clickMs = performance.now() - startMs;
  const { ms: extensionMs, pollMs } = await msUntilText(cdp, STRINGS.sent, startMs);

  const row = (await server.storage.listFeedback(clientId)).find((r) => r.comment === comment);
  if (!row) throw new Error(`The server has no feedback "${comment}"`);
  if ((row.screenshots?.length ?? 0) !== (screenshot ? 1 : 0)) throw new Error(`"${comment}" arrived with the wrong screenshots`);
  const bareMs = await bareRoundTripMs(server, row);
  await (await getByRole(cdp, 'button', STRINGS.sendAnother)).click();
  return { extensionMs, bareMs, clickMs, pollMs };
}

/** The `pct` percentile of one measure over the rounds (nearest rank: with 10 rounds p95 is the slowest). */
function percentileMs(samples: Sample[], key: keyof Sample, pct: number): number {
  return percentile(samples.map((s) => s[key]).sort((a, b) => a - b), pct);
}

function summaryRow(name: string, samples: Sample[]): string {
  const [e50, e95] = [percentileMs(samples, 'extensionMs', 50), percentileMs(samples, 'extensionMs', 95)];
  const [b50, b95] = [percentileMs(samples, 'bareMs', 50), percentileMs(samples, 'bareMs', 95)];
  const cells = [e50, e95, b50, b95].map((ms) => ms.toFixed(1));
  return `| ${name} | ${samples.length} | ${cells.join(' | ')} | ${(e50 / b50).toFixed(1)}x | ${(e95 / b95).toFixed(1)}x |`;
}

/** Runs the rounds in real Chromium against a real server; returns a Markdown section. */
export async function benchOutboxSend(): Promise<string> {
  ensureBuild();
  // Undone in reverse order, whatever step fails.
  const cleanups: (() => unknown)[] = [];
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-send-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
    cleanups.push(() => server.close());
    const site = await startPageServer();
    cleanups.push(() => site.close());
    const browser = await launchWithExtension({ extensionDir: EXTENSION_DIR });
    cleanups.push(() => browser.close());

    const { id: clientId } = await createClient(server.storage, { name: 'bench' });
    const { page, cdp } = await openPanelFromToolbar(browser, `${site.url}/colours`, (popup) =>
      saveSettingsInPopup(popup, { clientId, environment: '', serverUrl: server.url }),
    );
    await addPhotoLikeBand(page);
    let cold: Sample | undefined;
    const run = async (kind: string, rounds: number, screenshot: boolean) => {
      const samples: Sample[] = [];
      for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
        const sample = await sendRound(cdp, server, clientId, `Bench ${kind} round ${round}`, screenshot);
        cold ??= sample;
        if (round >= WARMUP_ROUNDS) samples.push(sample);
      }
      return samples;
    };
    const plain = await run('plain', ROUNDS_PLAIN, false);
    const withShot = await run('screenshot', ROUNDS_SCREENSHOT, true);
    const shotKb = ((await server.storage.listFeedback(clientId)).find((r) => r.screenshots?.length)?.screenshots?.[0]?.fileSize ?? 0) / 1024;
    const all = [...plain, ...withShot];
    const [clickP50, pollP50] = [percentileMs(all, 'clickMs', 50), percentileMs(all, 'pollMs', 50)];
    return [
      '## Outbox: Send to delivered (real Chromium, localhost)',
      '',
      'The built test extension in headless Chromium, driven through toolbar, popup and panel, against a real server',
      '(fresh SQLite file, no rate limits) on loopback. **Extension**: from the click on Send until the panel shows',
      `"${STRINGS.sent}" (polled every ${POLL_MS} ms through the panel's accessibility tree).`,
      '**Bare**: right after each round, the same work sent from Node: POST /api/screenshots with the PNG the server',
      'stored for that round (when it had one), then POST /api/feedback with the same body, each with an Idempotency-Key.',
      `After ${WARMUP_ROUNDS} warm-up round per case; with this few rounds, p95 is the slowest round.`,
      '',
      '| case | rounds | extension p50 ms | extension p95 ms | bare p50 ms | bare p95 ms | p50 ratio | p95 ratio |',
      '|---|---|---|---|---|---|---|---|',
      summaryRow('rating + comment', plain),
      summaryRow(`rating + comment + 1 screenshot (${shotKb.toFixed(0)} KB PNG)`, withShot),
      '',
      `The harness's own share of the extension times: the Send click (scroll, box lookup and three CDP mouse events,`,
      `awaited in turn) took p50 ${clickP50.toFixed(1)} ms, and one poll took p50 ${pollP50.toFixed(1)} ms, so the stop`,
      `is noticed up to about ${(pollP50 + POLL_MS).toFixed(0)} ms late. The first (cold) send took ${cold!.extensionMs.toFixed(1)} ms`,
      `through the extension, ${cold!.bareMs.toFixed(1)} ms bare.`,
      '',
    ].join('\n');
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve().then(cleanup).catch((error: unknown) => console.error('Bench cleanup failed:', error));
    }
  }
}
