/**
 * Gunzip that never inflates past a limit. A gzip of a few megabytes can claim gigabytes
 * (deflate reaches ~1000:1 on repeated bytes, and members can be concatenated), so the
 * output is counted while it streams and the inflater is destroyed at the limit. Bytes
 * after the last member (which Node's gunzip silently ignores) are refused: a "replay" must
 * not carry an arbitrary blob behind a valid gzip.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GZIP_MAGIC } from './constants.ts';

/** How it ended: all of it was handed over, or why not. */
export type GunzipOutcome =
  | { kind: 'ok'; sizeBytes: number }
  | { kind: 'not-gzip' }
  | { kind: 'corrupt' }
  | { kind: 'too-large' }
  | { kind: 'trailing-bytes' }
  | { kind: 'stopped' };

/** A gzip on disk, read as a stream rather than loaded. */
export interface GzipFile {
  path: string;
}

/** Whether the bytes start like a gzip member (magic, then the deflate method). */
export function looksLikeGzip(bytes: Uint8Array): boolean {
  return GZIP_MAGIC.every((byte, i) => bytes[i] === byte);
}

async function openSource(input: Uint8Array | GzipFile): Promise<{ head: Uint8Array; sizeBytes: number; stream: Readable }> {
  if (input instanceof Uint8Array) return { head: input, sizeBytes: input.byteLength, stream: Readable.from([input]) };
  const handle = await open(input.path, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(GZIP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    // The stream owns the handle from here on and closes it when it ends or is destroyed.
    return { head: head.subarray(0, bytesRead), sizeBytes: size, stream: handle.createReadStream({ start: 0, autoClose: true }) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Inflates `input` chunk by chunk into `onChunk` (which returns false to stop early), and
 * stops past `maxBytes` of output; never more than one inflate chunk is held beyond that.
 */
export async function gunzipCapped(
  input: Uint8Array | GzipFile,
  maxBytes: number,
  onChunk: (chunk: Buffer) => boolean,
): Promise<GunzipOutcome> {
  const source = await openSource(input);
  if (!looksLikeGzip(source.head)) {
    source.stream.destroy();
    return { kind: 'not-gzip' };
  }
  const gunzip = createGunzip();
  source.stream.on('error', (error) => gunzip.destroy(error)).pipe(gunzip);
  let sizeBytes = 0;
  try {
    // The iterator pulls one chunk at a time, so zlib's backpressure stops inflating
    // between reads; leaving the loop early destroys the stream and frees the inflater.
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) return { kind: 'too-large' };
      if (!onChunk(chunk)) return { kind: 'stopped' };
    }
  } catch {
    return { kind: 'corrupt' }; // truncated, bad checksum, or not deflate inside
  } finally {
    source.stream.destroy();
  }
  // zlib counts the input its members used; it ends at the last member and drops the rest.
  if (gunzip.bytesWritten < source.sizeBytes) return { kind: 'trailing-bytes' };
  return { kind: 'ok', sizeBytes };
}
