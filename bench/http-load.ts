/**
 * A small HTTP/1.1 load generator on raw sockets (node:net): a fixed number of keep-alive
 * connections, each sending one request, reading its whole answer, then sending the next,
 * for a fixed time. Raw sockets because node:http's client costs more per request than the
 * servers it measures, on the same two cores; what it spends is the same for every server.
 */
import { connect, type Socket } from 'node:net';

/** One load run. */
export interface LoadSpec {
  url: URL;
  method: 'POST';
  path: string;
  body: string;
  /** Extra header lines per request (e.g. a fresh Idempotency-Key each time). */
  headers?: () => Record<string, string>;
  connections: number;
  durationMs: number;
  /** Stops early after this many requests, whatever the time: a bench must end. */
  maxRequests: number;
}

/** What a run measured. */
export interface LoadResult {
  /** Answers read completely, whatever their status. */
  count: number;
  /** Answers other than 200, and requests lost to a dropped connection. */
  failures: number;
  elapsedMs: number;
  /** Time from writing each request to reading the end of its answer, in completion order. */
  latenciesMs: number[];
}

const HEADER_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');

/** The status and total length of the answer at the start of `buf`, or `undefined` when it is not all there yet. */
export function completeAnswer(buf: Buffer): { status: number; length: number } | undefined {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + 4;
  const contentLength = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (contentLength) {
    const length = bodyStart + Number(contentLength[1]);
    return buf.length >= length ? { status, length } : undefined;
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) throw new Error(`An answer with neither Content-Length nor chunks: ${head}`);
  let at = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf(LINE_END, at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, lineEnd), 16);
    // The last chunk is empty and, with no trailers, followed by one empty line.
    at = lineEnd + 2 + size + 2;
    if (size === 0) return buf.length >= at ? { status, length: at } : undefined;
    if (at > buf.length) return undefined;
  }
}

/** Runs `spec` and resolves when every connection is done. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const host = spec.url.hostname;
  const port = Number(spec.url.port);
  const fixed =
    `${spec.method} ${spec.path} HTTP/1.1\r\nHost: ${spec.url.host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(spec.body)}\r\n`;
  const request = () => {
    const extra = spec.headers ? Object.entries(spec.headers()).map(([name, value]) => `${name}: ${value}\r\n`).join('') : '';
    return Buffer.from(`${fixed}${extra}\r\n${spec.body}`);
  };
  const latenciesMs: number[] = [];
  let failures = 0;
  let started = 0;
  const startMs = performance.now();
  const endMs = startMs + spec.durationMs;
  const more = () => performance.now() < endMs && started < spec.maxRequests;

  const connection = () =>
    new Promise<void>((resolve) => {
      let socket: Socket;
      let received: Buffer = Buffer.alloc(0);
      let sentAtMs = 0;
      let waiting = false;
      const send = () => {
        if (!more()) {
          socket.end();
          return;
        }
        started++;
        waiting = true;
        sentAtMs = performance.now();
        socket.write(request());
      };
      const open = () => {
        received = Buffer.alloc(0);
        socket = connect({ host, port, noDelay: true }, send);
        socket.on('data', (chunk: Buffer) => {
          received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
          const answer = completeAnswer(received);
          if (!answer) return;
          latenciesMs.push(performance.now() - sentAtMs);
          waiting = false;
          if (answer.status !== 200) failures++;
          received = received.subarray(answer.length);
          send();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          // A connection dropped mid-request (or closed after an answer): the request is lost, open another.
          if (waiting) failures++;
          waiting = false;
          if (more()) open();
          else resolve();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: spec.connections }, connection));
  return { count: latenciesMs.length, failures, elapsedMs: performance.now() - startMs, latenciesMs };
}
