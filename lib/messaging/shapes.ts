/** The data shapes the messages of lib/messaging/protocol.ts carry. */
import * as z from 'zod/mini';
import { RATINGS } from '../api/schemas';
import { FEEDBACK_TYPES, FORM_LIMITS, PRIORITIES } from '../feedback/form-fields';

export const pageContextSchema = z.object({
  url: z.string(),
  title: z.string(),
  referrer: z.string(),
  viewport: z.object({ width: z.number(), height: z.number() }),
  screen: z.object({ width: z.number(), height: z.number() }),
  devicePixelRatio: z.number(),
  language: z.string(),
  timeZone: z.string(),
});
/** What the panel knows about the page it is on. */
export type PageContext = z.infer<typeof pageContextSchema>;

/** A screenshot as the panel hands it over: flattened and encoded, and how it was made. */
export const screenshotDraftSchema = z.object({
  dataUrl: z.string().check(z.regex(/^data:image\/(png|jpeg);base64,/)),
  mode: z.enum(['visible', 'region', 'element', 'full-page', 'file']),
  /** Drawn by html2canvas because the tab could not be captured. */
  rendered: z.optional(z.boolean()),
  selector: z.optional(z.string().check(z.maxLength(2_000))),
  part: z.optional(z.object({ index: z.int().check(z.positive()), count: z.int().check(z.positive()) })),
});
/** A screenshot as the panel hands it over. */
export type ScreenshotDraft = z.infer<typeof screenshotDraftSchema>;

export const fieldIssuesSchema = z.record(z.string(), z.array(z.string()));
export const reportIdSchema = z.string().check(z.regex(/^[0-9a-f-]{36}$/));

/** What became of a report handed to the worker (see lib/outbox/deliver.ts). */
export const outcomeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('delivered'),
    id: z.string(),
    feedbackId: z.string(),
    /** Whether the replay went with it, or the server does not take replays (404/405). */
    replay: z.enum(['attached', 'not-accepted', 'none']),
  }),
  z.object({ status: z.literal('queued'), id: z.string(), error: z.string(), nextAttemptAtMs: z.number() }),
  z.object({
    status: z.literal('needs-attention'),
    id: z.string(),
    error: z.string(),
    issues: z.optional(fieldIssuesSchema),
  }),
]);

/** A waiting report as the popup lists it (no screenshot bytes). */
export const outboxEntrySchema = z.object({
  id: z.string(),
  state: z.enum(['queued', 'sending', 'needs-attention']),
  attempts: z.number(),
  nextAttemptAtMs: z.number(),
  createdAtMs: z.number(),
  lastError: z.optional(z.string()),
  issues: z.optional(fieldIssuesSchema),
  clientId: z.string(),
  environment: z.string(),
  rating: z.optional(z.number()),
  comment: z.string(),
  userEmail: z.optional(z.string()),
  pageUrl: z.string(),
  pageTitle: z.string(),
  screenshotCount: z.number(),
});
/** One waiting report, for the popup. */
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

export const ratingSchema = z.int().check(z.minimum(RATINGS[0].value), z.maximum(RATINGS[3].value));

/** The form's answers beyond rating, comment and email: the feedback type, and what the type asked. */
export const formDraftSchema = z.object({
  type: z.enum(FEEDBACK_TYPES),
  title: z.optional(z.string().check(z.maxLength(FORM_LIMITS.titleMaxChars))),
  name: z.optional(z.string().check(z.maxLength(FORM_LIMITS.nameMaxChars))),
  category: z.optional(z.string().check(z.maxLength(FORM_LIMITS.categoryMaxChars))),
  priority: z.optional(z.enum(PRIORITIES)),
});


/** An rrweb event as the recorder keeps it: its time and its JSON text (the server checks the event itself). */
export const recordedEventSchema = z.object({ timestamp: z.number(), json: z.string() });
/** Events from one full snapshot to the next. */
export const segmentSchema = z.object({ startMs: z.number(), events: z.array(recordedEventSchema), bytes: z.number() });
