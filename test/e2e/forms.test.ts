/**
 * Forms end to end: the options page configures a feedback type, the panel asks what it
 * says, a mandatory field left empty blocks Send with a message a screen reader hears,
 * and the type, title and priority reach the stored feedback's metadata.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start';
import type { Client } from '../../server/storage/types';
import { STRINGS } from '../../lib/strings';
import { getByRole, hasText, waitForText, type Control } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor, type Cdp } from './support/cdp';
import { openPanelFromToolbar, saveSettingsInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';

let browser: LoadedBrowser;
let stack: Stack;
let server: RunningServer;
let client: Client;

beforeAll(async () => {
  stack = await startStack();
  server = stack.server;
  client = await createClient(server.storage, { name: 'Forms' });
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The options page, opened in a tab as the popup's link does. */
async function openOptions(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await page.getByRole('heading', { name: STRINGS.optionsTitle }).waitFor();
  return page;
}

/** What a screen reader knows of a control: invalid, focused, and its description. */
async function axState(cdp: Cdp, control: Control): Promise<{ invalid: boolean; focused: boolean; description: string }> {
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { backendNodeId: control.backendNodeId, fetchRelatives: false });
  const node = nodes[0] as { properties?: { name: string; value: { value: unknown } }[]; description?: { value: string } };
  const property = (name: string) => node.properties?.find((p) => p.name === name)?.value.value;
  return { invalid: property('invalid') === 'true', focused: property('focused') === true, description: node.description?.value ?? '' };
}

/** How many alerts (live messages read out as they appear) the panel shows. */
async function alerts(cdp: Cdp): Promise<number> {
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: root.backendNodeId, role: 'alert' });
  return (nodes as { ignored?: boolean }[]).filter((node) => !node.ignored).length;
}

/** Presses a key in the panel's focused control, through the panel's own session. */
async function press(cdp: Cdp, key: 'ArrowRight' | 'ArrowLeft', code: number): Promise<void> {
  for (const type of ['rawKeyDown', 'keyUp']) await cdp.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: code });
}

