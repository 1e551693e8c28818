/** The HTTP surface of the server: ingest routes, the read and team APIs, stored files and the small pages. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { JOIN_PATH } from '../lib/api/join-link.ts';
import { REPLAY_ERRORS, WIRE_ERRORS } from '../lib/api/schemas.ts';
import { answerHeaders } from './answer-headers.ts';
import { capBody } from './body-cap.ts';
import {
  ASSET_CACHE_MAX_AGE_SECONDS,
  CLOSE_AFTER_ANSWER,
  FEEDBACK_BODY_MAX_BYTES,
  PAGE_ASSETS,
  RATE_LIMIT_DEFAULTS,
  SERVER_ERRORS,
  UPLOAD_BUDGET_BYTES,
  UPLOAD_BUDGET_PER_ADDRESS_BYTES,
  UPLOAD_STALL_MS,
} from './constants.ts';
import { createIngestGuards } from './ingest-guards.ts';
import { DEMO_PAGE_HTML } from './pages/demo.ts';
import { createRemoteAddress } from './remote-address.ts';
import { buildInboxScript, buildInboxStyle } from './inbox/bundle.ts';
import { createAssetHandler, readPlayerFile } from './routes/assets.ts';
import type { OidcConfig } from './auth/oidc.ts';
import { createAuthRoutes } from './routes/auth.ts';
import { createFeedbackHandler } from './routes/feedback.ts';
import { createFileHandler } from './routes/files.ts';
import { createInboxPageHandler } from './routes/inbox-page.ts';
import { createJoinPageHandler } from './routes/join-page.ts';
import { createGitHubHook } from './routes/github-hook.ts';
import { createJiraHook } from './routes/jira-hook.ts';
import { createInvitationRoutes } from './routes/invitations.ts';
import { createMeRoutes } from './routes/me.ts';
import { createReplayFileHandler } from './routes/replay-file.ts';
import { createReadApi } from './routes/read-api.ts';
import { createReplayHandler } from './routes/replays.ts';
import { createScreenshotHandler } from './routes/screenshots.ts';
import type { FileStore } from './storage/files.ts';
import type { Storage } from './storage/types.ts';
import { createUploadIntake, type UploadIntakeOptions } from './upload-intake.ts';
import { createNewReportNotifier, type NewReportNotifier } from './notify/new-reports.ts';
import { createNotificationsApi } from './routes/notifications.ts';
import { buildOpenApiDocument } from './openapi/document.ts';

/** What the app is built from. */
export interface AppOptions {
  storage: Storage;
  files: FileStore;
  /** Public base URL for links to stored files; defaults to each request's own origin. */
  publicUrl?: string;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /** Ingest requests per minute per remote address; 0 is unlimited (default 120). */
  rateLimitIpPerMin?: number;
  /** Ingest writes per minute per client; 0 is unlimited (default 600). */
  rateLimitClientPerMin?: number;
  /** Reverse proxies in front whose X-Forwarded-For gives the client's address (default 0: none). */
  trustProxyHops?: number;
  /** The clock for rate limits and key expiry, in ms; defaults to Date.now (tests move it). */
  nowMs?: () => number;
  /** Decrypts project key secrets to verify the read API's JWTs (server/auth/keys.ts). */
  masterKey: Uint8Array;
  /** When set, `Authorization: Bearer <adminToken>` reads every project. */
  adminToken?: string;
  /** Whether e-mail goes out (SMTP_URL set): password resets and invitations are queued only then. */
  emailEnabled?: boolean;
  /** Where upload bodies are streamed to before they are checked and stored. */
  uploadTempDir: string;
  /** Upload intake overrides: bytes in flight (UPLOAD_BUDGET_BYTES) and the no-progress timeout (UPLOAD_STALL_MS). */
  uploads?: Partial<Omit<UploadIntakeOptions, 'tempDir' | 'remoteAddress'>>;
  /** New-report notifications after ingest; the server owns it (to wait for it when stopping), else the app makes one. */
  newReports?: NewReportNotifier;
  /** Called after a request queued e-mails: the e-mail sender looks at the queue then. */
  onEmailsQueued?: () => void;
  /** Called after a report was stored or a change written with outbox events: the outbox worker looks then. */
  onOutboxQueued?: () => void;
  /** The OpenID provider the inbox may sign in with; absent, single sign-on is off. */
  oidc?: OidcConfig;
  /** The GitHub API new tracker connections talk to; default GITHUB.defaultApiUrl. */
  githubApiUrl?: string;
}

// The contract gives each route its own "safe to retry" answer.
const FAILURE_BY_PATH: Record<string, string> = {
  '/api/screenshots': WIRE_ERRORS.uploadFailed,
  '/api/replays': REPLAY_ERRORS.uploadFailed,
};

