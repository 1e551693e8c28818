/** POST /api/replays: one gzipped rrweb recording, checked as it inflates, stored as sent. */
import type { Handler } from 'hono';
import { REPLAY_ERRORS, REPLAY_MAX_BYTES, WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { REPLAY_BODY_MAX_BYTES } from '../constants.ts';
import type { IngestGuards } from '../ingest-guards.ts';
import { newReplayRow } from '../new-rows.ts';
import { checkReplayUpload } from '../replay-events.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';
import type { UploadIntake, UploadRoute } from '../upload-intake.ts';
import { commitUpload } from './commit-upload.ts';
import { replayFilePath } from './replay-file.ts';
import { formClientId, publicBase, uploadingClient } from './upload-form.ts';

/** What the upload handler needs. */
export interface ReplayDeps {
  storage: Storage;
  files: FileStore;
  /** Base of the URLs handed out, e.g. `https://loupe.example.com`; else the request's origin. */
  publicUrl?: string;
  guards: IngestGuards;
  uploads: UploadIntake;
}

/** The route's name in idempotency scopes. */
export const REPLAY_ROUTE = 'POST /api/replays';

/** The form this route takes; a file over the limit is refused while it streams in. */
const REPLAY_UPLOAD: UploadRoute = {
  fileField: 'replay',
  maxFileBytes: REPLAY_MAX_BYTES,
  maxBodyBytes: REPLAY_BODY_MAX_BYTES,
  tooLargeError: REPLAY_ERRORS.fileTooLarge,
};

/** The handler for one replay upload (README "The API it serves"; the contract leaves the route to us). */
export function createReplayHandler(deps: ReplayDeps): Handler {
  return (c) => deps.uploads.handle(c, REPLAY_UPLOAD, async (form) => {
    const file = form.file;
    if (!file) return c.json({ error: REPLAY_ERRORS.replayRequired }, 400);
    const clientId = formClientId(form);
    if (clientId === undefined) return c.json({ error: WIRE_ERRORS.clientIdRequired }, 400);

    const client = await uploadingClient(c, deps.storage, form, clientId);
    if (client instanceof Response) return client;

    // The declared type says nothing (CompressionStream output is often untyped): the bytes decide.
    const checked = await checkReplayUpload({ path: file.path });
    if (!checked.ok) return c.json({ error: checked.error }, 400);
    const { durationMs, eventCount, startedAtMs } = checked.summary;

    const base = publicBase(c, deps.publicUrl);
    // Everything above only reads; the write runs once per Idempotency-Key.
    return deps.guards.write(c, { route: REPLAY_ROUTE, clientId: client.id }, async (tx) => {
      const fileName = await deps.files.putFile(client.id, 'json.gz', file.path);
      const startedAt = new Date(startedAtMs).toISOString();
      const row = newReplayRow({ clientId: client.id, fileName, fileSize: file.sizeBytes, durationMs, eventCount, startedAt }, tx.nowMs);
      const replay = { id: row.id, url: `${base}${replayFilePath(row.id)}`, fileSize: file.sizeBytes, durationMs, eventCount };
      const answer = { status: 200, body: { success: true, replay } };
      return commitUpload(deps.files, fileName, answer, () => deps.storage.insertReplay(row, tx.remember(answer)));
    });
  });
}