describe('forms', () => {
  it('the options page explains what stops a save at each field, moves focus there, and saves once fixed', async () => {
    const options = await openOptions();
    const colour = options.getByLabel(STRINGS.accentColourLabel, { exact: true });
    await colour.fill('blue-ish');
    const bug = options.getByRole('group', { name: STRINGS.feedbackType.bug, exact: true });
    await bug.getByLabel(STRINGS.formField.category, { exact: true }).selectOption('required');
    await options.getByRole('button', { name: STRINGS.save }).click();

    const alert = options.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(STRINGS.fieldIssue(STRINGS.accentColourLabel, STRINGS.colourInvalid));
    expect(await alert.textContent()).toContain(STRINGS.fieldIssue(STRINGS.feedbackType.bug, STRINGS.categoriesEmpty));
    // The first field in error has the focus, says it is invalid, and is described by its message.
    expect(await colour.evaluate((input) => document.activeElement === input)).toBe(true);
    expect(await colour.getAttribute('aria-invalid')).toBe('true');
    expect(await colour.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby')!)?.textContent)).toBe(
      STRINGS.colourInvalid,
    );
    const categories = bug.getByLabel(STRINGS.categoriesLabel);
    expect(await categories.getAttribute('aria-invalid')).toBe('true');
    expect(await options.getByRole('status').textContent()).toBe('');

    await colour.fill('#0A7D3B');
    await categories.fill('Checkout\n\nLogin\n');
    await options.getByRole('button', { name: STRINGS.save }).click();
    await options.getByRole('status').filter({ hasText: STRINGS.saved }).waitFor();
    expect(await options.getByRole('alert').count()).toBe(0);
    // What was stored, normalised, replaces what was typed.
    expect(await colour.inputValue()).toBe('#0a7d3b');
    await options.close();

    // Read back as saved, normalised.
    const again = await openOptions();
    expect(await again.getByLabel(STRINGS.accentColourLabel, { exact: true }).inputValue()).toBe('#0a7d3b');
    expect(await again.getByRole('group', { name: STRINGS.feedbackType.bug, exact: true }).getByLabel(STRINGS.categoriesLabel).inputValue()).toBe(
      'Checkout\nLogin',
    );
    await again.close();
  });

  it('a mandatory title blocks Send with an accessible message; then type, title and priority land in metadata', async () => {
    const options = await openOptions();
    const bug = options.getByRole('group', { name: STRINGS.feedbackType.bug, exact: true });
    await bug.getByLabel(STRINGS.formField.title, { exact: true }).selectOption('required');
    await bug.getByLabel(STRINGS.formField.priority, { exact: true }).selectOption('optional');
    await bug.getByLabel(STRINGS.formField.category, { exact: true }).selectOption('hidden');
    await options.getByRole('radio', { name: STRINGS.position.left }).check();
    await options.getByLabel(STRINGS.reporterNameLabel).fill('Ada Lovelace');
    await options.getByRole('button', { name: STRINGS.save }).click();
    await options.getByRole('status').filter({ hasText: STRINGS.saved }).waitFor();
    await options.close();

    const { page, frame, cdp } = await openPanelFromToolbar(browser, `${stack.site.url}/colours`, (popup) =>
      saveSettingsInPopup(popup, { clientId: client.id, environment: '', serverUrl: server.url }),
    );
    // The panel sits on the left, in the accent colour chosen.
    await waitFor('the panel on the left', async () =>
      (await page.evaluate(() => document.querySelector('loupe-feedback')!.getBoundingClientRect().left)) === 16,
    );
    // General first, as the panel always was; the type is chosen with the arrow keys.
    const general = await getByRole(cdp, 'radio', STRINGS.feedbackType.general);
    expect(await general.checked()).toBe(true);
    expect(await hasText(cdp, STRINGS.formField.title)).toBe(false);
    await cdp.send('DOM.focus', { backendNodeId: general.backendNodeId });
    await press(cdp, 'ArrowRight', 39);
    await waitFor('Bug to be chosen', async () => (await getByRole(cdp, 'radio', STRINGS.feedbackType.bug)).checked());

    const title = await getByRole(cdp, 'textbox', STRINGS.formField.title);
    expect(await hasText(cdp, STRINGS.requiredNote)).toBe(true);
    await (await getByRole(cdp, 'textbox', STRINGS.commentLabel)).type('The Pay button does nothing');
    const send = await getByRole(cdp, 'button', STRINGS.send);
    await send.click();
    const message = STRINGS.fieldIssue(STRINGS.formField.title, STRINGS.formRequired.title);
    await waitForText(cdp, message);
    expect(await alerts(cdp)).toBe(1);
    await waitFor('focus on the title', async () => (await axState(cdp, title)).focused);
    expect(await axState(cdp, title)).toEqual({ invalid: true, focused: true, description: STRINGS.formRequired.title });
    expect(await server.storage.listFeedback(client.id)).toHaveLength(0);

    await title.type('Checkout fails');
    await waitFor('the message to go once answered', async () => !(await hasText(cdp, message)));
    expect((await axState(cdp, title)).invalid).toBe(false);
    await (await getByRole(cdp, 'radio', STRINGS.priority.high)).click();
    expect(await frame.evaluate(() => getComputedStyle(document.querySelector('button.primary')!).backgroundColor)).toBe('rgb(10, 125, 59)');
    // The reporter's name comes from the settings but Bug does not show it: it is not sent.
    await send.click();
    await waitForText(cdp, STRINGS.sent);

    const [row, ...others] = await server.storage.listFeedback(client.id);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({ rating: null, comment: 'The Pay button does nothing' });
    expect(row!.metadata).toMatchObject({ type: 'bug', priority: 'high', title: 'Checkout fails' });
    expect(row!.metadata).not.toHaveProperty('name');
    expect(row!.metadata).not.toHaveProperty('category');
    await page.close();
  });

  it('the popup shows the shortcut and opens the browser page that changes it', async () => {
    const { page } = await browser.openPage(`${stack.site.url}/colours`);
    const popup = await browser.clickToolbarButton(page.url());
    await waitForText(popup, STRINGS.shortcut('Alt+Shift+F'));
    const opened = browser.context.waitForEvent('page');
    await (await getByRole(popup, 'button', STRINGS.changeShortcut)).click();
    expect((await opened).url()).toBe('chrome://extensions/shortcuts');
    popup.close();
    await page.close();
  });
});
