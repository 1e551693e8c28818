/** Raw HTTP for the upload tests: hand-made multipart bodies, sent whole, in parts, or left hanging. */
import { request, type ClientRequest } from 'node:http';

/** The boundary of every hand-made body. */
export const BOUNDARY = 'loupe-upload-boundary';

/** One part: a text field, or a file with its declared type. */
export type Part = { name: string; value: string } | { name: string; fileName: string; type: string; bytes: Uint8Array };

/** A multipart/form-data body of the parts, with its closing delimiter. */
export function multipartBody(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'fileName' in part ? `form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.type}` : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(Buffer.from('bytes' in part ? part.bytes : part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** A ~`sizeBytes` body of nothing but tiny text parts (each ~55 bytes), the kind that used to block the event loop. */
export function tinyPartsBody(sizeBytes: number): Buffer {
  const part = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n`);
  const count = Math.floor(sizeBytes / part.length);
  return Buffer.concat([...Array<Buffer>(count).fill(part), Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** What came back. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs a multipart body with Content-Length to `url` (e.g. `http://127.0.0.1:1234/api/screenshots`). */
export function postMultipart(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = openPost(url, body.length, headers);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    // A refusal mid-body may end in a reset once the answer is in; only an error before it counts.
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a POST that declares `contentLength` bytes; the caller writes (or stops writing) the body. */
export function openPost(url: string, contentLength: number, headers: Record<string, string> = {}): ClientRequest {
  const { hostname, port, pathname } = new URL(url);
  return request({
    hostname,
    port,
    path: pathname,
    method: 'POST',
    agent: false,
    headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(contentLength), ...headers },
  });
}

/** Resolves once the server closes the request's connection, with how long that took. */
export function whenClosed(req: ClientRequest): Promise<number> {
  const startedMs = performance.now();
  return new Promise((resolve) => {
    const done = () => resolve(performance.now() - startedMs);
    req.on('error', done);
    req.on('close', done);
  });
}
