/** POST /api/replays: one gzipped rrweb recording, checked as it inflates, stored as sent. */
import type { Handler } from 'hono';
import { REPLAY_ERRORS, REPLAY_MAX_BYTES, WIRE_ERRORS } from '../../lib/api/schemas.ts';
import type { IngestGuards } from '../ingest-guards.ts';
import { newReplayRow } from '../new-rows.ts';
import { checkReplayUpload } from '../replay-events.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';
import { commitUpload } from './commit-upload.ts';
import { replayFilePath } from './replay-file.ts';
import { publicBase, readUploadForm, uploadingClient } from './upload-form.ts';

/** What the upload handler needs. */
export interface ReplayDeps {
  storage: Storage;
  files: FileStore;
  /** Base of the URLs handed out, e.g. `https://loupe.example.com`; else the request's origin. */
  publicUrl?: string;
  guards: IngestGuards;
}

/** The route's name in idempotency scopes. */
export const REPLAY_ROUTE = 'POST /api/replays';

/** The handler for one replay upload (README "The API it serves"; the contract leaves the route to us). */
export function createReplayHandler(deps: ReplayDeps): Handler {
  return async (c) => {
    const form = await readUploadForm(c);
    const file = form.replay;
    if (file === undefined || typeof file === 'string') {
      return c.json({ error: REPLAY_ERRORS.replayRequired }, 400);
    }
    const clientId = form.clientId;
    if (typeof clientId !== 'string' || clientId.trim() === '') {
      return c.json({ error: WIRE_ERRORS.clientIdRequired }, 400);
    }
    if (file.size > REPLAY_MAX_BYTES) return c.json({ error: REPLAY_ERRORS.fileTooLarge }, 400);

    const client = await uploadingClient(c, deps.storage, form, clientId);
    if (client instanceof Response) return client;

    // The declared type says nothing (CompressionStream output is often untyped): the bytes decide.
    const bytes = new Uint8Array(await file.arrayBuffer());
    const checked = await checkReplayUpload(bytes);
    if (!checked.ok) return c.json({ error: checked.error }, 400);
    const { durationMs, eventCount, startedAtMs } = checked.summary;

    const base = publicBase(c, deps.publicUrl);
    // Everything above only reads; the write runs once per Idempotency-Key.
    return deps.guards.write(c, { route: REPLAY_ROUTE, clientId: client.id }, async (tx) => {
      const fileName = await deps.files.put(client.id, 'json.gz', bytes);
      const startedAt = new Date(startedAtMs).toISOString();
      const row = newReplayRow({ clientId: client.id, fileName, fileSize: bytes.byteLength, durationMs, eventCount, startedAt }, tx.nowMs);
      const replay = { id: row.id, url: `${base}${replayFilePath(row.id)}`, fileSize: bytes.byteLength, durationMs, eventCount };
      const answer = { status: 200, body: { success: true, replay } };
      return commitUpload(deps.files, fileName, answer, () => deps.storage.insertReplay(row, tx.remember(answer)));
    });
  };
}
