import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, type FormField, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Uploads' });
});
afterAll(() => t.stop());

const png = (width = 40, height = 30) => ({ bytes: pngBytes(width, height), type: 'image/png' });

interface UploadBody {
  success: true;
  screenshot: { fileName: string; url: string; fileSize: number; width: number; height: number; mimeType: string };
}

describe('POST /api/screenshots', () => {
  it('stores a real PNG, reads its size from the bytes, and serves the same bytes back', async () => {
    const bytes = pngBytes(64, 48);
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes, type: 'image/png' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as UploadBody;
    expect(body.success).toBe(true);
    expect(body.screenshot).toEqual({
      fileName: expect.stringMatching(new RegExp(`^${client.id}/\\d{13}-[A-Za-z0-9_-]{16,}\\.png$`)),
      url: `${t.url}/files/${body.screenshot.fileName}`,
      fileSize: bytes.length,
      width: 64,
      height: 48,
      mimeType: 'image/png',
    });

    const served = await fetch(body.screenshot.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('trusts the bytes, not the declared type', async () => {
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(5, 6), type: 'image/jpeg' } });
    const body = (await res.json()) as UploadBody;
    expect(body.screenshot.mimeType).toBe('image/png');
    expect(body.screenshot.fileName).toMatch(/\.png$/);
  });

  it('refuses non-image bytes declared as image/png, and writes nothing', async () => {
    const before = await t.storedFiles();
    const res = await postScreenshot(t.url, {
      clientId: client.id,
      screenshot: { bytes: Buffer.from('<html><script>alert(1)</script></html>'), type: 'image/png' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'File must be an image' });
    expect(await t.storedFiles()).toEqual(before);
  });

  it('refuses SVG even though it is an image type', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script></svg>');
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: svg, type: 'image/svg+xml' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'File must be an image' });
  });

  it('refuses a real image declared with a non-image type', async () => {
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(2, 2), type: 'text/plain' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'File must be an image' });
  });

  it('answers 400 Screenshot file is required without a file (or with a text field in its place)', async () => {
    for (const fields of [{ clientId: client.id }, { clientId: client.id, screenshot: 'not a file' }] as Record<string, FormField>[]) {
      const res = await postScreenshot(t.url, fields);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'Screenshot file is required' });
    }
  });

  it('answers 400 Screenshot file is required for a body that is not multipart at all', async () => {
    const json = await fetch(`${t.url}/api/screenshots`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: 'Screenshot file is required' });
    const broken = await fetch(`${t.url}/api/screenshots`, {
      method: 'POST',
      body: '--x\r\nthis is not multipart',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'Screenshot file is required' });
  });

  it('answers 400 Client ID is required without a clientId (or an empty one)', async () => {
    for (const fields of [{ screenshot: png() }, { screenshot: png(), clientId: '' }] as Record<string, FormField>[]) {
      const res = await postScreenshot(t.url, fields);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'Client ID is required' });
    }
  });

  it('answers 404 Invalid client ID for an unknown client', async () => {
    const res = await postScreenshot(t.url, { clientId: 'client_nobodyhere', screenshot: png() });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Invalid client ID' });
  });

  it('never writes outside the files directory, whatever the clientId says', async () => {
    const before = await t.everyFile();
    for (const clientId of ['../../escape', `${client.id}/../../escape`, '/tmp/escape', 'client_..', 'client_a%2F..', `${client.id}\0`]) {
      const res = await postScreenshot(t.url, { clientId, screenshot: png() });
      expect(res.status, clientId).toBe(404);
      expect(await res.json()).toEqual({ error: 'Invalid client ID' });
    }
    expect(await t.everyFile()).toEqual(before);
  });

  it('answers 400 File too large for a file just over 10 MB', async () => {
    // A valid PNG header padded past the limit: only the size should decide.
    const bytes = Buffer.concat([pngBytes(1, 1), Buffer.alloc(10 * 1024 * 1024 + 1 - pngBytes(1, 1).length)]);
    expect(bytes.length).toBe(10 * 1024 * 1024 + 1);
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes, type: 'image/png' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'File too large (max 10MB)' });
  });

  it('accepts a file of exactly 10 MB', async () => {
    const head = pngBytes(3, 2);
    const bytes = Buffer.concat([head, Buffer.alloc(10 * 1024 * 1024 - head.length)]);
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes, type: 'image/png' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as UploadBody).screenshot.fileSize).toBe(10 * 1024 * 1024);
  });

  it('refuses a body far over 10 MB before reading it, with the same answer', async () => {
    const bytes = Buffer.alloc(12 * 1024 * 1024);
    const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes, type: 'image/png' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'File too large (max 10MB)' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 500 Failed to upload screenshot when the file cannot be written', async () => {
    const blocked = await createClient(t.server.storage, { name: 'Blocked' });
    // The write fails for real: on disk or inside the S3 server.
    await t.blockFileWrites(blocked.id);
    const errorsBefore = t.loggedErrors.length;
    const res = await postScreenshot(t.url, { clientId: blocked.id, screenshot: png() });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Failed to upload screenshot' });
    expect(t.loggedErrors.length).toBe(errorsBefore + 1);
  });
});

describe('POST /api/screenshots with PUBLIC_URL', () => {
  it('builds file URLs from the public URL', async () => {
    const behindProxy = await startTestServer({ publicUrl: 'https://feedback.example.com/loupe/' });
    try {
      const c = await createClient(behindProxy.server.storage, { name: 'Proxied' });
      const res = await postScreenshot(behindProxy.url, { clientId: c.id, screenshot: png() });
      const body = (await res.json()) as UploadBody;
      expect(body.screenshot.url).toBe(`https://feedback.example.com/loupe/files/${body.screenshot.fileName}`);
    } finally {
      await behindProxy.stop();
    }
  });
});
