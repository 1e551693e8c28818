/**
 * The replay recorder's cost, side by side in one run: the same churning page (5,000 nodes,
 * 500 of them changed every animation frame) on a site that records and on one that does
 * not, through the real test build in headless Chromium. Main-thread busy time comes from
 * CDP `Performance.getMetrics` on the page's own session, over interleaved pairs of short
 * runs (the same work varies by a quarter from one run to the next on this machine); then a
 * long recorded run gives the heap, and sends its replay while the server's storage is
 * polled until the row and replay exist.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { REPLAY_MAX_BYTES_PER_TAB, REPLAY_MAX_EVENT_BYTES_PER_TAB } from '../lib/replay/buffer.ts';
import { STRINGS } from '../lib/strings.ts';
import { startServer, type RunningServer } from '../server/start.ts';
import { getByRole } from '../test/e2e/support/ax.ts';
import { launchWithExtension, type LoadedBrowser } from '../test/e2e/support/browser.ts';
import { waitFor } from '../test/e2e/support/cdp.ts';
import { openPanelFromToolbar, turnSiteOnInPopup } from '../test/e2e/support/panel.ts';
import { percentile, sleep } from './stats.ts';
import { createClient } from '../server/clients.ts';
import { readStoredFile } from '../test/support/stored-files.ts';

const EXTENSION_DIR = join(import.meta.dirname, '..', '.output', 'test', 'chrome-mv3');
/** The long recorded run: the heap is read at its end, the replay sent right after. */
const RUN_MS = Number(process.env.BENCH_RECORDER_RUN_MS ?? 60_000);
/** Busy time: this many pairs of runs, with and without the recorder, in ABBA order so that drift cancels. */
const PAIRS = Number(process.env.BENCH_RECORDER_PAIRS ?? 8);
/** Each run of a pair, warm-up included. */
const PAIR_RUN_MS = 13_000;
/** Not measured: page load, rrweb's first full snapshot of 5,000 nodes, JIT warm-up. */
const WARMUP_MS = 3_000;
/** The recorder's default window, set explicitly so that a changed default shows here. */
const WINDOW_SECONDS = 30;
const POLL_MS = 10;
const STORED_TIMEOUT_MS = 30_000;
const GOAL_BUSY_RATIO = 1.15;
const GOAL_SCRIPT_GZ_BYTES = 35 * 1024;
const MB = 1024 * 1024;

/**
 * 1,000 rows of 5 nodes (li, span and em with their texts); every frame 500 rows change and 5
 * are replaced. Off-screen rows skip rendering, as long lists on real sites do: fully laid out,
 * the page alone saturates the main thread (100% busy at ~38 fps here), and the recorder's cost
 * would show as dropped frames instead of busy time.
 */
