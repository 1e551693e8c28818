/**
 * The outbox in real headless Firefox: the server is unreachable when the user sends (a proxy
 * in front of the real server drops every connection), the report waits, the server comes
 * back, and the report arrives exactly once, with its screenshot stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../../../lib/strings';
import { waitFor } from '../support/cdp';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startStack, type Stack } from '../support/stack';
import { getByRole, waitForText } from './support/ax';
import { launchFirefox, type LoadedFirefox } from './support/firefox';
import { openPanelFromToolbar } from './support/panel';
import { createClient } from '../../../server/clients.ts';
import { storedFileNames } from '../../support/stored-files.ts';

let launched: LoadedFirefox | undefined;
// Launched by the first test, not in beforeAll: a Firefox that cannot start fails that test with the reason.
const started = async (): Promise<LoadedFirefox> => (launched ??= await launchFirefox());
let stack: Stack;
let proxy: FaultProxy;

beforeAll(async () => {
  stack = await startStack();
  proxy = await startFaultProxy(stack.server.url);
});

afterAll(async () => {
  await launched?.close();
  await proxy?.close();
  await stack?.close();
});

describe('delivery in Firefox', () => {
  it('the server is down when the user sends; it comes back; the report arrives once, with its screenshot', async () => {
    const firefox = await started();
    const { server } = stack;
    const client = await createClient(server.storage, { name: 'Firefox delivery' });
    const comment = 'Sent from Firefox while the server was down';
    proxy.setDown(true);
    await openPanelFromToolbar(firefox, `${stack.site.url}/colours`, { clientId: client.id, environment: '', serverUrl: proxy.url });
    await (await getByRole(firefox, 'page', 'radio', 'Bad')).click();
    await (await getByRole(firefox, 'page', 'textbox', 'Comment')).type(comment);
    await (await getByRole(firefox, 'page', 'button', STRINGS.takeScreenshot)).click();
    await getByRole(firefox, 'page', 'image', STRINGS.screenshotAlt(1));
    await (await getByRole(firefox, 'page', 'button', STRINGS.send)).click();
    await waitForText(firefox, 'page', STRINGS.queued);
    await waitForText(firefox, 'page', STRINGS.unreachable(proxy.url));
    expect(proxy.log.some((line) => line.endsWith('-> dropped'))).toBe(true);
    expect(await server.storage.listFeedback(client.id)).toHaveLength(0);

    const upMs = Date.now();
    proxy.setDown(false);
    const rows = () => server.storage.listFeedback(client.id);
    await waitFor('the report to arrive', async () => (await rows()).length > 0, 45_000);
    console.info(`Firefox outbox delivered ${Date.now() - upMs} ms after the server came back`);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a duplicate would land by now
    const stored = await rows();
    expect(stored.map((row) => row.comment)).toEqual([comment]);
    expect(stored[0]!.rating).toBe(2);
    expect(stored[0]!.screenshots).toHaveLength(1);
    const files = await storedFileNames(server.files, client.id);
    expect(files).toEqual([stored[0]!.screenshots![0]!.fileName]);
    expect(proxy.log.filter((line) => line === 'POST /api/feedback -> 200')).toHaveLength(1);
  });
});
