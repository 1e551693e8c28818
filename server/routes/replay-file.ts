/** GET /replays/<id>.json.gz: a stored replay's gzip, as uploaded; readers inflate it themselves. */
import type { Handler } from 'hono';
import { SERVER_ERRORS } from '../constants.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';
import { serveStoredFile } from './stored-file.ts';

const SUFFIX = '.json.gz';

/** The path a replay is served at, relative to the server's base URL. */
export function replayFilePath(id: string): string {
  return `/replays/${id}${SUFFIX}`;
}

/** The handler for `/replays/:name`; an unknown id or a missing file is a JSON 404. */
export function createReplayFileHandler(storage: Storage, files: FileStore): Handler {
  return async (c) => {
    const name = c.req.param('name') ?? '';
    const replay = name.endsWith(SUFFIX) ? await storage.getReplay(name.slice(0, -SUFFIX.length)) : undefined;
    // The id is the only key: it is unguessable, and the file name is never taken from the URL.
    const stored = replay ? await files.open(replay.fileName) : undefined;
    if (!stored) return c.json({ error: SERVER_ERRORS.notFound }, 404);
    // No Content-Encoding: the gzip is the resource, not a transfer encoding to undo.
    return serveStoredFile(c, stored);
  };
}
