/**
 * Gunzip that never inflates past a limit. A gzip of a few megabytes can claim gigabytes
 * (deflate reaches ~1000:1 on repeated bytes, and members can be concatenated), so the
 * output is counted while it streams and the inflater is destroyed at the limit.
 */
import { createGunzip } from 'node:zlib';
import { GZIP_MAGIC } from './constants.ts';

/** How it ended: all of it was handed over, or why not. */
export type GunzipOutcome =
  | { kind: 'ok'; sizeBytes: number }
  | { kind: 'not-gzip' }
  | { kind: 'corrupt' }
  | { kind: 'too-large' }
  | { kind: 'stopped' };

/** Whether the bytes start like a gzip member (magic, then the deflate method). */
export function looksLikeGzip(bytes: Uint8Array): boolean {
  return GZIP_MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * Inflates `input` chunk by chunk into `onChunk` (which returns false to stop early), and
 * stops past `maxBytes` of output; never more than one inflate chunk is held beyond that.
 */
export async function gunzipCapped(
  input: Uint8Array,
  maxBytes: number,
  onChunk: (chunk: Buffer) => boolean,
): Promise<GunzipOutcome> {
  if (!looksLikeGzip(input)) return { kind: 'not-gzip' };
  const gunzip = createGunzip();
  gunzip.end(input);
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
  }
  return { kind: 'ok', sizeBytes };
}
