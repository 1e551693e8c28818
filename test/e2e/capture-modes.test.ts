/**
 * Every capture mode end to end, at a device pixel ratio of 2, on local pages of known
 * colours: what the server stores must be exactly the dragged region, the clicked element,
 * or the whole page; and the html2canvas fallback must work where captureVisibleTab cannot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSlices } from '../../lib/capture/compose';
import { STRINGS } from '../../lib/strings';
import type { Client } from '../../server/storage/types';
import { getByRole, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import type { Cdp } from './support/cdp';
import { BLOCK_RGB, PAGE_RGB, rgbaAt, TALL, TARGET } from './support/pages';
import { attachToPanel, openPanelFromToolbar, saveSettingsInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';
import { readStoredFile } from '../support/stored-files.ts';

const DPR = 2;
let stack: Stack;
let browser: LoadedBrowser;
let client: Client;

beforeAll(async () => {
  stack = await startStack();
  client = await createClient(stack.server.storage, { name: 'capture-modes' });
  browser = await launchWithExtension({ deviceScaleFactor: DPR });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Opens the panel on `path` from the toolbar, saving this test's settings in the popup. */
function openPanel(path: string) {
  return openPanelFromToolbar(browser, `${stack.site.url}${path}`, (popup) =>
    saveSettingsInPopup(popup, { clientId: client.id, environment: '', serverUrl: stack.server.url }),
  );
}

/** Picks a capture mode from the screenshot button's menu. */
async function chooseMode(cdp: Cdp, label: string): Promise<void> {
  await (await getByRole(cdp, 'button', STRINGS.captureModes)).click();
  await (await getByRole(cdp, 'menuitem', label)).click();
}

/** Sends the open panel's report; answers the stored row and its screenshots, decoded. */
async function sendAndFetch(cdp: Cdp) {
  await (await getByRole(cdp, 'radio', 'Good')).click();
  await (await getByRole(cdp, 'button', STRINGS.send)).click();
  await waitForText(cdp, STRINGS.sent);
  const rows = await stack.server.storage.listFeedback(client.id);
  const row = rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
  const images = await Promise.all((row.screenshots ?? []).map(async (shot) => PNG.sync.read(await readStoredFile(stack.server.files, shot.fileName))));
  return { row, images };
}

const pixel = rgbaAt;
const near = (actual: number[], rgb: readonly number[]) => rgb.every((value, i) => Math.abs(actual[i]! - value) <= 8);

/** Waits until the picker covers the page: the panel's host element, not the page, is then under the pointer. */
function waitForPicker(page: Page): Promise<unknown> {
  return page.waitForFunction(() => document.elementFromPoint(5, 5)?.localName === 'loupe-feedback');
}

const CTRL = 2;
const KEY_CODES: Record<string, number> = { Enter: 13, ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40 };

/** Presses a key in the panel's frame through its own CDP session, as the keyboard would. */
async function press(cdp: Cdp, key: string, modifiers = 0): Promise<void> {
  const windowsVirtualKeyCode = KEY_CODES[key] ?? key.toUpperCase().charCodeAt(0);
  for (const type of ['rawKeyDown', 'keyUp']) await cdp.send('Input.dispatchKeyEvent', { type, key, modifiers, windowsVirtualKeyCode });
}

/** Drags with the page's mouse from one viewport point to another, in steps. */
async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, { steps: 3 });
  await page.mouse.move(...to, { steps: 3 });
  await page.mouse.up();
}

