/**
 * A hostile page cannot break, hide or read the panel, cannot send on the user's behalf,
 * and cannot make the worker fetch anything: the panel still works, and the page saw nothing.
 * Its script cannot cover, hide or restyle the panel either: the panel is put back on top,
 * takes no click while it cannot be seen, and closes saying why when the page keeps at it.
 */
import type { Frame, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INTERFERENCE_BADGE } from '../../lib/panel/interference';
import { STRINGS } from '../../lib/strings';
import { getByRole, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor } from './support/cdp';
import { FAKE_PANEL_RGB, PAGE_RGB, rgbaAt } from './support/pages';
import { attachToPanel, openPanelFromToolbar, saveSettingsInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';

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

it('keeps the panel working and private on a page that attacks it', async () => {
  const { server, site } = stack;
  const client = await createClient(server.storage, { name: 'hostile' });
  const { page, frame, cdp } = await openPanelFromToolbar(browser, `${site.url}/hostile`, (popup) =>
    saveSettingsInPopup(popup, { clientId: client.id, environment: '', serverUrl: server.url }),
  );

  // Laid out as designed, above the page's full-screen cover, whatever the page's CSS.
  // Once the form has loaded its settings and the frame has grown to it.
  const frameBox = async () => (await (await frame.frameElement()).boundingBox())!;
  await waitFor('the panel to be laid out', async () => (await frameBox()).height > 300);
  const box = await frameBox();
  expect(box.width).toBe(360);
  const view = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
  expect(box.x + box.width).toBeLessThanOrEqual(view.width);
  expect(box.y + box.height).toBeLessThanOrEqual(view.height);

  // The page keeps poking at the panel; nothing is sent without the user.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await server.storage.listFeedback(client.id)).toHaveLength(0);

  await (await getByRole(cdp, 'radio', 'Bad')).click(); // a real click, through the cover
  const comment = await getByRole(cdp, 'textbox', 'Comment');
  await comment.type('secret words');
  await page.keyboard.type(' typed key by key'); // real key events, to the focused panel
  await (await getByRole(cdp, 'button', STRINGS.takeScreenshot)).click();
  await getByRole(cdp, 'image', STRINGS.screenshotAlt(1));
  await (await getByRole(cdp, 'button', 'Send')).click();
  await waitForText(cdp, STRINGS.sent);

  const rows = await server.storage.listFeedback(client.id);
  expect(rows.map((row) => [row.rating, row.comment])).toEqual([[2, 'secret words typed key by key']]);
  expect(rows[0]!.screenshots).toHaveLength(1);

  const seen = await page.evaluate(() => ({
    events: (window as any).__seen as string[],
    tries: (window as any).__tries as Record<string, number>,
    shadowRoot: document.querySelector('loupe-feedback')?.shadowRoot ?? null,
    canMessageExtension: typeof (window as any).chrome?.runtime?.sendMessage === 'function',
  }));
  // Not one key, input or message event from the panel reached the page.
  expect(seen.events).toEqual([]);
  // The page's patched built-ins never ran for Loupe, and it found no way in.
  // A frame inside a closed shadow root is not even in `window.frames`: nothing to post to.
  expect(seen.tries).toMatchObject({ shadow: 0, fetch: 0, opened: 0, frames: 0 });
  expect(seen.shadowRoot).toBeNull();
  expect(seen.canMessageExtension).toBe(false);
});

type Attack = 'cover' | 'seeThrough' | 'shadowCover' | 'uncover' | 'opacity' | 'transform' | 'unstyle' | 'hide' | 'move' | 'remove' | 'vanish' | 'reappear' | 'fight';
const attack = (page: Page, name: Attack) => page.evaluate((which) => (window as any).attack[which](), name);
// Longer than the guard's periodic check (lib/panel/host-guard.ts), so a missed change would show.
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/** What the page and the screen show at the middle of the panel's frame. */
async function atPanelCentre(page: Page, frame: Frame) {
  const box = (await (await frame.frameElement()).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const seen = await page.evaluate(([px, py]) => {
    const host = document.querySelector('loupe-feedback')!;
    const style = getComputedStyle(host);
    return { hitsHost: document.elementFromPoint(px!, py!) === host, onTop: host.matches(':popover-open'), opacity: style.opacity, transform: style.transform };
  }, [x, y]);
  const pixel = rgbaAt(PNG.sync.read(await page.screenshot()), x, y).slice(0, 3);
  return { ...seen, pixel };
}

/** Presses the mouse on a rating option where the page's viewport shows it (routed by the browser's own hit test). */
async function clickRating(page: Page, frame: Frame, name: string): Promise<void> {
  const box = (await frame.getByRole('radio', { name }).boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** The tab's own badge text and title, read in the worker. */
async function toolbarFor(url: string): Promise<{ text: string; title: string }> {
  const worker = browser.context.serviceWorkers()[0]!;
  return worker.evaluate(async (tabUrl) => {
    const api = (globalThis as any).chrome;
    const [tab] = await api.tabs.query({ url: tabUrl });
    return { text: await api.action.getBadgeText({ tabId: tab.id }), title: await api.action.getTitle({ tabId: tab.id }) };
  }, url);
}

it('puts the panel back on top and visible when page script covers, hides or restyles it; a real click lands in it', async () => {
  const { page, frame, cdp } = await openPanelFromToolbar(browser, `${stack.site.url}/page-script`);
  let rating = 'Good';
  for (const name of ['cover', 'seeThrough', 'shadowCover', 'opacity', 'transform', 'unstyle', 'hide'] as const) {
    await attack(page, name);
    await settle();
    const seen = await atPanelCentre(page, frame);
    expect({ attack: name, ...seen }).toMatchObject({ attack: name, hitsHost: true, onTop: true, opacity: '1', transform: 'none' });
    expect(seen.pixel, name).not.toEqual([...FAKE_PANEL_RGB]);
    expect(seen.pixel, name).not.toEqual([...PAGE_RGB]);
    rating = rating === 'Good' ? 'Bad' : 'Good';
    await clickRating(page, frame, rating);
    expect(await (await getByRole(cdp, 'radio', rating)).checked(), name).toBe(true);
    await attack(page, 'uncover');
  }
  expect(await page.evaluate(() => (window as any).fakeHits)).toBe(0);

  // Put back on top while the user types: the keys still go to the comment.
  const comment = (await frame.getByRole('textbox', { name: 'Comment' }).boundingBox())!;
  await page.mouse.click(comment.x + 10, comment.y + 10);
  await page.keyboard.type('before ');
  await attack(page, 'hide');
  await settle();
  await page.keyboard.type('after');
  expect(await frame.getByRole('textbox', { name: 'Comment' }).inputValue()).toBe('before after');

  // Moved into the page's body (which reloads the frame): back under the root, on top, and working.
  await attack(page, 'move');
  await settle();
  expect(await page.evaluate(() => document.querySelector('loupe-feedback')?.parentElement === document.documentElement)).toBe(true);
  const moved = await attachToPanel(browser, page);
  expect(await atPanelCentre(page, moved.frame)).toMatchObject({ hitsHost: true, onTop: true });
  await clickRating(page, moved.frame, 'Good');
  expect(await (await getByRole(moved.cdp, 'radio', 'Good')).checked()).toBe(true);
  await page.close();
});

it('takes no click while the page keeps it hidden, then closes it and says why on the toolbar button', async () => {
  const url = `${stack.site.url}/page-script`;
  const { page, frame, cdp } = await openPanelFromToolbar(browser, url);
  expect(await toolbarFor(url)).toMatchObject({ text: '' });

  // The page hides its whole document, the panel with it, in a way the panel cannot undo.
  const box = (await frame.getByRole('radio', { name: 'Good' }).boundingBox())!;
  // (`content-visibility: hidden` on the root hides the top layer too: the screen shows the page's colour there.)
  await attack(page, 'vanish');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // Still open (the guard tries for a moment before it gives up), and the click went nowhere.
  // Asked of the panel's document directly: a hidden frame does not render, so nothing that waits for a paint would answer.
  const rated = await cdp.send('Runtime.evaluate', { expression: `document.querySelectorAll('.rating-option input:checked').length`, returnByValue: true });
  expect(rated.result.value).toBe(0);
  expect(await page.locator('loupe-feedback').count()).toBe(1);
  await waitFor('the panel to close', async () => (await page.locator('loupe-feedback').count()) === 0);
  expect(await toolbarFor(url)).toEqual({ text: INTERFERENCE_BADGE, title: STRINGS.pageInterfered });
  await attack(page, 'reappear');

  // Opened again, the warning goes; the page removes the panel, then keeps undoing it.
  for (const name of ['remove', 'fight'] as const) {
    await openPanelFromToolbar(browser, page);
    await waitFor('the warning to go', async () => (await toolbarFor(url)).text === '');
    await attack(page, name);
    await waitFor('the panel to close', async () => (await page.locator('loupe-feedback').count()) === 0);
    expect(await toolbarFor(url), name).toEqual({ text: INTERFERENCE_BADGE, title: STRINGS.pageInterfered });
  }
  await page.close();
});
