/** POST /api/feedback: validate with the shared schema, check client and allowlist, store. */
import type { Handler } from 'hono';
import { WIRE_ERRORS, parseFeedback } from '../../lib/api/schemas.ts';
import { FEEDBACK_JSON_MAX_DEPTH, SERVER_ERRORS } from '../constants.ts';
import type { IngestGuards } from '../ingest-guards.ts';
import { jsonDepthExceeds } from '../json-depth.ts';
import { newFeedbackRow } from '../new-rows.ts';
import { isOriginAllowed } from '../origin.ts';
import { screenshotRefIssues } from '../screenshot-refs.ts';
import { storableOrNull } from '../storable-text.ts';
import type { Client, FeedbackRow, Storage } from '../storage/types.ts';
import { publicBase } from './upload-form.ts';

/** The route's name in idempotency scopes. */
export const FEEDBACK_ROUTE = 'POST /api/feedback';

/** What the feedback handler needs. */
export interface FeedbackDeps {
  storage: Storage;
  guards: IngestGuards;
  /** Base of the URLs the upload routes hand out; else the request's origin (as there). */
  publicUrl?: string;
  /** Told of each report this request stored (not of a replayed answer); must return at once. */
  onAccepted?: (row: FeedbackRow, client: Client, base: string) => void;
}

/** The handler for one feedback submission (api-contract.md section 1). */
export function createFeedbackHandler({ storage, guards, publicUrl, onAccepted }: FeedbackDeps): Handler {
  return async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: WIRE_ERRORS.invalidData, issues: { body: [SERVER_ERRORS.bodyNotJson] } }, 400);
    }
    if (jsonDepthExceeds(body, FEEDBACK_JSON_MAX_DEPTH)) {
      return c.json({ error: WIRE_ERRORS.invalidData, issues: { body: [SERVER_ERRORS.bodyTooDeep] } }, 400);
    }
    const parsed = parseFeedback(body);
    if (!parsed.ok) return c.json(parsed.error, 400);
    const input = parsed.value;

    const referer = c.req.header('referer') ?? null;
    const origin = c.req.header('origin') ?? null;
    const pageUrl = input.pageUrl || referer;

    const client = await storage.getClient(input.clientId);
    // The contract lists no 404 for this route (unlike /api/screenshots): an unknown but
    // well-formed id is a field error, so it answers 400 with the issue under `clientId`.
    if (!client) {
      return c.json({ error: WIRE_ERRORS.invalidData, issues: { clientId: [SERVER_ERRORS.unknownClientId] } }, 400);
    }
    if (!isOriginAllowed(client.allowedOrigins, { origin, pageUrl, referer })) {
      return c.json({ error: WIRE_ERRORS.domainNotAllowed }, 403);
    }
    // Screenshots and metadata are stored as JSON text, where a NUL is already escaped.
    const newFeedback = {
      clientId: client.id,
      rating: input.rating ?? null,
      comment: storableOrNull(input.comment),
      userEmail: storableOrNull(input.userEmail),
      pageUrl: storableOrNull(pageUrl),
      pageTitle: storableOrNull(input.pageTitle),
      referrer: storableOrNull(input.referrer),
      environment: storableOrNull(input.environment),
      screenshots: input.screenshots ?? null,
      metadata: input.metadata ?? null,
      sessionReplayId: storableOrNull(input.sessionReplayId),
      replayOffsetMs: input.replayOffsetMs ?? null,
      userAgent: c.req.header('user-agent') ?? null,
      origin,
    };
    const base = publicBase(c, publicUrl);
    return guards.write(c, { route: FEEDBACK_ROUTE, clientId: client.id }, async (tx) => {
      // Inside the write, after a remembered answer was looked for: the refs are checked
      // against what is stored now, and a retry of a stored item must get its first answer
      // even if its screenshots were removed or the public URL changed since.
      const shotIssues = await screenshotRefIssues(storage, client.id, input.screenshots ?? [], base);
      if (shotIssues.length > 0) {
        return { answer: { status: 400, body: { error: WIRE_ERRORS.invalidData, issues: { screenshots: shotIssues } } } };
      }
      const row = newFeedbackRow(newFeedback, tx.nowMs);
      const answer = { status: 200, body: { success: true, feedbackId: row.id } };
      const earlier = await storage.insertFeedback(row, tx.remember(answer));
      if (earlier === undefined) onAccepted?.(row, client, base);
      return { answer, earlier };
    });
  };
}
