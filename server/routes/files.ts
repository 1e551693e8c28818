/** GET /files/<clientId>/<name>: serves a stored upload with its stored type, never sniffed. */
import type { Handler } from 'hono';
import { FILE_CACHE_MAX_AGE_SECONDS, SERVER_ERRORS } from '../constants.ts';
import type { FileStore } from '../storage/files.ts';

/** The handler for stored files; anything invalid or missing is a JSON 404. */
export function createFileHandler(files: FileStore): Handler {
  return async (c) => {
    // Params arrive percent-decoded, so `..%2F` shows up as `../` and fails the name check.
    const fileName = `${c.req.param('clientId')}/${c.req.param('name')}`;
    const stored = await files.open(fileName);
    if (!stored) return c.json({ error: SERVER_ERRORS.notFound }, 404);
    const headers = {
      'Content-Type': stored.mimeType,
      'Content-Length': String(stored.sizeBytes),
      'X-Content-Type-Options': 'nosniff',
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
  };
}
