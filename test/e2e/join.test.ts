/**
 * One-click joining: an owner makes a reporter invite link; the reporter opens it with Loupe
 * installed, opens the popup on that tab and confirms; the settings are stored and the next
 * report goes to that project and environment. Nothing to type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../../lib/strings';
import { createClient } from '../../server/clients.ts';
import type { Client } from '../../server/storage/types';
import { exists, getByRole, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor } from './support/cdp';
import { openPanelFromToolbar } from './support/panel';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let browser: LoadedBrowser;
let client: Client;

beforeAll(async () => {
  stack = await startStack();
  client = await createClient(stack.server.storage, { name: 'Northwind shop' });
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** What the extension keeps in storage.local, read in its worker. */
async function storedSettings(): Promise<unknown> {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
  type WorkerChrome = { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
  return worker.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
    return (await api.storage.local.get('settings')).settings;
  });
}

describe('joining a project from an invite link', () => {
  it('sets Loupe up after one confirmation in the popup, and the next report goes to that project', async () => {
    // Through "localhost", which the test build holds no host permission for (it has 127.0.0.1):
    // the popup sees the tab's address by activeTab alone, and reports reach the server by its
    // CORS answer alone, as with any server a user picks.
    const server = stack.server.url.replace('//127.0.0.1:', '//localhost:');
    const made = await fetch(`${server}/api/projects/${client.id}/reporter-links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ environment: 'staging' }),
    });
    expect(made.status).toBe(201);
    const { url } = (await made.json()) as { url: string };

    // The page explains itself, without Loupe doing anything on it.
    const { page } = await browser.openPage(url);
    expect(await page.title()).toBe('Send feedback on Northwind shop with Loupe');
    const host = new URL(server).host;

    const popup = await browser.clickToolbarButton(page.url());
    try {
      const card = await getByRole(popup, 'region', STRINGS.joinQuestion('Northwind shop', host));
      await (await getByRole(popup, 'button', STRINGS.joinConfirm, card)).click();
      await waitForText(popup, STRINGS.joinDone('Northwind shop'));
      // The settings form below shows what was stored.
      const form = await getByRole(popup, 'form', STRINGS.settingsTitle);
      const clientIdField = await getByRole(popup, 'textbox', 'Client ID', form);
      await waitFor('the form to show the project', async () => (await clientIdField.value()) === client.id);
    } finally {
      popup.close();
    }
    expect(await storedSettings()).toEqual({ clientId: client.id, environment: 'staging', serverUrl: server });

    // Opened again on the same link, the popup says it is already done.
    const again = await browser.clickToolbarButton(page.url());
    try {
      await waitForText(again, STRINGS.joinAlready('Northwind shop'));
      expect(await exists(again, 'button', STRINGS.joinConfirm)).toBe(false);
    } finally {
      again.close();
    }

    // On another page: no card, and a report lands in the project's staging inbox.
    const { cdp } = await openPanelFromToolbar(browser, `${stack.site.url}/colours`, async (other) => {
      expect(await exists(other, 'region', STRINGS.joinQuestion('Northwind shop', host))).toBe(false);
    });
    await (await getByRole(cdp, 'radio', 'Good')).click();
    await (await getByRole(cdp, 'textbox', 'Comment')).type('Sent after joining by link');
    await (await getByRole(cdp, 'button', 'Send')).click();
    await waitForText(cdp, STRINGS.sent);
    const rows = await waitFor('the report to arrive', async () => {
      const found = await stack.server.storage.listFeedback(client.id);
      return found.length > 0 && found;
    });
    expect(rows.map((row) => [row.comment, row.environment])).toEqual([['Sent after joining by link', 'staging']]);
  });
});
