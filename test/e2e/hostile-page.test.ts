/**
 * A hostile page cannot break, hide or read the panel, cannot send on the user's behalf,
 * and cannot make the worker fetch anything: the panel still works, and the page saw nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STRINGS } from '../../lib/strings';
import { getByRole, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { openPanelFromToolbar, saveSettingsInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';

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
  const client = await server.storage.createClient({ name: 'hostile' });
  const { page, frame, cdp } = await openPanelFromToolbar(browser, `${site.url}/hostile`, (popup) =>
    saveSettingsInPopup(popup, { clientId: client.id, environment: '', serverUrl: server.url }),
  );

  // Laid out as designed, above the page's full-screen cover, whatever the page's CSS.
  const box = (await (await frame.frameElement()).boundingBox())!;
  expect(box.width).toBe(360);
  expect(box.height).toBeGreaterThan(300);
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
