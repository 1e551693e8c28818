import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createKey, tokenFor } from './read-api-helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('CORS on /api/*', () => {
  it.each(['/api/feedback', '/api/screenshots', '/api/replays'])('answers the preflight for %s with 204', async (path) => {
    const res = await fetch(`${t.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://any.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const methods = res.headers.get('access-control-allow-methods')!.split(',');
    expect(methods).toEqual(expect.arrayContaining(['POST', 'GET', 'OPTIONS']));
    const headers = res.headers.get('access-control-allow-headers')!.toLowerCase().split(',');
    expect(headers).toEqual(expect.arrayContaining(['content-type', 'idempotency-key']));
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('puts Access-Control-Allow-Origin: * on success and on every error answer', async () => {
    const client = await createClient(t.server.storage, { name: 'Cors', allowedOrigins: ['https://only.example.com'] });
    const answers = [
      await postFeedback(t.url, { clientId: client.id, rating: 3 }, { Origin: 'https://only.example.com' }),
      await postFeedback(t.url, '{nope', { Origin: 'https://x.example.com' }),
      await postFeedback(t.url, { clientId: client.id, rating: 3 }, { Origin: 'https://x.example.com' }),
      await postFeedback(t.url, { comment: 'x'.repeat(1024 * 1024 + 1) }),
      await postScreenshot(t.url, { clientId: 'client_missing', screenshot: { bytes: new Uint8Array(8), type: 'image/png' } }),
      await fetch(`${t.url}/api/nothing-here`),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 400, 403, 413, 404, 404]);
    for (const res of answers) expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stops at /api and /replays: pages, stored files and look-alike paths carry no CORS headers', async () => {
    for (const path of ['/', '/healthz', '/apix', '/replaysx', '/files/client_x/a.png', '/nope']) {
      for (const method of ['GET', 'OPTIONS']) {
        const res = await fetch(`${t.url}${path}`, { method, headers: { Origin: 'https://a.example' } });
        expect(res.headers.get('access-control-allow-origin'), `${method} ${path}`).toBeNull();
      }
    }
    for (const path of ['/api', '/replays', '/replays/rp_x.json.gz']) {
      const res = await fetch(`${t.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'https://a.example' } });
      expect([res.status, res.headers.get('access-control-allow-origin')], path).toEqual([204, '*']);
    }
  });

  it('lets page scripts read Retry-After and Idempotent-Replayed', async () => {
    const res = await postFeedback(t.url, '{nope', { Origin: 'https://x.example' });
    const exposed = res.headers.get('access-control-expose-headers')!.toLowerCase().split(',');
    expect(exposed).toEqual(expect.arrayContaining(['retry-after', 'idempotent-replayed']));
  });
});

describe('pages', () => {
  it('GET / says the server is running', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Loupe server is running');
  });

  it('GET /demo is a page with a heading, paragraphs, a form and a hero block', async () => {
    const res = await fetch(`${t.url}/demo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    expect(html.match(/<p>/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(html).toContain('<form');
    expect(html).toContain('class="hero"');
  });

  it('GET /healthz answers {"ok":true}', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers unknown routes and wrong methods with a JSON 404', async () => {
    for (const res of [await fetch(`${t.url}/nope`), await fetch(`${t.url}/api/feedback`)]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'Not found' });
    }
  });
});

describe('X-Content-Type-Options: nosniff', () => {
  it('is sent on every kind of answer: API, files, replays, pages, assets, 404s, errors and preflights', async () => {
    const client = await createClient(t.server.storage, { name: 'Nosniff' });
    const key = await createKey(t, client.id);
    const shot = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } });
    const replay = await postReplay(t.url, { clientId: client.id, replay: replayFile(gzipJson(replayEvents())) });
    const { screenshot } = (await shot.clone().json()) as { screenshot: { url: string } };
    const { replay: stored } = (await replay.clone().json()) as { replay: { url: string } };
    const preflight = (path: string) =>
      fetch(`${t.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'POST' } });
    const project = `/api/projects/${client.id}/feedbacks`;
    const answers: [string, Response][] = [
      ['feedback 200', await postFeedback(t.url, { clientId: client.id, rating: 3 })],
      ['feedback 400', await postFeedback(t.url, '{nope')],
      ['feedback 413', await postFeedback(t.url, { comment: 'x'.repeat(1024 * 1024 + 1) })],
      ['screenshot 200', shot],
      ['replay 200', replay],
      ['file 200', await fetch(screenshot.url)],
      ['file 404', await fetch(`${t.url}/files/${client.id}/1717740000000-abcdefghijklmnopqrst.png`)],
      ['replay file 200', await fetch(stored.url)],
      ['replay file 404', await fetch(`${t.url}/replays/rp_missing.json.gz`)],
      ['read API 200', await fetch(`${t.url}${project}`, { headers: { Authorization: `Bearer ${tokenFor(key)}` } })],
      ['read API 401', await fetch(`${t.url}${project}`)],
      ['read API 400', await fetch(`${t.url}${project}/filter`, { method: 'POST', headers: { Authorization: `Bearer ${tokenFor(key)}` }, body: '[' })],
      ['inbox page', await fetch(`${t.url}/`)],
      ['item page', await fetch(`${t.url}/feedback/fb_x`)],
      ['demo page', await fetch(`${t.url}/demo`)],
      ['healthz', await fetch(`${t.url}/healthz`)],
      ['player script', await fetch(`${t.url}/assets/rrweb-replay.js`)],
      ['inbox style', await fetch(`${t.url}/assets/inbox.css`)],
      ['404', await fetch(`${t.url}/nope`)],
      ['api 404', await fetch(`${t.url}/api/nothing-here`)],
      ['preflight /api', await preflight('/api/feedback')],
      ['preflight read API', await preflight(project)],
      ['preflight /replays', await preflight('/replays/rp_x.json.gz')],
    ];
    expect(answers.map(([, res]) => res.status)).toEqual([200, 400, 413, 200, 200, 200, 404, 200, 404, 200, 401, 400, 200, 200, 200, 200, 200, 200, 404, 404, 204, 204, 204]);
    for (const [what, res] of answers) expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  });

  it('is sent on a 500', async () => {
    const broken = await startTestServer();
    try {
      await broken.server.storage.close();
      const res = await postFeedback(broken.url, { clientId: 'client_x', rating: 3 });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'Internal server error' });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await broken.stop();
    }
  });
});