describe('capture modes', () => {
  it('crops a region capture to the dragged box at the device pixel ratio', async () => {
    const { page, cdp } = await openPanel('/capture');
    await chooseMode(cdp, STRINGS.captureRegion);
    await waitForPicker(page);
    await drag(page, [100, 50], [300, 170]);
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    const { row, images } = await sendAndFetch(cdp);
    expect([images[0]!.width, images[0]!.height]).toEqual([200 * DPR, 120 * DPR]);
    // The box spans the red block's right edge (x = 200) over the blue page.
    expect(near(pixel(images[0]!, 10, 10), BLOCK_RGB)).toBe(true);
    expect(near(pixel(images[0]!, 150 * DPR, 10), PAGE_RGB)).toBe(true);
    expect(row.metadata).toMatchObject({ screenshots: [{ capture: 'region' }] });
    await page.close();
  });

  it('captures exactly the clicked element and names it by a selector in metadata', async () => {
    const { page, cdp } = await openPanel('/capture');
    await chooseMode(cdp, STRINGS.captureElement);
    await waitForPicker(page);
    const centre: [number, number] = [TARGET.left + TARGET.width / 2, TARGET.top + TARGET.height / 2];
    await page.mouse.move(centre[0] - 5, centre[1] - 5);
    await page.mouse.move(...centre, { steps: 2 });
    await page.mouse.click(...centre);
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    const { row, images } = await sendAndFetch(cdp);
    const image = images[0]!;
    expect([image.width, image.height]).toEqual([TARGET.width * DPR, TARGET.height * DPR]);
    for (const [x, y] of [[1, 1], [image.width - 2, image.height - 2], [image.width / 2, image.height / 2]] as const) {
      expect(near(pixel(image, x, y), TARGET.rgb)).toBe(true);
    }
    expect(row.metadata).toMatchObject({ screenshots: [{ capture: 'element', selector: '#target' }] });
    await page.close();
  });

  it('picks an element and a region with the keyboard alone', async () => {
    const { page, cdp } = await openPanel('/capture');
    await chooseMode(cdp, STRINGS.captureElement);
    await waitForPicker(page);
    // The first arrow highlights the element in the middle of the viewport (the body), the next
    // go to its first child (the red block) and that one's next sibling (the target).
    for (const key of ['ArrowLeft', 'ArrowDown', 'ArrowRight', 'Enter']) await page.keyboard.press(key);
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    await chooseMode(cdp, STRINGS.captureRegion);
    await waitForPicker(page);
    for (const key of ['Enter', 'Alt+ArrowRight', 'Enter']) await page.keyboard.press(key); // a box over the middle half, 10 px wider
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(2));
    const viewport = await page.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
    const { row, images } = await sendAndFetch(cdp);
    expect([images[0]!.width, images[0]!.height]).toEqual([TARGET.width * DPR, TARGET.height * DPR]);
    expect(images[1]!.width).toBeCloseTo((viewport.width / 2 + 10) * DPR, -1);
    expect(images[1]!.height).toBeCloseTo((viewport.height / 2) * DPR, -1);
    expect(row.metadata).toMatchObject({ screenshots: [{ capture: 'element', selector: '#target' }, { capture: 'region' }] });
    await page.close();
  });

  it('stitches the full page: one image of its height, the sticky header only at the top, the scroll restored', async () => {
    const { page, cdp } = await openPanel('/tall');
    await page.evaluate(() => window.scrollTo(0, 137));
    const extent = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, viewportHeight: document.documentElement.clientHeight }));
    await chooseMode(cdp, STRINGS.captureFullPage);
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    expect(await page.evaluate(() => window.scrollY)).toBe(137);
    const { row, images } = await sendAndFetch(cdp);
    expect(images).toHaveLength(1);
    const image = images[0]!;
    expect(image.height).toBe(extent.height * DPR);
    expect(near(pixel(image, 20, 10), TALL.headerRgb)).toBe(true);
    // Where each later slice began, a captured sticky header would show: the band is there instead.
    for (const y of planSlices(extent).slice(1)) {
      const band = Math.min(2, Math.floor((y + 10 - TALL.headerPx) / extent.viewportHeight));
      expect(near(pixel(image, 20, (y + 10) * DPR), TALL.bandRgb[band]!)).toBe(true);
    }
    expect(near(pixel(image, 20, image.height - 10), TALL.bandRgb[2])).toBe(true);
    expect(row.metadata).toMatchObject({ screenshots: [{ capture: 'full-page' }] });
    await page.close();
  });

  it('burns an opaque redaction into the uploaded image, and leaves the rest as captured', async () => {
    const { page, frame, cdp } = await openPanel('/capture');
    await (await getByRole(cdp, 'button', STRINGS.takeScreenshot)).click();
    await (await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1))).click();
    await (await getByRole(cdp, 'button', STRINGS.editorTool.redact)).click();
    // The editor shows the whole capture scaled into its canvas: aim at the red block's middle.
    const box = (await frame.locator('canvas').boundingBox())!;
    const viewportWidth = await page.evaluate(() => window.innerWidth);
    const at = (x: number, y: number): [number, number] => [box.x + (x * box.width) / viewportWidth, box.y + (y * box.width) / viewportWidth];
    await drag(page, at(40, 20), at(160, 80));
    await (await getByRole(cdp, 'button', STRINGS.editorSave)).click();
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    const { images } = await sendAndFetch(cdp);
    const image = images[0]!;
    for (const [x, y] of [[50, 30], [100, 50], [150, 70]] as const) expect(pixel(image, x * DPR, y * DPR)).toEqual([0, 0, 0, 255]);
    expect(near(pixel(image, 20 * DPR, 50 * DPR), BLOCK_RGB)).toBe(true);
    expect(near(pixel(image, 180 * DPR, 90 * DPR), BLOCK_RGB)).toBe(true);
    expect(near(pixel(image, 250 * DPR, 50 * DPR), PAGE_RGB)).toBe(true);
    await page.close();
  });

  it('attaches an image file from disk as it is, and refuses a file that is not an image by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-attach-'));
    const image = new PNG({ width: 30, height: 20 });
    for (let i = 0; i < image.data.length; i += 4) image.data.set([12, 200, 90, 255], i);
    writeFileSync(join(dir, 'shot.png'), PNG.sync.write(image));
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const { page, frame, cdp } = await openPanel('/capture');
    await frame.setInputFiles('input[type="file"]', join(dir, 'notes.txt'));
    await waitForText(cdp, STRINGS.notAnImage('notes.txt'));
    await frame.setInputFiles('input[type="file"]', join(dir, 'shot.png'));
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    const { row, images } = await sendAndFetch(cdp);
    expect([images[0]!.width, images[0]!.height]).toEqual([30, 20]);
    expect(pixel(images[0]!, 15, 10)).toEqual([12, 200, 90, 255]);
    expect(row.metadata).toMatchObject({ screenshots: [{ capture: 'file' }] });
    rmSync(dir, { recursive: true, force: true });
    await page.close();
  });

  it('annotates without a mouse: a redaction and a crop made with keys, saved with Ctrl+Enter', async () => {
    const { page, frame, cdp } = await openPanel('/capture');
    await (await getByRole(cdp, 'button', STRINGS.takeScreenshot)).click();
    await (await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1))).click();
    await getByRole(cdp, 'application', STRINGS.editorCanvas(1));
    await frame.focus('canvas');
    await press(cdp, 'x');
    await press(cdp, 'Enter');
    await waitForText(cdp, STRINGS.editorAdded(STRINGS.editorShape.redact));
    for (const key of ['c', 'Enter', 'Enter']) await press(cdp, key); // a crop over the middle half, applied
    await press(cdp, 'Enter', CTRL);
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    const viewport = await page.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
    const { images } = await sendAndFetch(cdp);
    const image = images[0]!;
    expect(image.width).toBeCloseTo((viewport.width * DPR) / 2, -1);
    expect(image.height).toBeCloseTo((viewport.height * DPR) / 2, -1);
    expect(pixel(image, image.width / 2, image.height / 2)).toEqual([0, 0, 0, 255]);
    await page.close();
  });

  it('draws the page with html2canvas when the panel was opened without an activeTab grant', async () => {
    const url = `${stack.site.url}/capture`;
    // Settings first (the popup's click would grant activeTab to the tab it was opened on).
    const setup = await openPanel('/colours');
    await setup.page.close();
    const { page } = await browser.openPage(url);
    await browser.openPanelWithoutGrant(url);
    const { cdp } = await attachToPanel(browser, page);
    await (await getByRole(cdp, 'button', STRINGS.takeScreenshot)).click();
    await getByRole(cdp, 'button', STRINGS.annotateScreenshot(1));
    const { row, images } = await sendAndFetch(cdp);
    const image = images[0]!;
    const viewport = await page.evaluate(() => [window.innerWidth, window.innerHeight]);
    expect([image.width, image.height]).toEqual(viewport.map((side) => side * DPR));
    expect(near(pixel(image, 50 * DPR, 50 * DPR), BLOCK_RGB)).toBe(true);
    expect(near(pixel(image, (TARGET.left + 10) * DPR, (TARGET.top + 10) * DPR), TARGET.rgb)).toBe(true);
    expect(row.metadata).toMatchObject({ screenshots: [{ capture: 'visible', rendered: 'html2canvas' }] });
    await page.close();
  });
});
