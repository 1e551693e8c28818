import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';

let t: TestServer;
let client: Client;

beforeAll(async () => {
  t = await startTestServer();
  client = await t.server.storage.createClient({ name: 'Pages' });
});
afterAll(() => t.stop());

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await postFeedback(t.url, { clientId: client.id, ...body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

async function storeReplay(clientId = client.id): Promise<{ id: string; gzip: Buffer }> {
  const gzip = gzipJson(replayEvents({ durationMs: 8_000 }));
  const res = await postReplay(t.url, { clientId, replay: replayFile(gzip) });
  return { id: ((await res.json()) as { replay: { id: string } }).replay.id, gzip };
}

const page = (id: string) => fetch(`${t.url}/feedback/${id}`);

describe('GET /feedback/<id>', () => {
  it('shows the stored feedback with every user-supplied string escaped', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const id = await submit({
      rating: 1,
      comment: evil,
      pageTitle: evil,
      pageUrl: 'javascript:alert(3)',
      referrer: `https://example.com/"><script>alert(4)</script>`,
      environment: evil,
      userEmail: 'a@example.com',
      metadata: { note: `</pre>${evil}`, nested: { list: [1, 2] } },
      screenshots: [{ fileName: 'x/../y.png', url: 'javascript:alert(5)', fileSize: 1, mimeType: 'image/png' }],
    });
    const res = await page(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/href="javascript:|src="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;');
    expect(html).toContain('1 (Terrible)');
    expect(html).toContain('&quot;nested&quot;: {'); // metadata as formatted JSON
    // No script at all without a replay: the page is static.
    expect(html).not.toMatch(/<script/i);
  });

  it('sends a strict policy: own scripts only, no referrer, no framing, no sniffing, no caching', async () => {
    const res = await page(await submit({ rating: 3 }));
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe|\*|data:)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toContain('no-store');
  });

  it('plays the linked replay from the feedback offset, and the replay URL on the page serves its gzip', async () => {
    const { id: replayId, gzip } = await storeReplay();
    const id = await submit({ comment: 'with replay', sessionReplayId: replayId, replayOffsetMs: 2_500 });
    const html = await (await page(id)).text();
    expect(html).toContain('data-replay-state="loading"');
    expect(html).toContain(`data-replay-url="../replays/${replayId}.json.gz"`);
    expect(html).toContain('data-replay-offset-ms="2500"');
    expect(html).toContain('data-replay-duration-ms="8000"');
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['../assets/rrweb-replay.js', '../assets/feedback-page.js']);
    expect(html).toContain('href="../assets/rrweb-replay.css"');

    // Resolved the way the browser resolves them.
    const base = `${t.url}/feedback/${id}`;
    const replay = await fetch(new URL(`../replays/${replayId}.json.gz`, base));
    expect(Buffer.from(await replay.arrayBuffer()).equals(gzip)).toBe(true);
    for (const [path, type, marker] of [
      ['../assets/rrweb-replay.js', 'text/javascript', 'rrwebReplay'],
      ['../assets/rrweb-replay.css', 'text/css', '.replayer-mouse'],
      ['../assets/feedback-page.js', 'text/javascript', "new DecompressionStream('gzip')"],
    ] as const) {
      const res = await fetch(new URL(path, base));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      const text = await res.text();
      expect(text).toContain(marker);
      expect(text).not.toMatch(/sourceMappingURL=\S+\s*(\*\/)?\s*$/); // the maps are not served
    }
  });

  it('caps the offset at the end of the replay', async () => {
    const { id: replayId } = await storeReplay();
    const html = await (await page(await submit({ rating: 2, sessionReplayId: replayId, replayOffsetMs: 99_000 }))).text();
    expect(html).toContain('data-replay-offset-ms="8000"');
  });

  it('does not show a replay of another client, or one that is not stored', async () => {
    const other = await t.server.storage.createClient({ name: 'Other' });
    const { id: foreign } = await storeReplay(other.id);
    for (const sessionReplayId of [foreign, 'rp_neverUploaded', '<b>x</b>']) {
      const html = await (await page(await submit({ rating: 4, sessionReplayId }))).text();
      expect(html).toContain('data-replay-state="missing"');
      expect(html).not.toContain('data-replay-url');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain('<b>x</b>');
    }
  });

  it('shows a screenshot stored here from here', async () => {
    const upload = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } });
    const { screenshot } = (await upload.json()) as { screenshot: { fileName: string; url: string } };
    const html = await (await page(await submit({ rating: 3, screenshots: [{ ...screenshot, fileSize: 1, mimeType: 'image/png' }] }))).text();
    expect(html).toContain(`<img src="../files/${screenshot.fileName}"`);
  });

  it('answers an unknown id with an HTML 404', async () => {
    for (const id of ['fb_doesnotexist', '%3Cscript%3E']) {
      const res = await page(id);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('Feedback not found');
    }
  });
});
