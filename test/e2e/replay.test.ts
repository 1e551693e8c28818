/**
 * Instant replay, end to end: a site turned on from the popup records; the panel freezes
 * the last seconds when it opens; the replay reaches the server with the feedback,
 * masked, bounded, spanning page loads, and plays in the server's inbox.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORM_NODES } from '../../lib/replay/mutation-gate';
import { CALM_MS } from '../../lib/replay/storm-guard';
import { STRINGS } from '../../lib/strings';
import { getByRole, pressKey, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor, type CdpClient } from './support/cdp';
import { startFaultProxy } from './support/fault-proxy';
import { signInWithAdminToken } from './support/inbox';
import { SCROLLED_BOX_TOP, STORM_PAGE_NODES } from './support/pages';
import { openPanelFromToolbar, saveSettingsInPopup, turnSiteOnInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';
import { readStoredFile } from '../support/stored-files.ts';

const WINDOW_SECONDS = 3;
// The recorder forces a full snapshot every window / 3 (lib/replay/in-page.ts).
const SEGMENT_MS = (WINDOW_SECONDS * 1000) / 3;
const TYPED_TEXT = 'visible-secret-text';
const TYPED_PASSWORD = 'hunter2-password';

type ReplayEvent = { type: number; timestamp: number; data?: { href?: string; source?: number; adds?: unknown[]; texts?: { value: string }[] } };

let stack: Stack;
let browser: LoadedBrowser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** In the popup: server settings, a short window recorded from the start, and this site turned on. */
function turnSiteOn(popup: CdpClient, clientId: string): Promise<void> {
  return turnSiteOnInPopup(popup, { clientId, environment: '', serverUrl: stack.server.url }, WINDOW_SECONDS);
}

/** Sends feedback from an open panel and returns the stored row and its replay's events. */
async function sendAndFetchReplay(cdp: Parameters<typeof getByRole>[0], clientId: string) {
  await waitForText(cdp, STRINGS.replayAttached(WINDOW_SECONDS));
  await (await getByRole(cdp, 'radio', 'Good')).click();
  const sentAtMs = Date.now();
  await (await getByRole(cdp, 'button', 'Send')).click();
  await waitForText(cdp, STRINGS.sent);
  const [row] = await stack.server.storage.listFeedback(clientId);
  expect(row!.sessionReplayId).toBeTruthy();
  const replay = (await stack.server.storage.getReplay(row!.sessionReplayId!))!;
  const json = gunzipSync(await readStoredFile(stack.server.files, replay.fileName)).toString('utf8');
  return { row: row!, replay, json, events: JSON.parse(json) as ReplayEvent[], sentAtMs };
}

