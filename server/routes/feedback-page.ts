/**
 * GET /feedback/<id>: one feedback item as a page, with its replay when it links one of the
 * same client. No login yet: the id is the key (24 random characters, never listed).
 */
import type { Handler } from 'hono';
import { FEEDBACK_PAGE_CSP, SERVER_ERRORS } from '../constants.ts';
import { escapeHtml, safeHttpUrl } from '../pages/html.ts';
import { renderFeedbackPage, type ShownScreenshot } from '../pages/feedback-page.ts';
import type { FileStore } from '../storage/files.ts';
import type { FeedbackRow, Storage } from '../storage/types.ts';

const PAGE_HEADERS = {
  'Content-Security-Policy': FEEDBACK_PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  // The URL is the only key to the page: never send it to the sites the replay loads images from.
  'Referrer-Policy': 'no-referrer',
  // Feedback changes (state) and is private: no shared caches.
  'Cache-Control': 'private, no-store',
};

// A screenshot stored here for the same client is shown from here; else its URL, if http(s).
function shownScreenshots(feedback: FeedbackRow, files: FileStore): ShownScreenshot[] {
  return (feedback.screenshots ?? []).map((shot, i) => {
    const own = shot.fileName.startsWith(`${feedback.clientId}/`) && files.resolve(shot.fileName) !== undefined;
    return { src: own ? `../files/${shot.fileName}` : safeHttpUrl(shot.url), label: `Screenshot ${i + 1}` };
  });
}

/** The handler for the feedback page; an unknown id is an HTML 404. */
export function createFeedbackPageHandler(storage: Storage, files: FileStore): Handler {
  return async (c) => {
    const feedback = await storage.getFeedback(c.req.param('id') ?? '');
    if (!feedback) {
      const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(SERVER_ERRORS.feedbackNotFound)}</title><h1>${escapeHtml(SERVER_ERRORS.feedbackNotFound)}</h1>`;
      return c.html(body, 404, PAGE_HEADERS);
    }
    const linked = feedback.sessionReplayId === null ? undefined : await storage.getReplay(feedback.sessionReplayId);
    // Another client's replay id must not pull that replay into this page.
    const replay = linked?.clientId === feedback.clientId ? linked : undefined;
    const html = renderFeedbackPage({ feedback, screenshots: shownScreenshots(feedback, files), replay });
    return c.html(html, 200, PAGE_HEADERS);
  };
}
