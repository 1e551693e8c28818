import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer;
let client: Client;

beforeAll(async () => {
  t = await startTestServer({ rateLimitIpPerMin: 0 });
  client = await createClient(t.server.storage, { name: 'Streaming' });
});
afterAll(() => t.stop());

const MB = 1024 * 1024;
const BOUNDARY = 'loupe-test-boundary';

interface ChunkedResult {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  /** Bytes handed to the socket when the answer arrived, and in all. */
  sentAtAnswerBytes: number;
  sentBytes: number;
}

/**
 * Sends `head`, then `fillBytes` of filler in 64 KB chunks, then `tail`, with
 * Transfer-Encoding: chunked (no Content-Length), as fast as the socket takes them; stops
 * sending once the answer is in, as a well-behaved client does.
 */
function chunkedPost(path: string, contentType: string, head: Buffer, fillBytes: number, tail: Buffer): Promise<ChunkedResult> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'POST', headers: { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' } });
    let sentBytes = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const sentAtAnswerBytes = sentBytes;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), sentAtAnswerBytes, sentBytes }),
      );
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const filler = Buffer.alloc(64 * 1024, 0x61);
    req.write(head);
    sentBytes += head.length;
    const pump = () => {
      while (!answered && sentBytes < head.length + fillBytes) {
        sentBytes += filler.length;
        if (!req.write(filler)) return void req.once('drain', pump);
      }
      if (!answered) req.end(tail);
    };
    pump();
  });
}

function multipartHead(clientId: string): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\n${clientId}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="screenshot"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
}
const multipartTail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

describe('bodies refused while they stream in', () => {
  it('cuts a chunked 40 MB upload off near 10 MB: answers 400, reads a fraction, buffers no more', async () => {
    global.gc?.();
    const before = process.memoryUsage();
    let peakArrayBufferBytes = before.arrayBuffers;
    const sampler = setInterval(() => {
      peakArrayBufferBytes = Math.max(peakArrayBufferBytes, process.memoryUsage().arrayBuffers);
    }, 2);
    let result: ChunkedResult;
    try {
      result = await chunkedPost('/api/screenshots', `multipart/form-data; boundary=${BOUNDARY}`, multipartHead(client.id), 40 * MB, multipartTail);
    } finally {
      clearInterval(sampler);
    }
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error: 'File too large (max 10MB)' });
    expect(result.headers.connection).toBe('close');
    expect(result.headers['access-control-allow-origin']).toBe('*');
    // The server stopped reading: the client could not hand over even half of the upload.
    expect(result.sentAtAnswerBytes).toBeLessThan(24 * MB);
    // Buffers (where bodies live) grow by about the 10 MB the limit allows, not by the 40 MB sent.
    const growthBytes = peakArrayBufferBytes - before.arrayBuffers;
    expect(growthBytes).toBeLessThan(16 * MB);
    expect(await t.storedFiles()).toEqual([]);
    console.info(
      `chunked 40 MB upload: answered after ${(result.sentAtAnswerBytes / MB).toFixed(1)} MB sent; ` +
        `peak arrayBuffers growth ${(growthBytes / MB).toFixed(1)} MB`,
    );
  });

  it('still serves the next request after a cut-off', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('accepts a chunked upload under the limit and stores it', async () => {
    const png = pngBytes(30, 20);
    const body = Buffer.concat([multipartHead(client.id), png]);
    const result = await chunkedPost('/api/screenshots', `multipart/form-data; boundary=${BOUNDARY}`, body, 0, multipartTail);
    expect(result.status).toBe(200);
    const json = JSON.parse(result.body) as { screenshot: { fileSize: number; width: number } };
    expect(json.screenshot).toMatchObject({ fileSize: png.length, width: 30 });
  });

  it('answers 413 to a chunked JSON body over 1 MB, and takes one under it', async () => {
    const head = Buffer.from(`{"clientId":"${client.id}","comment":"`);
    const big = await chunkedPost('/api/feedback', 'application/json', head, 4 * MB, Buffer.from('"}'));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toEqual({ error: 'Payload too large (max 1MB)' });
    expect(big.headers.connection).toBe('close');
    const small = await chunkedPost('/api/feedback', 'application/json', head, 128 * 1024, Buffer.from('"}'));
    expect(small.status).toBe(200);
    expect(await t.server.storage.listFeedback(client.id)).toHaveLength(1);
  });
});
