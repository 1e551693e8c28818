/**
 * Nothing lost: faults injected between the real extension and the real server (a proxy
 * that drops connections, answers 500 or holds an answer; a stopped worker; a closed
 * browser). Each report must arrive exactly once, with each of its files once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../../lib/strings';
import type { RunningServer } from '../../server/start';
import type { Client } from '../../server/storage/types';
import { getByRole, hasText, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor, type Cdp } from './support/cdp';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { openPanelFromToolbar, saveSettingsInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';
import { storedFileNames } from '../support/stored-files.ts';

let stack: Stack;
let server: RunningServer;
let site: Stack['site'];
let proxy: FaultProxy;
let browser: LoadedBrowser | undefined;
let client: Client;

beforeAll(async () => {
  stack = await startStack();
  ({ server, site } = stack);
  proxy = await startFaultProxy(server.url);
});

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  proxy.setDown(false);
});

afterAll(async () => {
  await proxy?.close();
  await stack?.close();
});

/** A fresh project per test, so row counts are per test. */
async function freshClient(): Promise<Client> {
  client = await createClient(server.storage, { name: `delivery ${Date.now()}` });
  return client;
}

/** Opens the panel with settings pointing at the proxy, rates, comments, optionally screenshots, sends. */
async function sendReport(comment: string, options: { screenshot?: boolean; clientId?: string } = {}): Promise<Cdp> {
  browser ??= await launchWithExtension();
  const { cdp } = await openPanelFromToolbar(browser, `${site.url}/colours`, (popup) =>
    saveSettingsInPopup(popup, { clientId: options.clientId ?? client.id, environment: '', serverUrl: proxy.url }),
  );
  await (await getByRole(cdp, 'radio', 'Good')).click();
  await (await getByRole(cdp, 'textbox', 'Comment')).type(comment);
  if (options.screenshot) {
    await (await getByRole(cdp, 'button', STRINGS.takeScreenshot)).click();
    await getByRole(cdp, 'image', STRINGS.screenshotAlt(1));
  }
  await (await getByRole(cdp, 'button', 'Send')).click();
  return cdp;
}

/** Waits until the project holds `count` rows, then checks it stays so and each file is stored once. */
async function expectDeliveredOnce(comment: string, screenshots = 0): Promise<void> {
  const rows = () => server.storage.listFeedback(client.id);
  await waitFor(`"${comment}" to arrive`, async () => (await rows()).length > 0, 45_000);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // a duplicate would land by now
  const stored = await rows();
  expect(stored.map((row) => row.comment)).toEqual([comment]);
  expect(stored[0]!.screenshots ?? []).toHaveLength(screenshots);
  const files = await storedFileNames(server.files, client.id);
  expect(files).toHaveLength(screenshots);
  for (const shot of stored[0]!.screenshots ?? []) expect(files).toContain(shot.fileName);
}

describe('delivery survives faults', () => {
  it('(1) the server is down when the user sends; it comes back; the report arrives once', async () => {
    await freshClient();
    proxy.setDown(true);
    const cdp = await sendReport('Sent while the server was down');
    await waitForText(cdp, STRINGS.queued);
    expect(await server.storage.listFeedback(client.id)).toHaveLength(0);
    proxy.setDown(false);
    await expectDeliveredOnce('Sent while the server was down');
  });

  it('(2) the server answers 500 twice, then succeeds: one row', async () => {
    await freshClient();
    proxy.failNext('/api/feedback', 2, 500);
    const before = proxy.log.length;
    const cdp = await sendReport('Two 500s first');
    await waitForText(cdp, STRINGS.queued);
    await expectDeliveredOnce('Two 500s first');
    const feedbackCalls = proxy.log.slice(before).filter((line) => line.startsWith('POST /api/feedback'));
    expect(feedbackCalls).toEqual(['POST /api/feedback -> 500', 'POST /api/feedback -> 500', 'POST /api/feedback -> 200']);
  });

  it('(3) the worker is stopped mid-delivery; after it restarts the report arrives once, with its screenshot', async () => {
    await freshClient();
    const hold = proxy.holdNext('/api/screenshots');
    await sendReport('Worker stopped while uploading', { screenshot: true });
    await hold.arrived; // the server has stored the file; its answer is held
    await browser!.stopWorker();
    hold.release();
    await expectDeliveredOnce('Worker stopped while uploading', 1);
  });

  it('(4) the browser is closed with a report queued and relaunched with the same profile; it arrives', async () => {
    await freshClient();
    const profile = mkdtempSync(join(tmpdir(), 'loupe-profile-'));
    try {
      browser = await launchWithExtension({ userDataDir: profile });
      proxy.setDown(true);
      const cdp = await sendReport('Queued across a browser restart');
      await waitForText(cdp, STRINGS.queued);
      await browser.close();
      proxy.setDown(false);
      browser = await launchWithExtension({ userDataDir: profile });
      await expectDeliveredOnce('Queued across a browser restart');
    } finally {
      await browser?.close();
      browser = undefined;
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('(5) a 400 stays in the popup with its field errors, and is sent once corrected there', async () => {
    await freshClient();
    const cdp = await sendReport('Refused, then fixed', { clientId: 'client_nobodyhasthis' });
    await waitForText(cdp, 'Client ID: Unknown client ID');

    const popup = await browser!.clickToolbarButton(`${site.url}/colours`);
    await waitForText(popup, STRINGS.entryState['needs-attention']);
    await waitForText(popup, 'Client ID: Unknown client ID');
    // The popup also has the settings' Client ID: correct the one inside the refused report.
    const entry = await getByRole(popup, 'listitem', 'Colours test page');
    await (await getByRole(popup, 'textbox', STRINGS.clientIdLabel, entry)).fill(client.id);
    await (await getByRole(popup, 'button', STRINGS.sendAgain, entry)).click();
    await expectDeliveredOnce('Refused, then fixed');
    await waitFor('the popup list to empty', async () => !(await hasText(popup, STRINGS.outboxTitle(1))));
    popup.close();
  });
});
