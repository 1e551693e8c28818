/**
 * Webhooks in the inbox, end to end in real Chromium against the real server and a real
 * receiver on loopback (verifying with `standardwebhooks`): an owner adds an endpoint and
 * copies its secret, sends a test event and sees it delivered, sees a report's delivery
 * retrying while the receiver fails and Redelivers it, and disables the endpoint.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEAM_STRINGS as T } from '../../server/inbox/client/strings';
import { postFeedback } from '../server/helpers';
import { startReceiver, type TestReceiver } from '../server/webhook-receiver';
import { openInboxAs, projectOwnedBy } from './support/inbox';
import { startStack, type Stack } from './support/stack';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OWNER = { name: 'Olivia', email: 'olivia@example.com', password: 'correct horse battery' };

let stack: Stack;
let browser: Browser;
let receiver: TestReceiver;
let clientId: string;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({ outbound: { allowedHosts: ['127.0.0.1'], pollMs: 100, retryDelaysMs: [60_000] } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  clientId = await projectOwnedBy(stack.server.storage, 'Shop', OWNER);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await receiver?.close();
});

const deliveriesTable = (page: Page) => page.getByRole('table', { name: T.deliveriesOf(receiver.url) });

it('an owner adds a webhook, sends a test event, redelivers a failed report and disables it', async () => {
  const { context, page, errors } = await openInboxAs(browser, stack.server.url, OWNER);
  await page.getByRole('link', { name: T.settings }).click();

  await page.getByLabel(T.webhookUrl).fill(receiver.url);
  await page.getByLabel('feedback.updated').uncheck();
  await page.getByRole('button', { name: T.addWebhook }).click();
  receiver.secret = await page.getByLabel(T.webhookSecret).inputValue();
  expect(receiver.secret).toMatch(/^whsec_/);
  const row = page.getByRole('row').filter({ hasText: receiver.url });
  await expect.poll(() => row.textContent()).toContain('feedback.created, comment.created');

  await row.getByRole('button', { name: T.sendTest }).click();
  await expect.poll(() => receiver.received.length).toBe(1);
  expect(receiver.received[0]).toMatchObject({ verified: true, body: { type: 'webhook.test' } });
  await row.getByRole('button', { name: T.deliveries }).click();
  await expect.poll(() => deliveriesTable(page).getByRole('row').nth(1).textContent()).toMatch(/webhook\.test.*Delivered.*200/);

  // The receiver fails: the report's delivery waits for its retry, shown as such; Redeliver is refused
  // while it is queued, and once the receiver is back the owner's Redeliver on a delivered one sends it again.
  receiver.answer = () => ({ status: 500, body: 'receiver broke' });
  const res = await postFeedback(stack.server.url, { clientId, rating: 1, comment: 'Checkout fails' });
  expect(res.status).toBe(200);
  await expect.poll(() => receiver.received.length).toBe(2);
  await row.getByRole('button', { name: T.deliveries }).click();
  await expect.poll(() => deliveriesTable(page).getByRole('row').nth(1).textContent()).toMatch(/feedback\.created.*Retrying \(1\).*Answered 500.*500.*receiver broke/);
  receiver.answer = () => ({ status: 200, body: 'ok' });
  const testRow = deliveriesTable(page).getByRole('row').filter({ hasText: 'webhook.test' });
  await testRow.getByRole('button', { name: T.redeliver }).click();
  await expect.poll(() => receiver.received.length).toBe(3);
  expect(receiver.received[2]!.id).toBe(receiver.received[0]!.id);

  await row.getByRole('button', { name: T.disable }).click();
  await expect.poll(() => page.getByRole('row').filter({ hasText: receiver.url }).textContent()).toContain(T.webhookOff('Turned off by an owner'));
  expect(errors).toEqual([]);
  await context.close();
});
