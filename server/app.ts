/** The HTTP surface of the server: ingest routes, stored files and the small pages. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { WIRE_ERRORS } from '../lib/api/schemas.ts';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_MAX_AGE_SECONDS,
  FEEDBACK_BODY_MAX_BYTES,
  SCREENSHOT_BODY_MAX_BYTES,
  SERVER_ERRORS,
} from './constants.ts';
import { DEMO_PAGE_HTML } from './pages/demo.ts';
import { HOME_PAGE_HTML } from './pages/home.ts';
import { createFeedbackHandler } from './routes/feedback.ts';
import { createFileHandler } from './routes/files.ts';
import { createScreenshotHandler } from './routes/screenshots.ts';
import type { FileStore } from './storage/files.ts';
import type { Storage } from './storage/types.ts';

/** What the app is built from. */
export interface AppOptions {
  storage: Storage;
  files: FileStore;
  /** Public base URL for links to stored files; defaults to each request's own origin. */
  publicUrl?: string;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

// The contract gives each route its own "safe to retry" answer.
const FAILURE_BY_PATH: Record<string, string> = {
  '/api/screenshots': WIRE_ERRORS.uploadFailed,
};

// An early refusal leaves the rest of the body unread on the socket; closing the
// connection stops a keep-alive client from sending its next request into that stream.
const CLOSE_AFTER_ANSWER = { Connection: 'close' };

/** Builds the Hono app; it holds no state of its own beyond what it is given. */
export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const logError = options.logError ?? ((message, error) => console.error(message, error));

  app.use(
    '/api/*',
    cors({
      origin: '*',
      allowMethods: CORS_ALLOW_METHODS,
      allowHeaders: CORS_ALLOW_HEADERS,
      maxAge: CORS_MAX_AGE_SECONDS,
    }),
  );

  app.post(
    '/api/feedback',
    bodyLimit({
      maxSize: FEEDBACK_BODY_MAX_BYTES,
      onError: (c) => c.json({ error: SERVER_ERRORS.payloadTooLarge }, 413, CLOSE_AFTER_ANSWER),
    }),
    createFeedbackHandler(options.storage),
  );

  app.post(
    '/api/screenshots',
    // Refuse bodies far beyond one screenshot before reading them into memory.
    bodyLimit({
      maxSize: SCREENSHOT_BODY_MAX_BYTES,
      onError: (c) => c.json({ error: WIRE_ERRORS.fileTooLarge }, 400, CLOSE_AFTER_ANSWER),
    }),
    createScreenshotHandler(options),
  );

  app.get('/files/:clientId/:name', createFileHandler(options.files));

  app.get('/', (c) => c.html(HOME_PAGE_HTML));
  app.get('/demo', (c) => c.html(DEMO_PAGE_HTML));
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.notFound((c) => c.json({ error: SERVER_ERRORS.notFound }, 404));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    logError(`Unhandled error on ${c.req.method} ${c.req.path}:`, error);
    return c.json({ error: FAILURE_BY_PATH[c.req.path] ?? WIRE_ERRORS.internal }, 500);
  });

  return app;
}