describe('instant replay', () => {
  it('records a turned-on site, masks what was typed, and sends the frozen window', async () => {
    const client = await createClient(stack.server.storage, { name: 'replay' });
    const url = `${stack.site.url}/replay-a`;
    const { page } = await browser.openPage(url);
    const popup = await browser.clickToolbarButton(url);
    await turnSiteOn(popup, client.id);
    popup.close();

    await page.fill('#name', TYPED_TEXT);
    await page.fill('#password', TYPED_PASSWORD);
    await new Promise((resolve) => setTimeout(resolve, (WINDOW_SECONDS + 1.5) * 1000));

    const { cdp } = await openPanelFromToolbar(browser, page);
    const { row, replay, json, events } = await sendAndFetchReplay(cdp, client.id);

    expect(events[0]!.type).toBe(4); // Meta
    expect(events[1]!.type).toBe(2); // FullSnapshot
    const durationMs = events.at(-1)!.timestamp - events[0]!.timestamp;
    expect(durationMs).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000 - 250);
    expect(durationMs).toBeLessThanOrEqual(WINDOW_SECONDS * 1000 + SEGMENT_MS + 250);
    expect(row.replayOffsetMs).toBeGreaterThanOrEqual(durationMs);
    expect(row.replayOffsetMs).toBeLessThanOrEqual(durationMs + 1000);
    expect(replay).toMatchObject({ eventCount: events.length });
    expect(json).not.toContain(TYPED_TEXT);
    expect(json).not.toContain(TYPED_PASSWORD);
    // A scrolled box on screen keeps its offset (scripts/rrweb-patches.ts skips only unrendered ones).
    expect(json).toContain(`"rr_scrollTop":${SCROLLED_BOX_TOP}`);

    // rrweb's player rebuilds it, in the server's inbox, once signed in.
    const viewer = await browser.context.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (error) => errors.push(error.message));
    await viewer.goto(`${stack.server.url}/feedback/${row.id}`);
    await signInWithAdminToken(viewer, stack.adminToken);
    await viewer.waitForSelector('[data-replay-state="playing"], [data-replay-state="error"]');
    expect(await viewer.getAttribute('[data-replay-state]', 'data-replay-state')).toBe('playing');
    expect(errors).toEqual([]);
    await viewer.close();
    await page.close();
  });

  it('keeps rolling on an idle page: forced full snapshots bound the window', async () => {
    const client = await createClient(stack.server.storage, { name: 'replay-idle' });
    const { page } = await browser.openPage(`${stack.site.url}/colours`); // nothing on it ever changes
    const popup = await browser.clickToolbarButton(page.url());
    await turnSiteOn(popup, client.id);
    popup.close();
    await new Promise((resolve) => setTimeout(resolve, (WINDOW_SECONDS + 2) * 1000));
    const { cdp } = await openPanelFromToolbar(browser, page);
    const { events } = await sendAndFetchReplay(cdp, client.id);
    const durationMs = events.at(-1)!.timestamp - events[0]!.timestamp;
    expect(durationMs).toBeLessThanOrEqual(WINDOW_SECONDS * 1000 + SEGMENT_MS + 250);
    expect(events.filter((event) => event.type === 2).length).toBeGreaterThanOrEqual(WINDOW_SECONDS);
    await page.close();
  });

  it('sends without the replay when the user leaves it out, or the server has no replay route', async () => {
    const client = await createClient(stack.server.storage, { name: 'replay-optional' });
    const proxy = await startFaultProxy(stack.server.url);
    try {
      const { page } = await browser.openPage(`${stack.site.url}/replay-a`);
      const popup = await browser.clickToolbarButton(page.url());
      await turnSiteOn(popup, client.id);
      popup.close();
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      // Left out by the user: no replay upload, no link.
      let panel = await openPanelFromToolbar(browser, page);
      const attach = await getByRole(panel.cdp, 'checkbox', STRINGS.attachReplay);
      await attach.click();
      expect(await attach.checked()).toBe(false);
      await (await getByRole(panel.cdp, 'radio', 'Bad')).click();
      await (await getByRole(panel.cdp, 'button', 'Send')).click();
      await waitForText(panel.cdp, STRINGS.sent);
      expect((await stack.server.storage.listFeedback(client.id))[0]!.sessionReplayId).toBeNull();
      await pressKey(panel.cdp, 'Escape');
      await waitFor('the panel to close', async () => (await page.locator('loupe-feedback').count()) === 0);

      // A server without POST /api/replays (404): the feedback still arrives, and the panel says so.
      panel = await openPanelFromToolbar(browser, page, (p) =>
        saveSettingsInPopup(p, { clientId: client.id, environment: '', serverUrl: proxy.url }),
      );
      proxy.failNext('/api/replays', 1, 404);
      await (await getByRole(panel.cdp, 'radio', 'Amazing')).click();
      await (await getByRole(panel.cdp, 'button', 'Send')).click();
      await waitForText(panel.cdp, STRINGS.replayNotAttached);
      const rows = await stack.server.storage.listFeedback(client.id);
      expect(rows.map((row) => [row.rating, row.sessionReplayId])).toEqual([[4, null], [2, null]]);
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it('turning a site off unregisters its recorder and removes it from the list', async () => {
    const { page } = await browser.openPage(`${stack.site.url}/replay-a`);
    const popup = await browser.clickToolbarButton(page.url());
    const site = await getByRole(popup, 'switch', STRINGS.replaySiteSwitch);
    expect(await site.checked()).toBe(true);
    await (await getByRole(popup, 'button', STRINGS.removeSite(stack.site.url))).click();
    await waitForText(popup, STRINGS.replaySitesNone);
    expect(await site.checked()).toBe(false);
    popup.close();
    const worker = browser.context.serviceWorkers()[0]!;
    expect(await worker.evaluate(() => (globalThis as any).chrome.scripting.getRegisteredContentScripts())).toEqual([]);
    await page.close();
  });

  it('spans two page loads: the replay sent from page B starts on page A', async () => {
    const client = await createClient(stack.server.storage, { name: 'replay-navigation' });
    const url = `${stack.site.url}/replay-a`;
    const { page } = await browser.openPage(url);
    const popup = await browser.clickToolbarButton(url);
    await turnSiteOn(popup, client.id); // already on since the first test: persisted registration
    popup.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await Promise.all([page.waitForURL(/replay-b/), page.click('#next')]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const { cdp } = await openPanelFromToolbar(browser, page);
    const { events } = await sendAndFetchReplay(cdp, client.id);
    const pages = events.filter((event) => event.type === 4).map((event) => new URL(event.data!.href!).pathname);
    expect(pages[0]).toBe('/replay-a');
    expect(pages.at(-1)).toBe('/replay-b');
    await page.close();
  });

  it('merges the changes of a page that changes every frame, keeps the last one seen before the panel opened, and pauses for a storm', async () => {
    const client = await createClient(stack.server.storage, { name: 'replay-churn' });
    const { page } = await browser.openPage(`${stack.site.url}/churn`);
    const popup = await browser.clickToolbarButton(page.url());
    await turnSiteOn(popup, client.id);
    popup.close();
    // Recorded for longer than the window before the storm, so that the replay spans the whole window.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000));
    await page.evaluate('window.storm()');
    // The window still holds the storm when the panel opens, and the page has been calm for CALM_MS.
    await new Promise((resolve) => setTimeout(resolve, CALM_MS + 1_000));

    const { cdp } = await openPanelFromToolbar(browser, page);
    const { row, json, events } = await sendAndFetchReplay(cdp, client.id);
    const mutations = events.filter((event) => event.type === 3 && event.data!.source === 0);
    // The storm's batch never reached rrweb: no mutation event carries its nodes.
    expect(Math.max(...mutations.map((event) => event.data!.adds!.length))).toBeLessThan(STORM_NODES);
    // Paused: the counters changed every frame, yet no mutation was recorded for about CALM_MS;
    // then recording resumed with a full snapshot that holds the storm's nodes.
    const gaps = mutations.slice(1).map((event, i) => ({ ms: event.timestamp - mutations[i]!.timestamp, after: mutations[i]! }));
    const pause = gaps.reduce((longest, gap) => (gap.ms > longest.ms ? gap : longest));
    expect(pause.ms).toBeGreaterThanOrEqual(CALM_MS - 100);
    const resumed = events.filter((event) => event.type === 2 && event.timestamp > pause.after.timestamp)[0]!;
    expect(resumed.timestamp).toBeLessThan(pause.after.timestamp + pause.ms);
    expect(json.split('"tagName":"span"').length - 1).toBeGreaterThanOrEqual(STORM_PAGE_NODES);
    // Merged: outside the pause, far fewer mutation events than the frames in which the page changed its texts.
    const changes = (await page.evaluate('window.changes')) as [number, number][];
    const framesPerSecond = ((changes.length - 1) * 1000) / (changes.at(-1)![0] - changes[0]![0]);
    const recordingMs = mutations.at(-1)!.timestamp - mutations[0]!.timestamp - pause.ms;
    expect(((mutations.length - 1) * 1000) / recordingMs).toBeLessThan(framesPerSecond / 4);
    // The changes the gate still held when the panel opened are in: the replay reaches the last
    // value written before it (or the one after, when rrweb read the texts a frame later).
    const openedAtMs = events[0]!.timestamp + row.replayOffsetMs!;
    const [, lastValueBeforeOpen] = changes.filter(([atMs]) => atMs <= openedAtMs).at(-1)!;
    const recordedValues = mutations.flatMap((event) => event.data!.texts!.map((text) => Number(text.value)));
    expect(Math.max(...recordedValues)).toBeGreaterThanOrEqual(lastValueBeforeOpen);
    await page.close();
  });
});
