/**
 * /healthz says the process is up; /readyz says it can take traffic: the database answers and
 * the file store is readable and writable. A load balancer stops sending requests on a 503.
 */
import { afterEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const ready = async () => {
  const res = await fetch(`${t!.url}/readyz`);
  return { status: res.status, body: await res.json() };
};

it('answers 200 while the database and the file store work', async () => {
  t = await startTestServer();
  expect(await ready()).toEqual({ status: 200, body: { ok: true } });
});

it('answers 503 naming the file store when it cannot be used, while /healthz stays up', async () => {
  t = await startTestServer();
  await t.breakFileStore();
  expect(await ready()).toEqual({ status: 503, body: { ok: false, failed: ['files'] } });
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  expect(t.loggedErrors).toHaveLength(1);
});

it('answers 503 naming the database when it does not answer', async () => {
  t = await startTestServer();
  await t.server.storage.close();
  expect(await ready()).toEqual({ status: 503, body: { ok: false, failed: ['database'] } });
});
