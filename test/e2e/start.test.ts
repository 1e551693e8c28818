/**
 * `npm start` on a fresh data directory: a server, a demo project, and an extension build
 * that sends to both with no setting touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STRINGS } from '../../lib/strings';
import { openStorage } from '../../server/start';
import { getByRole, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor } from './support/cdp';
import { openPanelFromToolbar } from './support/panel';

let root: string;
let start: ChildProcess;
let output = '';
let browser: LoadedBrowser | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'loupe-start-'));
  // tsx directly, not npx: npx does not pass SIGTERM on to its child.
  start = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: join(root, 'data'), LOUPE_OUT_DIR: join(root, 'out'), DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (chunk) => (output += chunk));
  start.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor('npm start to finish starting', () => /\nclient_\S+\n$/.test(output), 60_000);
});

afterAll(async () => {
  await browser?.close();
  start?.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

it('starts a server with a demo project and a build that sends there unconfigured', async () => {
  const serverUrl = output.match(/Server:\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
  const clientId = output.trim().split('\n').at(-1)!;
  expect(serverUrl).toBeDefined();
  expect(output).toContain('Load unpacked');
  expect(output).toContain(join(root, 'out', 'chrome-mv3'));

  browser = await launchWithExtension({ extensionDir: join(root, 'out', 'chrome-mv3') });
  const { cdp } = await openPanelFromToolbar(browser, `${serverUrl}/demo`);
  await (await getByRole(cdp, 'radio', 'Amazing')).click();
  await (await getByRole(cdp, 'button', 'Send')).click();
  await waitForText(cdp, STRINGS.sent);

  const storage = await openStorage(join(root, 'data'));
  try {
    const clients = await storage.listClients();
    expect(clients.map((client) => [client.id, client.name])).toEqual([[clientId, 'Demo project']]);
    const [row] = await storage.listFeedback(clientId);
    expect(row).toMatchObject({ rating: 4, pageUrl: `${serverUrl}/demo` });
  } finally {
    await storage.close();
  }

  // The printed admin token opens the inbox's read API; it is kept for this user only.
  const adminToken = output.match(/with the admin token (\S+?),/)?.[1];
  expect(adminToken).toBe(readFileSync(join(root, 'data', 'admin-token'), 'utf8').trim());
  expect(statSync(join(root, 'data', 'admin-token')).mode & 0o077).toBe(0);
  const projects = await fetch(`${serverUrl}/api/projects`, { headers: { Authorization: `Bearer ${adminToken}` } });
  expect(await projects.json()).toEqual({ items: [{ id: clientId, name: 'Demo project' }] });

  // The first owner's one-time link signs them in, as owner of the demo project, once.
  expect(output).toContain('owner@localhost, just created');
  const token = output.match(/\/#sign-in=(\S+)/)?.[1];
  const signIn = () => fetch(`${serverUrl}/api/auth/sign-in/link`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
  const first = await signIn();
  expect(first.status).toBe(200);
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  const mine = await fetch(`${serverUrl}/api/projects`, { headers: { Cookie: cookie } });
  expect(await mine.json()).toEqual({ items: [{ id: clientId, name: 'Demo project', role: 'owner' }] });
  expect((await signIn()).status).toBe(401);
});
