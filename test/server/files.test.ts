import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../server/storage/types.ts';
import { readStoredFile } from '../support/stored-files.ts';
import { pngBytes, postScreenshot, rawGet, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;
let fileName: string;

beforeAll(async () => {
  t = await startTestServer();
  client = await createClient(t.server.storage, { name: 'Files' });
  const res = await postScreenshot(t.url, { clientId: client.id, screenshot: { bytes: pngBytes(8, 8), type: 'image/png' } });
  fileName = ((await res.json()) as { screenshot: { fileName: string } }).screenshot.fileName;
  // Secrets next to the files directory that no URL may reach.
  await writeFile(join(t.dataDir, 'secret.png'), 'top secret');
  await mkdir(join(t.dataDir, 'files', client.id, 'sub'), { recursive: true });
});
afterAll(() => t.stop());

describe('GET /files/<clientId>/<name>', () => {
  it('serves a stored file with its type, length, nosniff and a sandboxing CSP', async () => {
    const res = await fetch(`${t.url}/files/${fileName}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(body.equals(await readStoredFile(t.server.files, fileName))).toBe(true);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(`${t.url}/files/${fileName}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(await res.text()).toBe('');
  });

  it('answers a JSON 404 for a well-formed name with no file', async () => {
    const res = await fetch(`${t.url}/files/${client.id}/1717740000000-abcdefghijklmnopqrst.png`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Not found' });
  });

  it('refuses every traversal attempt with a JSON 404', async () => {
    const attempts = [
      '/files/../secret.png',
      '/files/../../../../etc/passwd',
      `/files/${client.id}/../../secret.png`,
      `/files/${client.id}/..%2F..%2Fsecret.png`,
      `/files/${client.id}/%2e%2e%2f%2e%2e%2fsecret.png`,
      `/files/..%2F/secret.png`,
      `/files/${client.id}/%2Fetc%2Fpasswd`,
      `/files/${client.id}/1717740000000-abcdefghijklmnopqrst.png%00.png`,
      `/files/${client.id}%2F..%2F..%2Fsecret.png/x.png`,
      `/files/${client.id}/sub`,
      `/files/${client.id}/%5C..%5C..%5Csecret.png`,
    ];
    for (const path of attempts) {
      const res = await rawGet(t.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('top secret');
      expect(res.body, path).not.toContain('root:');
      expect(JSON.parse(res.body), path).toEqual({ error: 'Not found' });
    }
  });
});