const CHURN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Churn</title>
<style>li { content-visibility: auto; contain-intrinsic-size: auto 18px; }</style></head>
<body><ol id="list"></ol><script>
  const list = document.getElementById('list');
  let next = 0, cursor = 0, frame = 0;
  const row = () => {
    const li = document.createElement('li'), span = document.createElement('span'), em = document.createElement('em');
    span.textContent = 'row ' + next++; em.textContent = '0';
    li.append(span, em);
    return li;
  };
  for (let i = 0; i < 1000; i++) list.append(row());
  const tick = () => {
    frame++;
    const rows = list.children;
    for (let k = 0; k < 500; k++) {
      const li = rows[(cursor + k) % rows.length];
      if (k % 2) li.lastChild.firstChild.data = String(frame); else li.setAttribute('data-tick', String(frame % 7));
    }
    cursor = (cursor + 500) % rows.length;
    for (let k = 0; k < 5; k++) { list.firstElementChild.remove(); list.append(row()); }
    window.benchFrames = frame;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
</script></body></html>`;

/** Serves the churn page at `/churn` (anything else: an empty page) on 127.0.0.1, any free port. */
async function servePages(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(request.url === '/churn' ? CHURN_PAGE : '<!doctype html><title>Blank</title>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}


async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** One churn run: busy seconds over the measured span, frames drawn in it, heap at the end (after a GC). */
type Run = { page: Page; spanS: number; busyS: number; scriptS: number; layoutS: number; frames: number; heapBytes: number };
/** What the busy-time comparison adds up over its runs. */
type Sums = Omit<Run, 'page' | 'heapBytes'>;

/** Opens the churn page in a fresh tab, measures from WARMUP_MS to `runMs` after load; leaves the tab open. */
async function churn(browser: LoadedBrowser, url: string, runMs: number): Promise<Run> {
  const page = await browser.context.newPage();
  await page.goto(url);
  const loadedMs = performance.now();
  await page.bringToFront();
  // No Accessibility domain here (unlike openPage): its tree updates would pad both sides alike.
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const frames = async () => Number(await page.evaluate('window.benchFrames'));
  await sleep(loadedMs + WARMUP_MS - performance.now());
  const [before, framesBefore] = [await metrics(cdp), await frames()];
  await sleep(loadedMs + runMs - performance.now());
  const [after, framesAfter] = [await metrics(cdp), await frames()];
  await cdp.send('HeapProfiler.collectGarbage');
  const heapBytes = (await metrics(cdp)).JSHeapUsedSize!;
  await cdp.detach();
  const delta = (name: string) => after[name]! - before[name]!;
  return { page, spanS: delta('Timestamp'), busyS: delta('TaskDuration'), scriptS: delta('ScriptDuration'), layoutS: delta('LayoutDuration'), frames: framesAfter - framesBefore, heapBytes };
}

/** Adds up runs of one side. */
function sum(runs: readonly Run[]): Sums {
  const total = (key: keyof Sums) => runs.reduce((acc, run) => acc + run[key], 0);
  return { spanS: total('spanS'), busyS: total('busyS'), scriptS: total('scriptS'), layoutS: total('layoutS'), frames: total('frames') };
}

/** Busy time with and without the recorder: PAIRS pairs of fresh-tab runs, one tab at a time, in ABBA order. */
async function comparePairs(browser: LoadedBrowser, withUrl: string, withoutUrl: string): Promise<Omit<Measured, 'long'>> {
  const [without, withRec]: [Run[], Run[]] = [[], []];
  const pairRatios: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = pair % 2 === 0 ? [false, true] : [true, false];
    for (const recorded of order) {
      const run = await churn(browser, recorded ? withUrl : withoutUrl, PAIR_RUN_MS);
      await run.page.close();
      (recorded ? withRec : without).push(run);
    }
    pairRatios.push(withRec.at(-1)!.busyS / without.at(-1)!.busyS);
  }
  const withoutHeapBytes = Math.max(...without.map((run) => run.heapBytes));
  return { without: sum(without), withRec: sum(withRec), pairRatios: pairRatios.sort((a, b) => a - b), withoutHeapBytes };
}

/** Through the popup, as a user would: server settings, the replay defaults (started at once), and this site on. */
async function turnSiteOn(browser: LoadedBrowser, url: string, server: RunningServer, clientId: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.bringToFront();
  const popup = await browser.clickToolbarButton(url);
  try {
    await turnSiteOnInPopup(popup, { clientId, environment: '', serverUrl: server.url }, WINDOW_SECONDS);
  } finally {
    popup.close();
  }
  await page.close();
}

/** What the send stored, and how long after the click on Send; `replay` is undefined when the feedback came without one. */
type Sent = { ms: number; clickMs: number; replay?: { fileSize: number; eventCount: number; durationMs: number; jsonBytes: number } };

/** Opens the panel on the recorded page, sends, and polls the storage every POLL_MS until the row (and its replay) exist. */
async function sendReplay(browser: LoadedBrowser, page: Page, server: RunningServer, clientId: string): Promise<Sent> {
  const { cdp, frame } = await openPanelFromToolbar(browser, page);
  await getByRole(cdp, 'checkbox', STRINGS.attachReplay); // shown once the window is frozen
  await (await getByRole(cdp, 'radio', 'Good')).click();
  const send = await getByRole(cdp, 'button', STRINGS.send);
  await waitFor('an enabled Send button', async () => !(await send.disabled()));
  const startMs = performance.now();
  await send.click();
  const clickMs = performance.now() - startMs;
  while (performance.now() < startMs + STORED_TIMEOUT_MS) {
    const [row] = await server.storage.listFeedback(clientId);
    // The outbox uploads the replay before the feedback: a row without one will not get one.
    const replay = row?.sessionReplayId ? await server.storage.getReplay(row.sessionReplayId) : undefined;
    if (row && (replay || !row.sessionReplayId)) {
      const ms = performance.now() - startMs;
      if (!replay) return { ms, clickMs };
      const jsonBytes = gunzipSync(await readStoredFile(server.files, replay.fileName)).byteLength;
      return { ms, clickMs, replay: { ...replay, jsonBytes } };
    }
    await sleep(POLL_MS);
  }
  const shown = await frame.evaluate('document.body.innerText').catch(() => '(panel gone)');
  throw new Error(`No feedback stored within ${STORED_TIMEOUT_MS} ms of Send; the panel shows: ${String(shown)}`);
}

const met = (ok: boolean) => (ok ? 'yes' : '**no**');
const pct = (sums: Sums, key: 'busyS' | 'scriptS' | 'layoutS') => `${sums[key].toFixed(2)} s (${((100 * sums[key]) / sums.spanS).toFixed(0)}%)`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** The busy-time comparison and the long recorded run, as measured. */
type Measured = { without: Sums; withRec: Sums; pairRatios: number[]; withoutHeapBytes: number; long: Run };

/** The section's Markdown: how it was measured, the table against the goals, and what the numbers imply. */
function section({ without, withRec, pairRatios, withoutHeapBytes, long }: Measured, sent: Sent, scriptGzBytes: number): string {
  const [busyRatio, heapDiff, spanS, replay] = [withRec.busyS / without.busyS, long.heapBytes - withoutHeapBytes, without.spanS.toFixed(0), sent.replay];
  const perFrameMs = (sums: Sums) => (sums.busyS * 1000) / sums.frames;
  const row = (name: string, key: 'busyS' | 'scriptS' | 'layoutS') => `| ${name} | ${pct(without, key)} | ${pct(withRec, key)} | ${ratio(withRec[key], without[key])} |`;
  return [
    '## Replay recorder',
    '',
    `The built test extension in headless Chromium. A page of ~5,000 nodes changes 500 of them every animation frame`,
    `(text or attribute, a rotating slice) and replaces 5 rows, on an origin turned on from the popup (${WINDOW_SECONDS} s window, full`,
    `snapshot every ${WINDOW_SECONDS / 3} s, ${REPLAY_MAX_BYTES_PER_TAB / MB} MB cap, ${REPLAY_MAX_EVENT_BYTES_PER_TAB / MB} MB of it for events) and on one that does not record. Busy time: ${PAIRS} pairs of runs, one`,
    `fresh tab at a time in ABBA order, each measured over ${(PAIR_RUN_MS - WARMUP_MS) / 1000} s after a ${WARMUP_MS / 1000} s warm-up with CDP \`Performance.getMetrics\``,
    `deltas on the page's session, summed per side (${spanS} s each). Then a ${RUN_MS / 1000} s recorded run: its heap (\`JSHeapUsedSize\` after a`,
    `forced GC; the content script's isolated world shares the page's heap), then the panel opens on it and sends;`,
    `Send to stored is from the click until the storage holds the row and its replay (polled every ${POLL_MS} ms).`,
    '',
    '| measure | without recorder | with recorder | result | goal | met |',
    '|---|---|---|---|---|---|',
    `${row(`main-thread busy (TaskDuration) over ${spanS} s`, 'busyS')} ≤ ${GOAL_BUSY_RATIO}x | ${met(busyRatio <= GOAL_BUSY_RATIO)} |`,
    `| the same, per pair of runs | | | median ${percentile(pairRatios, 50).toFixed(2)}x (${pairRatios[0]!.toFixed(2)}–${pairRatios.at(-1)!.toFixed(2)}x) | | |`,
    `${row('of which script (ScriptDuration)', 'scriptS')} | |`,
    `${row('of which layout (LayoutDuration)', 'layoutS')} | |`,
    `| frames drawn (per s) | ${(without.frames / without.spanS).toFixed(1)} | ${(withRec.frames / withRec.spanS).toFixed(1)} | | | |`,
    `| busy per frame | ${perFrameMs(without).toFixed(2)} ms | ${perFrameMs(withRec).toFixed(2)} ms | ${ratio(perFrameMs(withRec), perFrameMs(without))} | | |`,
    `| JS heap after ${RUN_MS / 1000} s (after GC) | ${(withoutHeapBytes / MB).toFixed(1)} MB | ${(long.heapBytes / MB).toFixed(1)} MB | +${(heapDiff / MB).toFixed(1)} MB | < ${REPLAY_MAX_BYTES_PER_TAB / MB} MB | ${met(heapDiff < REPLAY_MAX_BYTES_PER_TAB)} |`,
    replay
      ? `| replay of the last ${WINDOW_SECONDS} s, as stored | | | ${(replay.fileSize / 1024).toFixed(0)} KB gzip, ${replay.eventCount} events, ${(replay.durationMs / 1000).toFixed(1)} s, ${(replay.jsonBytes / MB).toFixed(1)} MB unpacked | | |`
      : `| replay of the last ${WINDOW_SECONDS} s, as stored | | | not stored: the feedback arrived without it (does the server have POST /api/replays?) | | |`,
    `| Send to stored replay | | | ${replay ? `${sent.ms.toFixed(0)} ms` : `none (feedback row after ${sent.ms.toFixed(0)} ms)`} | | |`,
    `| recorder.js, gzip -9 | | | ${(scriptGzBytes / 1024).toFixed(1)} KB | ≤ ${GOAL_SCRIPT_GZ_BYTES / 1024} KB | ${met(scriptGzBytes <= GOAL_SCRIPT_GZ_BYTES)} |`,
    '',
    `The Send click itself (three CDP mouse events, awaited in turn) took ${sent.clickMs.toFixed(0)} ms of the send time. The heap is one`,
    `reading: the buffer grows through each ${WINDOW_SECONDS / 3} s segment and shrinks when an old one goes. The without-recorder heap is the`,
    `largest of its short runs (a page that does not record does not grow).`,
    ...(replay && replay.durationMs < WINDOW_SECONDS * 1000
      ? [
          `The replay covers less than the ${WINDOW_SECONDS} s window: this page makes ${((replay.jsonBytes / MB) * (1000 / replay.durationMs)).toFixed(1)} MB/s of events,`,
          `so the ${REPLAY_MAX_EVENT_BYTES_PER_TAB / MB} MB events cap drops whole segments before the window does.`,
        ]
      : []),
    '',
  ].join('\n');
}

