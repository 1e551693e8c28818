/** The worker's HTTP client for the ingest API; the only code that calls `fetch`. */
import {
  errorBodySchema,
  feedbackSuccessSchema,
  screenshotSuccessSchema,
  type FeedbackInput,
  type FieldIssues,
  type ScreenshotRef,
} from './schemas';
import { STRINGS } from '../strings';

/** A request that failed: the server's words (or ours when it could not be reached). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly issues?: FieldIssues,
  ) {
    super(message);
  }
}

async function request(serverUrl: string, path: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, { ...init, credentials: 'omit' });
  } catch {
    throw new ApiError(STRINGS.unreachable(serverUrl), 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body;
  const error = errorBodySchema.safeParse(body);
  throw error.success
    ? new ApiError(error.data.error, response.status, error.data.issues)
    : new ApiError(STRINGS.serverAnswered(response.status), response.status);
}

/** POST /api/screenshots: uploads one PNG, returns the object to put in `screenshots`. */
export async function uploadScreenshot(
  serverUrl: string,
  clientId: string,
  png: Blob,
  pageUrl: string,
): Promise<ScreenshotRef> {
  const form = new FormData();
  form.set('clientId', clientId);
  // Not in the published contract: lets an allowlisting server judge the page, not the extension.
  form.set('pageUrl', pageUrl);
  form.set('screenshot', png, 'screenshot.png');
  const body = await request(serverUrl, '/api/screenshots', { method: 'POST', body: form });
  const parsed = screenshotSuccessSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(STRINGS.unexpectedAnswer, 200);
  return parsed.data.screenshot;
}

/** POST /api/feedback: creates the feedback item, returns its id. */
export async function postFeedback(serverUrl: string, feedback: FeedbackInput): Promise<string> {
  const body = await request(serverUrl, '/api/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(feedback),
  });
  const parsed = feedbackSuccessSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(STRINGS.unexpectedAnswer, 200);
  return parsed.data.feedbackId;
}
