/**
 * Request bodies held to a byte limit while they stream in. Hono's bodyLimit reads a
 * chunked body through @hono/node-server's web stream, whose Readable.toWeb adapter (Node
 * 20) counts its buffer in chunks rather than bytes and keeps pulling from the socket after
 * the limit is hit; this reads the Node request itself and stops at the limit.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { LINGER_LIMITS } from './constants.ts';

/** What a capped route refuses with. */
export interface BodyCapOptions {
  maxBytes: number;
  /** The answer to an oversized body; it should carry `Connection: close`. */
  onTooLarge: (c: Context) => Response | Promise<Response>;
}

/** The Node request behind a Hono context, when the app runs on @hono/node-server. */
export function nodeIncoming(c: Context): IncomingMessage | undefined {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming && typeof env.incoming.on === 'function' ? env.incoming : undefined;
}

/** Reads the Node request to its end, or stops (paused, unread rest on the socket) past `maxBytes`. */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sizeBytes = 0;
    const settle = (finish: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      finish();
    };
    const onData = (chunk: Buffer) => {
      sizeBytes += chunk.length;
      if (sizeBytes <= maxBytes) return void chunks.push(chunk);
      incoming.pause(); // from here TCP backpressure holds the sender, not our memory
      settle(() => resolve(undefined));
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks, sizeBytes)));
    // The client is gone, so the answer goes nowhere; an HTTPException keeps it out of the error log.
    const gone = () => new HTTPException(400, { message: 'Client closed the connection mid-body' });
    const onError = () => settle(() => reject(gone()));
    const onClose = () => settle(() => reject(gone()));
    if (incoming.readableEnded) return resolve(Buffer.alloc(0));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** The same for a web stream (any runtime without a Node request). */
async function readWebStream(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let sizeBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, sizeBytes);
    sizeBytes += value.length;
    if (sizeBytes > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}

/**
 * Makes the close after a mid-body refusal a lingering one. Node ends a `Connection: close`
 * answer with `socket.destroySoon()`; destroying a socket with unread input sends a TCP
 * reset, and a client still uploading then often loses our answer with it. So: half-close
 * after the answer, discard what still arrives for a bounded time and size, then close.
 */
export function lingerOnClose(incoming: IncomingMessage, limits: { maxBytes: number; maxMs: number } = LINGER_LIMITS): void {
  const socket = incoming.socket;
  let lingering = false;
  socket.destroySoon = () => {
    if (lingering) return;
    lingering = true;
    socket.end();
    let discardedBytes = 0;
    const stop = () => {
      clearTimeout(timer);
      incoming.off('data', onData);
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      discardedBytes += chunk.length;
      if (discardedBytes > limits.maxBytes) stop();
    };
    const timer = setTimeout(stop, limits.maxMs);
    socket.once('close', () => clearTimeout(timer));
    incoming.on('data', onData).once('end', stop);
    incoming.resume();
  };
}

/** Middleware: buffers the body (at most `maxBytes`) for the handler, or refuses it mid-stream. */
export function capBody(options: BodyCapOptions): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      // Node's parser holds the body to exactly the declared length: decide before reading.
      return Number.parseInt(declared, 10) > options.maxBytes ? options.onTooLarge(c) : next();
    }
    const incoming = nodeIncoming(c);
    let body: Buffer | undefined;
    if (incoming) body = await readIncoming(incoming, options.maxBytes);
    else if (raw.body) body = await readWebStream(raw.body, options.maxBytes);
    else return next();
    if (body === undefined) {
      if (incoming) lingerOnClose(incoming);
      return options.onTooLarge(c);
    }
    // A fresh request (not `new Request(raw)`, which would open the Node stream again), over
    // the same bytes (a view, not a copy).
    c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) });
    return next();
  };
}
