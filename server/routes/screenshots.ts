/** POST /api/screenshots: one multipart image, checked by its bytes, stored under the client. */
import type { Handler } from 'hono';
import { SCREENSHOT_MAX_BYTES, WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { SCREENSHOT_BODY_MAX_BYTES } from '../constants.ts';
import { sniffImageFile } from '../image.ts';
import type { IngestGuards } from '../ingest-guards.ts';
import { newScreenshotRow } from '../new-rows.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';
import type { UploadIntake, UploadRoute } from '../upload-intake.ts';
import { commitUpload } from './commit-upload.ts';
import { storedFileUrl } from './files.ts';
import { formClientId, publicBase, uploadingClient } from './upload-form.ts';

/** What the upload handler needs. */
export interface ScreenshotDeps {
  storage: Storage;
  files: FileStore;
  /** Base of the URLs handed out, e.g. `https://loupe.example.com`; else the request's origin. */
  publicUrl?: string;
  guards: IngestGuards;
  uploads: UploadIntake;
}

/** The route's name in idempotency scopes. */
export const SCREENSHOT_ROUTE = 'POST /api/screenshots';

/** The form this route takes; a file over the limit is refused while it streams in. */
const SCREENSHOT_UPLOAD: UploadRoute = {
  fileField: 'screenshot',
  maxFileBytes: SCREENSHOT_MAX_BYTES,
  maxBodyBytes: SCREENSHOT_BODY_MAX_BYTES,
  tooLargeError: WIRE_ERRORS.fileTooLarge,
};

/** The handler for one screenshot upload (api-contract.md section 1). */
export function createScreenshotHandler(deps: ScreenshotDeps): Handler {
  return (c) => deps.uploads.handle(c, SCREENSHOT_UPLOAD, async (form) => {
    const file = form.file;
    if (!file) return c.json({ error: WIRE_ERRORS.screenshotRequired }, 400);
    const clientId = formClientId(form);
    if (clientId === undefined) return c.json({ error: WIRE_ERRORS.clientIdRequired }, 400);
    if (!file.declaredType.startsWith('image/')) {
      return c.json({ error: WIRE_ERRORS.notImage }, 400);
    }

    const client = await uploadingClient(c, deps.storage, form, clientId);
    if (client instanceof Response) return client;

    // The declared type is the sender's claim; only the bytes decide what we store and serve.
    const image = await sniffImageFile(file.path);
    if (!image) return c.json({ error: WIRE_ERRORS.notImage }, 400);

    const base = publicBase(c, deps.publicUrl);
    // Everything above only reads; the write runs once per Idempotency-Key, so a replay
    // (or a retry that waited for the first attempt) stores no second file.
    return deps.guards.write(c, { route: SCREENSHOT_ROUTE, clientId: client.id }, async (tx) => {
      const fileName = await deps.files.putFile(client.id, image.ext, file.path);
      const screenshot = {
        fileName,
        url: storedFileUrl(base, fileName),
        fileSize: file.sizeBytes,
        width: image.width,
        height: image.height,
        mimeType: image.mimeType,
      };
      const answer = { status: 200, body: { success: true, screenshot } };
      const { url: _url, ...stored } = screenshot;
      const row = newScreenshotRow({ ...stored, clientId: client.id }, tx.nowMs);
      return commitUpload(deps.files, fileName, answer, () => deps.storage.insertScreenshot(row, tx.remember(answer)));
    });
  });
}
