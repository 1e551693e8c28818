/** POST /api/screenshots: one multipart image, checked by its bytes, stored under the client. */
import type { Handler } from 'hono';
import { SCREENSHOT_MAX_BYTES, WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { sniffImage } from '../image.ts';
import type { IngestGuards } from '../ingest-guards.ts';
import type { FileStore } from '../storage/files.ts';
import type { Storage } from '../storage/types.ts';
import { commitUpload } from './commit-upload.ts';
import { storedFileUrl } from './files.ts';
import { publicBase, readUploadForm, uploadingClient } from './upload-form.ts';

/** What the upload handler needs. */
export interface ScreenshotDeps {
  storage: Storage;
  files: FileStore;
  /** Base of the URLs handed out, e.g. `https://loupe.example.com`; else the request's origin. */
  publicUrl?: string;
  guards: IngestGuards;
}

/** The route's name in idempotency scopes. */
export const SCREENSHOT_ROUTE = 'POST /api/screenshots';

/** The handler for one screenshot upload (api-contract.md section 1). */
export function createScreenshotHandler(deps: ScreenshotDeps): Handler {
  return async (c) => {
    const form = await readUploadForm(c);
    const file = form.screenshot;
    if (file === undefined || typeof file === 'string') {
      return c.json({ error: WIRE_ERRORS.screenshotRequired }, 400);
    }
    const clientId = form.clientId;
    if (typeof clientId !== 'string' || clientId.trim() === '') {
      return c.json({ error: WIRE_ERRORS.clientIdRequired }, 400);
    }
    if (!file.type.toLowerCase().startsWith('image/')) {
      return c.json({ error: WIRE_ERRORS.notImage }, 400);
    }
    if (file.size > SCREENSHOT_MAX_BYTES) {
      return c.json({ error: WIRE_ERRORS.fileTooLarge }, 400);
    }

    const client = await uploadingClient(c, deps.storage, form, clientId);
    if (client instanceof Response) return client;

    // The declared type is the sender's claim; only the bytes decide what we store and serve.
    const bytes = new Uint8Array(await file.arrayBuffer());
    const image = sniffImage(bytes);
    if (!image) return c.json({ error: WIRE_ERRORS.notImage }, 400);

    const base = publicBase(c, deps.publicUrl);
    // Everything above only reads; the write runs once per Idempotency-Key, so a replay
    // (or a retry that waited for the first attempt) stores no second file.
    return deps.guards.write(c, { route: SCREENSHOT_ROUTE, clientId: client.id }, async (tx) => {
      const fileName = await deps.files.put(client.id, image.ext, bytes);
      const screenshot = {
        fileName,
        url: storedFileUrl(base, fileName),
        fileSize: bytes.byteLength,
        width: image.width,
        height: image.height,
        mimeType: image.mimeType,
      };
      const answer = { status: 200, body: { success: true, screenshot } };
      const { url: _url, ...stored } = screenshot;
      const row = { ...stored, clientId: client.id, createdAt: new Date(tx.nowMs).toISOString() };
      return commitUpload(deps.files, fileName, answer, () => deps.storage.insertScreenshot(row, tx.remember(answer)));
    });
  };
}
