import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyId } from '../../server/auth/keys.ts';
import { newFeedbackId, newReplayId } from '../../server/ids.ts';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;

beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0 });
  client = await createClient(t.server.storage, { name: 'Names' });
});
afterAll(() => t.stop());

// Screenshot and replay links are capabilities (an <img> or the player loads them without a
// token), so each needs at least 128 bits of randomness: 22 base64url characters carry 132.
const BITS_PER_CHAR = 6;
const randomBits = (random: string) => random.length * BITS_PER_CHAR;

describe('names handed out in links carry at least 128 random bits', () => {
  it('screenshot file names, replay ids and feedback ids', async () => {
    const shot = (await (await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } })).json()) as {
      screenshot: { fileName: string; url: string };
    };
    const fileRandom = /^client_[\w-]+\/\d+-([A-Za-z0-9_-]+)\.png$/.exec(shot.screenshot.fileName)![1]!;
    expect(randomBits(fileRandom)).toBeGreaterThanOrEqual(128);
    expect(shot.screenshot.url).toBe(`${t.url}/files/${shot.screenshot.fileName}`);

    const replay = (await (await postReplay(t.url, { clientId: client.id, replay: replayFile(gzipJson(replayEvents())) })).json()) as {
      replay: { id: string; url: string };
    };
    expect(randomBits(/^rp_([A-Za-z0-9_-]+)$/.exec(replay.replay.id)![1]!)).toBeGreaterThanOrEqual(128);
    expect(replay.replay.url).toBe(`${t.url}/replays/${replay.replay.id}.json.gz`);

    const feedback = (await (await postFeedback(t.url, { clientId: client.id, rating: 3 })).json()) as { feedbackId: string };
    expect(randomBits(/^fb_([A-Za-z0-9_-]+)$/.exec(feedback.feedbackId)![1]!)).toBeGreaterThanOrEqual(128);
  });

  it('never repeats across thousands of new ids', () => {
    for (const make of [newFeedbackId, newReplayId, newKeyId]) {
      const ids = Array.from({ length: 5000 }, make);
      expect(new Set(ids).size).toBe(ids.length);
      // Every character position varies: no fixed stretch hides inside the random part.
      const distinctLast = new Set(ids.map((id) => id.at(-1)));
      expect(distinctLast.size).toBeGreaterThan(32);
    }
  });
});
