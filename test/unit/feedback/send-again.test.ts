/**
 * Screenshots uploaded on an earlier attempt that the server no longer knows (here: the
 * report's server moved to another address with its own database) are uploaded again once,
 * and the report is delivered with them, instead of waiting forever as "Needs attention".
 * Against two real servers (real SQLite, real HTTP).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uploadScreenshot } from '@/lib/api/client';
import { createReport, sendReport } from '@/lib/feedback/send';
import { openOutboxStore } from '@/lib/outbox/store';
import { pngBytes, startTestServer, type TestServer } from '../../server/helpers';
import { PAGE } from '../fixtures';
import { createClient } from '../../../server/clients.ts';

let before: TestServer;
let after: TestServer;

beforeAll(async () => {
  before = await startTestServer();
  after = await startTestServer();
});
afterAll(async () => {
  await before?.stop();
  await after?.stop();
});

const worker = { extensionVersion: '0.1.0', userAgent: 'test', browser: 'Chrome 156', os: 'Linux' };
const dataUrl = `data:image/png;base64,${pngBytes(40, 30).toString('base64')}`;

it('uploads the screenshots again, once, when the server refuses the ones it was sent before', async () => {
  const clientOf = async (t: TestServer) => (await createClient(t.server.storage, { name: 'moved' })).id;
  const [oldClientId, clientId] = [await clientOf(before), await clientOf(after)];
  const store = await openOutboxStore('send-again-test');
  const draft = { attachReplay: false, rating: 3, comment: 'moved server', screenshots: [{ dataUrl, mode: 'visible' as const }], page: PAGE };
  const report = await store.add(createReport(draft, { clientId, environment: '', serverUrl: after.url }, worker, crypto.randomUUID(), 0));
  // An earlier attempt uploaded the screenshot to the server's old address, then the team moved it.
  const image = new Blob([(await store.screenshot(report.id, 0))!], { type: 'image/png' });
  report.screenshots[0]!.uploaded = await uploadScreenshot(before.url, oldClientId, image, PAGE.url, `${report.id}.s0.r0`);

  const delivered = await sendReport(report, store);

  const row = await after.server.storage.getFeedback(delivered.feedbackId);
  expect(row?.screenshots?.map((shot) => shot.url)).toEqual([`${after.url}/files/${row!.screenshots![0]!.fileName}`]);
  expect(row!.screenshots![0]!.fileName.startsWith(`${clientId}/`)).toBe(true);
  expect(report.revision).toBe(1);
  store.close();
});

it('goes round once only: refused again with fresh uploads, the server’s answer stands', async () => {
  const clientId = (await createClient(after.server.storage, { name: 'too many' })).id;
  const store = await openOutboxStore('send-again-once-test');
  // One more screenshot than a feedback may carry: every upload is fine, the feedback is not.
  const screenshots = Array.from({ length: 4 }, () => ({ dataUrl, mode: 'visible' as const }));
  const draft = { attachReplay: false, rating: 3, comment: 'four', screenshots, page: PAGE };
  const report = await store.add(createReport(draft, { clientId, environment: '', serverUrl: after.url }, worker, crypto.randomUUID(), 0));
  const image = new Blob([(await store.screenshot(report.id, 0))!], { type: 'image/png' });
  report.screenshots[0]!.uploaded = await uploadScreenshot(after.url, clientId, image, PAGE.url, `${report.id}.s0.r0`);

  const refused = await sendReport(report, store).catch((error: unknown) => error);

  expect(refused).toMatchObject({ status: 400, issues: { screenshots: [expect.stringContaining('3')] } });
  expect(report.revision).toBe(1);
  expect(await after.server.storage.listFeedback(clientId)).toEqual([]);
  store.close();
});
