/** GET /files/<clientId>/<name>: serves a stored upload with its stored type, never sniffed. */
import type { Handler } from 'hono';
import { SERVER_ERRORS } from '../constants.ts';
import type { FileStore } from '../storage/files.ts';
import { serveStoredFile } from './stored-file.ts';

/** The handler for stored files; anything invalid or missing is a JSON 404. */
export function createFileHandler(files: FileStore): Handler {
  return async (c) => {
    // Params arrive percent-decoded, so `..%2F` shows up as `../` and fails the name check.
    const fileName = `${c.req.param('clientId')}/${c.req.param('name')}`;
    const stored = await files.open(fileName);
    if (!stored) return c.json({ error: SERVER_ERRORS.notFound }, 404);
    return serveStoredFile(c, stored);
  };
}
