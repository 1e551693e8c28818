/** GET /files/<clientId>/<name>: serves a recorded upload with its stored type, never sniffed. */
import type { Handler } from 'hono';
import { SERVER_ERRORS } from '../constants.ts';
import { isValidFileName } from '../storage/file-names.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';
import { serveStoredFile } from './stored-file.ts';

/** The absolute URL a stored file is served at, for a public base such as `https://loupe.example.com`. */
export function storedFileUrl(base: string, fileName: string): string {
  return `${base}/files/${fileName}`;
}

/** The handler for stored files; anything invalid, missing or named by no row is a JSON 404. */
export function createFileHandler(storage: Storage, files: FileStore): Handler {
  return async (c) => {
    // Params arrive percent-decoded, so `..%2F` shows up as `../` and fails the name check.
    const fileName = `${c.req.param('clientId')}/${c.req.param('name')}`;
    // A file no row names is a crash's leftover on its way to the sweep, not an upload.
    const recorded = isValidFileName(fileName) && (await storage.recordedFiles([fileName])).length > 0;
    const stored = recorded ? await files.open(fileName) : undefined;
    if (!stored) return c.json({ error: SERVER_ERRORS.notFound }, 404);
    return serveStoredFile(c, stored);
  };
}
