import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssetHandler } from '../../server/routes/assets.ts';
import type { Client } from '../../server/storage/types.ts';
import { postFeedback, startTestServer, type TestServer } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Inbox' });
});
afterAll(() => t.stop());

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await postFeedback(t.url, { clientId: client.id, ...body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { feedbackId: string }).feedbackId;
}

const scriptSources = (html: string) => [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => /src="([^"]+)"/.exec(m[1]!)?.[1]);

describe('the inbox shell at / and /feedback/<id>', () => {
  it('serves the same shell at both, with asset paths relative to where it is', async () => {
    for (const [path, base] of [['/', './'], ['/feedback/fb_anything', '../']] as const) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(scriptSources(html)).toEqual([`${base}assets/inbox.js`]);
      expect(html).toContain(`<link rel="stylesheet" href="${base}assets/inbox.css">`);
      expect(html).toContain(`data-base="${base}"`);
      // Resolved the way the browser resolves them, both reach the assets and the demo page.
      for (const asset of ['assets/inbox.js', 'assets/inbox.css', 'demo']) {
        expect((await fetch(new URL(`${base}${asset}`, `${t.url}${path}`))).status, `${path} → ${asset}`).toBe(200);
      }
    }
  });

  it('shows a first-time visitor what the server is and how to start, before any script runs', async () => {
    const html = await (await fetch(`${t.url}/`)).text();
    expect(html).toContain('Loupe server is running');
    expect(html).toContain('keys create --client &lt;clientId&gt;');
    expect(html).toContain('Load unpacked');
    expect(html).toContain('<a href="./demo">demo page</a>');
  });

  it('holds no project data: a feedback page reads the same for a real id and an unknown one', async () => {
    const id = await submit({ rating: 2, comment: 'private words about checkout', userEmail: 'someone@example.com' });
    const real = await (await fetch(`${t.url}/feedback/${id}`)).text();
    const unknown = await (await fetch(`${t.url}/feedback/fb_doesnotexist`)).text();
    expect(real).toBe(unknown);
    expect(real).not.toContain('private words');
    expect(real).not.toContain('someone@example.com');
    expect(real).not.toContain(id);
  });

  it('sends a strict policy: own scripts only, no inline script or style in the shell, no referrer, no framing', async () => {
    const res = await fetch(`${t.url}/feedback/fb_x`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe|\*|data:)/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(scriptSources(html).every(Boolean)).toBe(true);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });
});

describe('the inbox assets', () => {
  it('serves the bundled script and stylesheet, and rrweb’s player, without source map links', async () => {
    for (const [path, type, marker] of [
      ['/assets/inbox.js', 'text/javascript', 'DecompressionStream'],
      ['/assets/inbox.css', 'text/css', 'prefers-color-scheme:dark'],
      ['/assets/rrweb-replay.js', 'text/javascript', 'rrwebReplay'],
      ['/assets/rrweb-replay.css', 'text/css', '.replayer-mouse'],
    ] as const) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await res.text();
      expect(text, path).toContain(marker);
      expect(text).not.toMatch(/sourceMappingURL=\S+\s*(\*\/)?\s*$/);
    }
  });

  it('bundles the inbox as one script with no imports left (a classic script cannot import)', async () => {
    const script = await (await fetch(`${t.url}/assets/inbox.js`)).text();
    expect(script).not.toMatch(/^\s*import[\s{*]/m);
    expect(script).not.toMatch(/\bexport\s*\{/);
    expect(script).toContain('HS256');
  });

  it('answers a failed build with 500 and builds again on the next request', async () => {
    let calls = 0;
    const app = new Hono();
    app.get(
      '/asset.js',
      createAssetHandler('text/javascript', async () => {
        calls += 1;
        if (calls === 1) throw new Error('esbuild failed');
        return 'built();';
      }),
    );
    app.onError((_error, c) => c.text('failed', 500));
    expect((await app.request('/asset.js')).status).toBe(500);
    const second = await app.request('/asset.js');
    expect([second.status, await second.text()]).toEqual([200, 'built();']);
    await app.request('/asset.js');
    expect(calls).toBe(2); // built once, then cached
  });

  it('serves a stored replay by its unguessable id, without signing in, for the player to inflate', async () => {
    const gzip = gzipJson(replayEvents({ durationMs: 8_000 }));
    const res = await postReplay(t.url, { clientId: client.id, replay: replayFile(gzip) });
    const { id } = ((await res.json()) as { replay: { id: string } }).replay;
    const replay = await fetch(new URL(`../replays/${id}.json.gz`, `${t.url}/feedback/fb_x`));
    expect(replay.status).toBe(200);
    expect(Buffer.from(await replay.arrayBuffer()).equals(gzip)).toBe(true);
  });
});
