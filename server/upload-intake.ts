/**
 * How an upload route receives its body: admitted against a budget of bytes in flight,
 * streamed to a temp file with every form limit enforced as it arrives, dropped when it
 * stalls, and cleaned up (temp file removed, budget given back) however the answer ends.
 */
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Context } from 'hono';
import { lingerOnClose, nodeIncoming } from './body-cap.ts';
import { CLOSE_AFTER_ANSWER, SERVER_ERRORS, UPLOAD_BUSY_RETRY_AFTER_SECONDS } from './constants.ts';
import { receiveMultipart, type MultipartOutcome, type ReceivedFile } from './multipart-stream.ts';
import type { RemoteAddress } from './remote-address.ts';

/** What the intake is built from. */
export interface UploadIntakeOptions {
  /** Where bodies are streamed to (created if missing); the orphan sweep removes what a crash left there. */
  tempDir: string;
  budgetBytes: number;
  /** The share of the budget one client address may hold, so that one address cannot take it all. */
  perAddressBytes: number;
  stallMs: number;
  /** Where a request comes from (server/remote-address.ts). */
  remoteAddress: RemoteAddress;
}

/** One route's form: its file part and limits, and its own "too large" words. */
export interface UploadRoute {
  fileField: string;
  maxFileBytes: number;
  maxBodyBytes: number;
  tooLargeError: string;
}

/** The form as received: text fields, and the file on disk (absent when not sent or not multipart). */
export interface UploadForm {
  fields: Map<string, string>;
  file: ReceivedFile | undefined;
}

/** The upload side of one app. */
export interface UploadIntake {
  /**
   * Admits and reads the body, then answers with `use(form)`; refusals (busy, too large,
   * too many parts, stalled) are answered here. The temp file is gone when this settles.
   */
  handle(c: Context, route: UploadRoute, use: (form: UploadForm) => Promise<Response>): Promise<Response>;
}

function declaredLength(c: Context): number | undefined {
  const raw = c.req.raw.headers;
  const declared = raw.get('content-length');
  // Node's parser holds a body to exactly its declared length (and refuses both headers at once).
  if (declared === null || raw.has('transfer-encoding')) return undefined;
  const bytes = Number(declared);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}

/** The intake of one app, with its own budget. */
export function createUploadIntake(options: UploadIntakeOptions): UploadIntake {
  // Never emptied here: another server process on the same data directory may be writing into it.
  mkdirSync(options.tempDir, { recursive: true });
  let admittedBytes = 0;
  const admittedByAddress = new Map<string, number>();

  function refusal(c: Context, outcome: MultipartOutcome, route: UploadRoute): Response | undefined {
    switch (outcome.kind) {
      case 'file-too-large':
      case 'body-too-large':
        return c.json({ error: route.tooLargeError }, 400);
      case 'too-many-parts':
        return c.json({ error: SERVER_ERRORS.tooManyParts }, 400);
      case 'field-too-long':
        return c.json({ error: SERVER_ERRORS.fieldTooLong }, 400);
      case 'gone':
      case 'stalled':
        // Nobody reads this answer: the client left, or its connection is closed below.
        return c.json({ error: SERVER_ERRORS.uploadStalled }, 408);
      case 'failed':
        throw outcome.error;
      default:
        return undefined;
    }
  }

  async function read(c: Context, route: UploadRoute, use: (form: UploadForm) => Promise<Response>): Promise<Response> {
    const incoming = nodeIncoming(c);
    if (!incoming) throw new Error('Uploads are read from the Node request (@hono/node-server)');
    const outcome = await receiveMultipart(incoming, { ...route, tempDir: options.tempDir, stallMs: options.stallMs });
    if (outcome.kind === 'stalled') incoming.socket.destroy();
    let answer = refusal(c, outcome, route);
    if (!answer) {
      const form: UploadForm = outcome.kind === 'form' ? outcome : { fields: new Map(), file: undefined };
      try {
        answer = await use(form);
      } finally {
        if (form.file) await rm(form.file.path, { force: true });
      }
    }
    if (!incoming.readableEnded && !incoming.socket.destroyed) {
      // Refused before its end: the rest is still on the socket. Close after answering, lingering
      // so that the client reads the answer rather than a reset.
      lingerOnClose(incoming);
      for (const [name, value] of Object.entries(CLOSE_AFTER_ANSWER)) answer.headers.set(name, value);
    }
    return answer;
  }

  return {
    async handle(c, route, use) {
      const declared = declaredLength(c);
      if (declared !== undefined && declared > route.maxBodyBytes) {
        return c.json({ error: route.tooLargeError }, 400, CLOSE_AFTER_ANSWER);
      }
      // A chunked body may grow to the route's maximum, so that is what it is admitted as.
      const costBytes = declared ?? route.maxBodyBytes;
      const address = options.remoteAddress(c);
      const addressBytes = admittedByAddress.get(address) ?? 0;
      if (admittedBytes + costBytes > options.budgetBytes || addressBytes + costBytes > options.perAddressBytes) {
        // A declared body is read to its end and dropped (bounded by the route's maximum, no
        // memory): a client still sending would otherwise lose the 503 to a reset, and retry blind.
        const incoming = nodeIncoming(c);
        if (incoming) lingerOnClose(incoming, declared === undefined ? undefined : { maxBytes: declared, maxMs: options.stallMs });
        const headers = { 'Retry-After': String(UPLOAD_BUSY_RETRY_AFTER_SECONDS), ...CLOSE_AFTER_ANSWER };
        return c.json({ error: SERVER_ERRORS.uploadBusy }, 503, headers);
      }
      admittedBytes += costBytes;
      admittedByAddress.set(address, addressBytes + costBytes);
      try {
        return await read(c, route, use);
      } finally {
        admittedBytes -= costBytes;
        const left = admittedByAddress.get(address)! - costBytes;
        if (left > 0) admittedByAddress.set(address, left);
        else admittedByAddress.delete(address);
      }
    },
  };
}
