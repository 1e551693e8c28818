/** Turns a report from the panel into API calls: screenshots first, then the feedback. */
import { ApiError, postFeedback, uploadScreenshot } from '../api/client';
import { parseFeedback, type FeedbackInput } from '../api/schemas';
import { MessageError, type MessageRequest } from '../messaging/protocol';
import type { Settings } from '../settings';
import { STRINGS } from '../strings';
import { buildMetadata, type WorkerContext } from './metadata';
import { redactUrl } from './redact';

/** A report as the panel hands it over. */
export type Draft = MessageRequest<'feedback:send'>;

/** Decodes a `data:` URL into a Blob without `fetch` (the worker's fetch is for the API only). */
export function dataUrlToBlob(dataUrl: string): Blob {
  const [header, base64 = ''] = dataUrl.split(',', 2);
  const mimeType = header?.match(/^data:([^;]+)/)?.[1] ?? 'application/octet-stream';
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: mimeType });
}

/** The feedback body for a draft: blank `environment` and `userEmail` omitted, URLs without secrets. */
export function buildFeedback(
  draft: Draft,
  settings: Settings,
  worker: WorkerContext,
  screenshots: FeedbackInput['screenshots'],
): FeedbackInput {
  const comment = draft.comment.trim();
  return {
    clientId: settings.clientId,
    ...(draft.rating !== undefined && { rating: draft.rating }),
    ...(comment !== '' && { comment }),
    ...(draft.userEmail?.trim() && { userEmail: draft.userEmail.trim() }),
    pageUrl: redactUrl(draft.page.url),
    pageTitle: draft.page.title,
    referrer: redactUrl(draft.page.referrer),
    ...(settings.environment !== '' && { environment: settings.environment }),
    ...(screenshots && screenshots.length > 0 && { screenshots }),
    metadata: buildMetadata(draft.page, worker),
  };
}

/**
 * Uploads the screenshots, then the feedback. Checks the body against the shared schema
 * first, so a mistake is reported before anything is uploaded.
 */
export async function sendFeedback(draft: Draft, settings: Settings, worker: WorkerContext): Promise<string> {
  if (settings.clientId === '') throw new MessageError(STRINGS.notConfigured);
  const checked = parseFeedback(buildFeedback(draft, settings, worker, undefined));
  if (!checked.ok) throw new MessageError(checked.error.error, checked.error.issues);
  try {
    const screenshots = [];
    for (const dataUrl of draft.screenshots) {
      const png = dataUrlToBlob(dataUrl);
      screenshots.push(await uploadScreenshot(settings.serverUrl, settings.clientId, png, redactUrl(draft.page.url)));
    }
    return await postFeedback(settings.serverUrl, buildFeedback(draft, settings, worker, screenshots));
  } catch (error) {
    if (error instanceof ApiError) throw new MessageError(error.message, error.issues);
    throw error;
  }
}