/** The recorder's busy time, heap, replay size and send time, and the script's size; returns a Markdown section. */
export async function benchRecorder(): Promise<string> {
  // Runs after benchOutboxSend, which builds the test extension when it is missing.
  const scriptGzBytes = gzipSync(readFileSync(join(EXTENSION_DIR, 'content-scripts', 'recorder.js')), { level: 9 }).byteLength;
  const cleanups: (() => unknown)[] = [];
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-recorder-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
    cleanups.push(() => server.close());
    // Two ports, two origins: the recorder is registered for one origin only.
    const [recorded, plain] = [await servePages(), await servePages()];
    // Two sites, so that neither side's runs share a renderer process with the other's.
    const plainUrl = `${plain.url.replace('127.0.0.1', 'localhost')}/churn`;
    cleanups.push(() => recorded.close(), () => plain.close());
    const browser = await launchWithExtension({ extensionDir: EXTENSION_DIR });
    cleanups.push(() => browser.close());
    const { id: clientId } = await createClient(server.storage, { name: 'bench-recorder' });
    await turnSiteOn(browser, `${recorded.url}/`, server, clientId);

    // One churning tab at a time: they would compete for the same two cores.
    const compared = await comparePairs(browser, `${recorded.url}/churn`, plainUrl);
    const long = await churn(browser, `${recorded.url}/churn`, RUN_MS);
    return section({ ...compared, long }, await sendReplay(browser, long.page, server, clientId), scriptGzBytes);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve().then(cleanup).catch((error: unknown) => console.error('Bench cleanup failed:', error));
    }
  }
}