/** Builds the Hono app; its only state is the ingest guards' in-memory limiters and in-flight keys. */
export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const remoteAddress = createRemoteAddress(options.trustProxyHops ?? 0);
  const guards = createIngestGuards({
    storage: options.storage,
    remoteAddress,
    ipPerMin: options.rateLimitIpPerMin ?? RATE_LIMIT_DEFAULTS.ipPerMin,
    clientPerMin: options.rateLimitClientPerMin ?? RATE_LIMIT_DEFAULTS.clientPerMin,
    nowMs: options.nowMs ?? Date.now,
    logError,
  });

  const newReports =
    options.newReports ??
    createNewReportNotifier({ storage: options.storage, nowMs: options.nowMs ?? Date.now, logError, onQueued: options.onEmailsQueued });

  const uploads = createUploadIntake({
    tempDir: options.uploadTempDir,
    budgetBytes: UPLOAD_BUDGET_BYTES,
    perAddressBytes: UPLOAD_BUDGET_PER_ADDRESS_BYTES,
    stallMs: UPLOAD_STALL_MS,
    remoteAddress,
    ...options.uploads,
  });

  // First of all, so that it also covers preflights, 404s and onError's answers.
  app.use('*', answerHeaders);

  // Cheap refusals first: the IP limit and the key check run before any of the body is read.
  app.post(
    '/api/feedback',
    guards.beforeBody,
    capBody({
      maxBytes: FEEDBACK_BODY_MAX_BYTES,
      onTooLarge: (c) => c.json({ error: SERVER_ERRORS.payloadTooLarge }, 413, CLOSE_AFTER_ANSWER),
    }),
    createFeedbackHandler({
      storage: options.storage,
      guards,
      publicUrl: options.publicUrl,
      onAccepted: (row, client, base) => {
        newReports.accepted(row, client, base);
        options.onOutboxQueued?.();
      },
    }),
  );

  // Uploads stream to disk through the intake, which enforces their limits as they arrive.
  app.post('/api/screenshots', guards.beforeBody, createScreenshotHandler({ ...options, guards, uploads }));
  app.post('/api/replays', guards.beforeBody, createReplayHandler({ ...options, guards, uploads }));

  // The read API: bearer token first, then the project; CORS as above (Authorization, PATCH).
  const readApiOptions = {
    storage: options.storage,
    masterKey: options.masterKey,
    adminToken: options.adminToken,
    nowMs: options.nowMs ?? Date.now,
    publicUrl: options.publicUrl,
    remoteAddress,
    emailEnabled: options.emailEnabled ?? false,
    onEmailsQueued: options.onEmailsQueued,
    onOutboxQueued: options.onOutboxQueued,
    logError,
    githubApiUrl: options.githubApiUrl,
  };
  app.route('/api/projects', createReadApi(readApiOptions));
  // People: signing in, themselves, their notifications, invitations (docs/team-api.md).
  app.route('/api/auth', createAuthRoutes({ ...readApiOptions, oidc: options.oidc }));
  app.route('/api/me/notifications', createNotificationsApi(readApiOptions));
  app.route('/api/me', createMeRoutes(readApiOptions));
  app.route('/api/invitations', createInvitationRoutes(readApiOptions));
  // The trackers' own webhooks of a connection: signed by the tracker, no session or key.
  app.route('/api/integrations', createGitHubHook(readApiOptions));
  app.route('/api/integrations', createJiraHook(readApiOptions));

  app.get('/files/:clientId/:name', createFileHandler(options.storage, options.files));
  app.get('/replays/:name', createReplayFileHandler(options.storage, options.files));
  // The inbox: one shell page that signs in and then reads everything through the read API.
  app.get('/feedback/:id', createInboxPageHandler('../'));
  const { playerScript, playerStyle, inboxScript, inboxStyle } = PAGE_ASSETS;
  app.get(playerScript.path, createAssetHandler(playerScript.type, () => readPlayerFile(playerScript.distFile)));
  app.get(playerStyle.path, createAssetHandler(playerStyle.type, () => readPlayerFile(playerStyle.distFile)));
  app.get(inboxScript.path, createAssetHandler(inboxScript.type, buildInboxScript));
  app.get(inboxStyle.path, createAssetHandler(inboxStyle.type, buildInboxStyle));

  app.get('/', createInboxPageHandler('./'));
  app.get('/settings', createInboxPageHandler('./'));
  app.get('/demo', (c) => c.html(DEMO_PAGE_HTML));
  // What a reporter invite link opens; the extension's popup recognises its address.
  app.get(JOIN_PATH, createJoinPageHandler(options.storage, options.publicUrl));
  // The API's description, made once per app (it changes only with the code and the public URL).
  const openApiJson = JSON.stringify(buildOpenApiDocument({ publicUrl: options.publicUrl }));
  app.get('/openapi.json', (c) =>
    c.body(openApiJson, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': `public, max-age=${ASSET_CACHE_MAX_AGE_SECONDS}` }),
  );
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Ready to take traffic: the database answers and the file store is readable and writable.
  app.get('/readyz', async (c) => {
    const names = ['database', 'files'] as const;
    const results = await Promise.allSettled([options.storage.ping(), options.files.ping()]);
    const failed = names.filter((name, i) => {
      const result = results[i]!;
      if (result.status === 'rejected') logError(`Readiness check failed (${name}):`, result.reason);
      return result.status === 'rejected';
    });
    return failed.length === 0 ? c.json({ ok: true }) : c.json({ ok: false, failed }, 503);
  });

  app.notFound((c) => c.json({ error: SERVER_ERRORS.notFound }, 404));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    logError(`Unhandled error on ${c.req.method} ${c.req.path}:`, error);
    return c.json({ error: FAILURE_BY_PATH[c.req.path] ?? WIRE_ERRORS.internal }, 500);
  });

  return app;
}
