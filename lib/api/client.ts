/** The worker's HTTP client for the ingest API; the only code that calls `fetch`. */
import {
  errorBodySchema,
  feedbackSuccessSchema,
  replaySuccessSchema,
  screenshotSuccessSchema,
  type FeedbackInput,
  type FieldIssues,
  type ScreenshotRef,
} from './schemas';
import { parseRetryAfter } from '../outbox/retry';
import { STRINGS } from '../strings';

/** A request that has not answered by then is abandoned (and retried later). */
export const REQUEST_TIMEOUT_MS = 60_000;

/** A request that failed: the server's words (or ours when it could not be reached). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly issues?: FieldIssues,
    /** How long the server asked us to wait (Retry-After), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

async function request(serverUrl: string, path: string, idempotencyKey: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, {
      ...init,
      headers: { ...init.headers, 'Idempotency-Key': idempotencyKey },
      credentials: 'omit',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(STRINGS.unreachable(serverUrl), 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body;
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), Date.now());
  const error = errorBodySchema.safeParse(body);
  throw error.success
    ? new ApiError(error.data.error, response.status, error.data.issues, retryAfterMs)
    : new ApiError(STRINGS.serverAnswered(response.status), response.status, undefined, retryAfterMs);
}

/** POST /api/screenshots: uploads one image (PNG or JPEG), returns the object to put in `screenshots`. */
export async function uploadScreenshot(
  serverUrl: string,
  clientId: string,
  image: Blob,
  pageUrl: string,
  idempotencyKey: string,
): Promise<ScreenshotRef> {
  const form = new FormData();
  form.set('clientId', clientId);
  // Not in the published contract: lets an allowlisting server judge the page, not the extension.
  form.set('pageUrl', pageUrl);
  form.set('screenshot', image, image.type === 'image/jpeg' ? 'screenshot.jpg' : 'screenshot.png');
  const body = await request(serverUrl, '/api/screenshots', idempotencyKey, { method: 'POST', body: form });
  const parsed = screenshotSuccessSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(STRINGS.unexpectedAnswer, 200);
  return parsed.data.screenshot;
}

/** POST /api/replays (this project's route, see README): uploads gzipped rrweb events, returns the replay id. */
export async function uploadReplay(
  serverUrl: string,
  clientId: string,
  gz: ArrayBuffer,
  pageUrl: string,
  idempotencyKey: string,
): Promise<string> {
  const form = new FormData();
  form.set('clientId', clientId);
  form.set('pageUrl', pageUrl);
  form.set('replay', new Blob([gz], { type: 'application/gzip' }), 'replay.json.gz');
  const body = await request(serverUrl, '/api/replays', idempotencyKey, { method: 'POST', body: form });
  const parsed = replaySuccessSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(STRINGS.unexpectedAnswer, 200);
  return parsed.data.replay.id;
}

/** POST /api/feedback: creates the feedback item, returns its id. */
export async function postFeedback(serverUrl: string, feedback: FeedbackInput, idempotencyKey: string): Promise<string> {
  const body = await request(serverUrl, '/api/feedback', idempotencyKey, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(feedback),
  });
  const parsed = feedbackSuccessSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(STRINGS.unexpectedAnswer, 200);
  return parsed.data.feedbackId;
}
