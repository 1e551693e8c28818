/**
 * `screenshots[]` of POST /api/feedback names only screenshots this server stored for the
 * submitting client, exactly as the upload answered them, and at most three of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS_PER_FEEDBACK, type ScreenshotRef } from '../../lib/api/schemas.ts';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;
let other: Client;
let shots: ScreenshotRef[];
let theirs: ScreenshotRef;

async function upload(clientId: string, base = t.url): Promise<ScreenshotRef> {
  const res = await postScreenshot(base, { clientId, screenshot: { bytes: pngBytes(16, 12), type: 'image/png' } });
  return ((await res.json()) as { screenshot: ScreenshotRef }).screenshot;
}

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Mine' });
  other = await createClient(t.server.storage, { name: 'Theirs' });
  shots = [];
  for (let i = 0; i <= SCREENSHOTS_PER_FEEDBACK; i++) shots.push(await upload(client.id));
  theirs = await upload(other.id);
});
afterAll(() => t.stop());

/** Sends a feedback with these refs; answers the status, body and how many items the client has. */
async function send(screenshots: unknown[]): Promise<{ status: number; body: unknown; stored: number }> {
  const res = await postFeedback(t.url, { clientId: client.id, rating: 3, screenshots });
  return { status: res.status, body: await res.json(), stored: (await t.server.storage.listFeedback(client.id)).length };
}

const refused = (...messages: string[]) => ({ error: 'Invalid data provided', issues: { screenshots: messages } });

describe('screenshots[] of a feedback', () => {
  it(`accepts up to ${SCREENSHOTS_PER_FEEDBACK} of this client's screenshots as uploaded, and stores them as sent`, async () => {
    const before = (await t.server.storage.listFeedback(client.id)).length;
    const res = await send(shots.slice(0, SCREENSHOTS_PER_FEEDBACK));
    expect(res.status).toBe(200);
    expect(res.stored).toBe(before + 1);
    const { feedbackId } = res.body as { feedbackId: string };
    expect((await t.server.storage.getFeedback(feedbackId))!.screenshots).toEqual(shots.slice(0, SCREENSHOTS_PER_FEEDBACK));
  });

  it('refuses a foreign URL for a stored file, naming the entry and the problem', async () => {
    const before = (await t.server.storage.listFeedback(client.id)).length;
    const res = await send([shots[0], { ...shots[1]!, url: 'https://evil.example/track.png' }]);
    expect(res).toEqual({ status: 400, body: refused('1: url is not the address this server gives that file'), stored: before });
  });

  it("refuses another client's screenshot and a made-up fileName", async () => {
    const madeUp = { ...shots[0]!, fileName: `${client.id}/1717740000000-abcdefghijklmnopqrstuv.png` };
    madeUp.url = `${t.url}/files/${madeUp.fileName}`;
    const res = await send([theirs, madeUp]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      refused(
        '0: fileName is not a screenshot this server stored for this client',
        '1: fileName is not a screenshot this server stored for this client',
      ),
    );
  });

  it(`refuses ${SCREENSHOTS_PER_FEEDBACK + 1} entries`, async () => {
    const res = await send(shots.slice(0, SCREENSHOTS_PER_FEEDBACK + 1));
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refused(`At most ${SCREENSHOTS_PER_FEEDBACK} screenshots per feedback`));
  });

  it('refuses a wrong fileSize, mimeType or size', async () => {
    const res = await send([{ ...shots[0]!, fileSize: shots[0]!.fileSize + 1 }, { ...shots[1]!, mimeType: 'image/svg+xml', width: 1 }]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      refused(
        '0: fileSize does not match the stored screenshot',
        '1: mimeType does not match the stored screenshot',
        '1: width does not match the stored screenshot',
      ),
    );
  });

  it('accepts a ref without its dimensions (optional in the contract)', async () => {
    const { width: _w, height: _h, ...noSize } = shots[2]!;
    expect((await send([noSize])).status).toBe(200);
  });

  it('answers a keyed retry with its first answer even when its refs no longer pass (the address changed)', async () => {
    const viaLocalhost = t.url.replace('127.0.0.1', 'localhost');
    const shot = await upload(client.id, viaLocalhost);
    const sent = (base: string) =>
      postFeedback(base, { clientId: client.id, rating: 2, screenshots: [shot] }, { 'Idempotency-Key': 'moved-after-first-answer' });
    const first = await sent(viaLocalhost);
    expect(first.status).toBe(200);
    const retry = await sent(t.url);
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(await retry.json()).toEqual(await first.json());
  });

  it('takes the URL the upload handed out for this request\'s base (localhost and 127.0.0.1 are two bases)', async () => {
    const viaLocalhost = t.url.replace('127.0.0.1', 'localhost');
    const shot = await upload(client.id, viaLocalhost);
    expect(shot.url.startsWith('http://localhost:')).toBe(true);
    const sent = (base: string) => postFeedback(base, { clientId: client.id, rating: 2, screenshots: [shot] });
    expect((await sent(viaLocalhost)).status).toBe(200);
    expect((await sent(t.url)).status).toBe(400);
  });
});
