import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveOrigin, isOriginAllowed, normalizeOrigin } from '../../server/origin.ts';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let open: Client;
let locked: Client;

beforeAll(async () => {
  t = await startTestServer();
  open = await createClient(t.server.storage, { name: 'Open' });
  locked = await createClient(t.server.storage, {
    name: 'Locked',
    allowedOrigins: ['https://app.acme.com', 'http://localhost:3000'],
  });
});
afterAll(() => t.stop());

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const DENIED = { error: 'Domain not allowed' };

interface Case {
  name: string;
  headers: Record<string, string>;
  pageUrl?: string;
  allowed: boolean;
}

const cases: Case[] = [
  { name: 'listed Origin', headers: { Origin: 'https://app.acme.com' }, allowed: true },
  { name: 'listed Origin with explicit default port', headers: { Origin: 'https://APP.acme.com:443' }, allowed: true },
  { name: 'listed localhost with port', headers: { Origin: 'http://localhost:3000' }, allowed: true },
  { name: 'same host, other port', headers: { Origin: 'http://localhost:3001' }, allowed: false },
  { name: 'same host, other scheme', headers: { Origin: 'http://app.acme.com' }, allowed: false },
  { name: 'unlisted Origin', headers: { Origin: 'https://evil.example.com' }, allowed: false },
  { name: 'lookalike subdomain', headers: { Origin: 'https://app.acme.com.evil.example' }, allowed: false },
  { name: 'unlisted Origin wins over a listed pageUrl', headers: { Origin: 'https://evil.example.com' }, pageUrl: 'https://app.acme.com/x', allowed: false },
  { name: 'extension Origin + listed pageUrl', headers: { Origin: EXT }, pageUrl: 'https://app.acme.com/settings', allowed: true },
  { name: 'extension Origin + unlisted pageUrl', headers: { Origin: EXT }, pageUrl: 'https://evil.example.com/', allowed: false },
  { name: 'Firefox extension Origin + listed pageUrl', headers: { Origin: 'moz-extension://1234-abcd' }, pageUrl: 'https://app.acme.com/', allowed: true },
  { name: 'Safari extension Origin + listed pageUrl', headers: { Origin: 'safari-web-extension://ABCD' }, pageUrl: 'https://app.acme.com/', allowed: true },
  { name: 'extension Origin, no pageUrl, listed Referer', headers: { Origin: EXT, Referer: 'https://app.acme.com/page' }, allowed: true },
  { name: 'extension Origin, nothing else', headers: { Origin: EXT }, allowed: false },
  { name: 'no Origin + listed pageUrl', headers: {}, pageUrl: 'https://app.acme.com/a', allowed: true },
  { name: 'no Origin, listed Referer', headers: { Referer: 'https://app.acme.com/b' }, allowed: true },
  { name: 'no Origin, unlisted Referer', headers: { Referer: 'https://evil.example.com/b' }, allowed: false },
  { name: 'no origin information at all', headers: {}, allowed: false },
  { name: 'opaque "null" Origin even with a listed pageUrl', headers: { Origin: 'null' }, pageUrl: 'https://app.acme.com/', allowed: false },
  { name: 'extension Origin + non-http pageUrl', headers: { Origin: EXT }, pageUrl: 'file:///etc/passwd', allowed: false },
];

describe('domain allowlist on POST /api/feedback', () => {
  it.each(cases)('$name', async ({ headers, pageUrl, allowed }) => {
    const res = await postFeedback(t.url, { clientId: locked.id, rating: 3, ...(pageUrl ? { pageUrl } : {}) }, headers);
    expect(res.status).toBe(allowed ? 200 : 403);
    if (!allowed) expect(await res.json()).toEqual(DENIED);
  });

  it('lets a client without an allowlist accept any origin', async () => {
    for (const headers of [{ Origin: 'https://evil.example.com' }, { Origin: 'null' }, {}] as Record<string, string>[]) {
      expect((await postFeedback(t.url, { clientId: open.id, rating: 3 }, headers)).status).toBe(200);
    }
  });

  it('stores nothing for a refused request', async () => {
    const before = (await t.server.storage.listFeedback(locked.id)).length;
    await postFeedback(t.url, { clientId: locked.id, comment: 'sneaky' }, { Origin: 'https://evil.example.com' });
    expect((await t.server.storage.listFeedback(locked.id)).length).toBe(before);
  });
});

describe('domain allowlist on POST /api/screenshots', () => {
  it.each(cases)('$name', async ({ headers, pageUrl, allowed }) => {
    const fields = {
      clientId: locked.id,
      screenshot: { bytes: pngBytes(2, 2), type: 'image/png' },
      ...(pageUrl ? { pageUrl } : {}),
    };
    const res = await postScreenshot(t.url, fields, headers);
    expect(res.status).toBe(allowed ? 200 : 403);
    if (!allowed) expect(await res.json()).toEqual(DENIED);
  });

  it('lets a client without an allowlist accept any origin', async () => {
    const res = await postScreenshot(
      t.url,
      { clientId: open.id, screenshot: { bytes: pngBytes(2, 2), type: 'image/png' } },
      { Origin: 'https://evil.example.com' },
    );
    expect(res.status).toBe(200);
  });
});

describe('origin helpers', () => {
  it('normalizes to scheme://host[:port] and refuses non-http(s)', () => {
    expect(normalizeOrigin('HTTPS://App.Acme.com:443/path?q')).toBe('https://app.acme.com');
    expect(normalizeOrigin('http://localhost:8080/')).toBe('http://localhost:8080');
    expect(normalizeOrigin('ftp://x.com')).toBeUndefined();
    expect(normalizeOrigin('not a url')).toBeUndefined();
    expect(normalizeOrigin('')).toBeUndefined();
    expect(normalizeOrigin(undefined)).toBeUndefined();
  });

  it('prefers a web Origin, falls back to pageUrl then Referer for extension or absent Origin', () => {
    expect(effectiveOrigin({ origin: 'https://a.com', pageUrl: 'https://b.com/' })).toBe('https://a.com');
    expect(effectiveOrigin({ origin: EXT, pageUrl: 'https://b.com/x', referer: 'https://c.com/' })).toBe('https://b.com');
    expect(effectiveOrigin({ pageUrl: 'garbage', referer: 'https://c.com/' })).toBe('https://c.com');
    expect(effectiveOrigin({})).toBeUndefined();
  });

  it('compares allowlist entries normalized too', () => {
    expect(isOriginAllowed(['https://App.acme.com/'], { origin: 'https://app.acme.com' })).toBe(true);
    expect(isOriginAllowed([], {})).toBe(true);
    expect(isOriginAllowed(['https://app.acme.com'], {})).toBe(false);
  });
});
