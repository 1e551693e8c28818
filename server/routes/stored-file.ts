/** Answers with a stored upload: its stored type (never sniffed), length, and no way to run as a page. */
import type { Context } from 'hono';
import { FILE_CACHE_MAX_AGE_SECONDS } from '../constants.ts';
import type { StoredFile } from '../storage/files.ts';

/** The 200 answer for a stored file; a HEAD gets the headers only. */
export async function serveStoredFile(c: Context, stored: StoredFile): Promise<Response> {
  const headers = {
    'Content-Type': stored.mimeType,
    'Content-Length': String(stored.sizeBytes),
    // Even if a browser were talked into rendering it as a document, it could run nothing.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': `public, max-age=${FILE_CACHE_MAX_AGE_SECONDS}, immutable`,
  };
  if (c.req.method === 'HEAD') {
    await stored.stream.cancel(); // closes the file; a HEAD answer has no body
    return c.body(null, 200, headers);
  }
  return c.body(stored.stream, 200, headers);
}
