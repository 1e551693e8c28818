/**
 * The ingest wire contract (api-contract.md section 1), shared by the extension's
 * client and the server so that the two cannot drift. Field names and messages are exact.
 */
import * as z from 'zod/mini';

/** Error strings the hosted service answers with; ours must be byte-identical. */
export const WIRE_ERRORS = {
  invalidData: 'Invalid data provided',
  metadataTooLarge: 'Metadata too large (max 10KB)',
  domainNotAllowed: 'Domain not allowed',
  internal: 'Internal server error',
  screenshotRequired: 'Screenshot file is required',
  clientIdRequired: 'Client ID is required',
  notImage: 'File must be an image',
  fileTooLarge: 'File too large (max 10MB)',
  invalidClientId: 'Invalid client ID',
  uploadFailed: 'Failed to upload screenshot',
} as const;

/** An uploaded replay may be at most this many bytes, compressed (as sent). */
export const REPLAY_MAX_BYTES = 20 * 1024 * 1024;
/** A replay's events may be at most this many bytes of JSON once decompressed. */
export const REPLAY_MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
/**
 * A replay may hold at most this many events. The recorder sends tens a second at most
 * (mutations merged per frame, mouse moves sampled, see bench/RESULTS.md: 42 events in a busy
 * 30 s window), so even a 300 s window stays far below; the cap bounds the check's CPU.
 */
export const REPLAY_MAX_EVENTS = 200_000;
/** Longest replay id, as `sessionReplayId` on a feedback allows. */
export const REPLAY_ID_MAX_CHARS = 128;

/**
 * Answers of POST /api/replays, which this project defines (the hosted service does not
 * publish its upload route); the shapes follow POST /api/screenshots.
 */
export const REPLAY_ERRORS = {
  replayRequired: 'Replay file is required',
  fileTooLarge: `File too large (max ${REPLAY_MAX_BYTES / 1024 / 1024}MB)`,
  notGzip: 'Replay must be gzip-compressed',
  corruptGzip: 'Replay gzip data is truncated or corrupt',
  tooLargeUnpacked: `Replay too large (max ${REPLAY_MAX_UNPACKED_BYTES / 1024 / 1024}MB unpacked)`,
  tooManyEvents: `Replay has too many events (max ${REPLAY_MAX_EVENTS})`,
  trailingBytes: 'Replay has bytes after the end of its gzip data',
  notJson: 'Replay must be JSON (UTF-8)',
  notArray: 'Replay must be a JSON array of rrweb events',
  notEvent: 'Replay events must be objects with a numeric type and timestamp',
  badStart: 'Replay must start with a Meta and a FullSnapshot event',
  uploadFailed: 'Failed to upload replay',
} as const;

/** Serialized metadata may hold at most this many UTF-8 bytes. */
export const METADATA_MAX_BYTES = 10 * 1024;
/** An uploaded screenshot may be at most this many bytes. */
export const SCREENSHOT_MAX_BYTES = 10 * 1024 * 1024;
/** The widget convention: at most this many screenshots per feedback. */
export const SCREENSHOTS_PER_FEEDBACK = 3;
/** Every project id starts with this. */
export const CLIENT_ID_PREFIX = 'client_';

/** The contract only fixes the prefix: hosted ids may use characters ours never do, but never spaces. */
export const CLIENT_ID_PATTERN = new RegExp(`^${CLIENT_ID_PREFIX}\\S+$`);
/** Longest environment name the extension sends (and a reporter link may name). */
export const ENVIRONMENT_MAX_CHARS = 64;
// Names other widgets use for "no environment"; sending one creates a separate inbox.
const ENVIRONMENT_PLACEHOLDERS: ReadonlySet<string> = new Set(['default', 'no-env', 'none', 'null', 'undefined']);

/** What is wrong with a trimmed environment name ('' is the default, fine): a placeholder, too long, or nothing. */
export function environmentProblem(value: string): 'placeholder' | 'tooLong' | undefined {
  if (ENVIRONMENT_PLACEHOLDERS.has(value.toLowerCase())) return 'placeholder';
  return value.length > ENVIRONMENT_MAX_CHARS ? 'tooLong' : undefined;
}

/** `https://host/path/` -> `https://host/path`: a server's base URL; undefined when not a plain http(s) URL. */
export function normaliseServerUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Ratings 1..4 and the words the panel shows for them. */
export const RATINGS = [
  { value: 1, label: 'Terrible' },
  { value: 2, label: 'Bad' },
  { value: 3, label: 'Good' },
  { value: 4, label: 'Amazing' },
] as const;

/** A project id as the contract spells it. */
export const clientIdSchema = z.string().check(
  z.startsWith(CLIENT_ID_PREFIX, { error: `Client ID must start with "${CLIENT_ID_PREFIX}"` }),
);

/** What POST /api/screenshots returns and what feedback's `screenshots` array holds. */
export const screenshotRefSchema = z.object({
  fileName: z.string().check(z.minLength(1)),
  url: z.string().check(z.minLength(1)),
  fileSize: z.number().check(z.nonnegative()),
  mimeType: z.string().check(z.minLength(1)),
  width: z.optional(z.number().check(z.nonnegative())),
  height: z.optional(z.number().check(z.nonnegative())),
});
export type ScreenshotRef = z.infer<typeof screenshotRefSchema>;

/**
 * The fields of a feedback submission; unknown keys are stripped. parseFeedback adds what a
 * schema does not say: a rating or a non-empty comment, and the metadata's size.
 */
export const feedbackFieldsSchema = z.object({
  clientId: clientIdSchema,
  rating: z.optional(
    z.int({ error: 'Rating must be a whole number from 1 to 4' }).check(
      z.minimum(1, { error: 'Rating must be from 1 to 4' }),
      z.maximum(4, { error: 'Rating must be from 1 to 4' }),
    ),
  ),
  comment: z.optional(z.string()),
  userEmail: z.optional(z.union([z.literal(''), z.email({ error: 'Invalid email address' })])),
  pageUrl: z.optional(z.string()),
  pageTitle: z.optional(z.string()),
  referrer: z.optional(z.string()),
  environment: z.optional(z.string()),
  screenshots: z.optional(
    z.array(screenshotRefSchema).check(
      z.maxLength(SCREENSHOTS_PER_FEEDBACK, { error: `At most ${SCREENSHOTS_PER_FEEDBACK} screenshots per feedback` }),
    ),
  ),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  sessionReplayId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  replayOffsetMs: z.optional(
    // A check without its own message reuses the schema's ("whole number"), wrong for -1.
    z.int({ error: 'replayOffsetMs must be a whole number' }).check(
      z.nonnegative({ error: 'replayOffsetMs must be 0 or more' }),
    ),
  ),
});

/** A feedback submission after validation: `""` email and environment dropped, unknown keys stripped. */
export type FeedbackInput = z.infer<typeof feedbackFieldsSchema>;

/** Field name -> messages, the `issues` object of a 400. */
export type FieldIssues = Record<string, string[]>;

/** The JSON error body every failing route answers with. */
export const errorBodySchema = z.object({
  error: z.string(),
  issues: z.optional(z.record(z.string(), z.array(z.string()))),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Success body of POST /api/feedback. */
export const feedbackSuccessSchema = z.object({
  success: z.literal(true),
  feedbackId: z.string().check(z.minLength(1)),
});

/** Success body of POST /api/screenshots. */
export const screenshotSuccessSchema = z.object({
  success: z.literal(true),
  screenshot: screenshotRefSchema,
});

/** What POST /api/replays returns; `id` is what feedback's `sessionReplayId` holds. */
export const replayRefSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(REPLAY_ID_MAX_CHARS)),
  url: z.string().check(z.minLength(1)),
  fileSize: z.number().check(z.nonnegative()),
  durationMs: z.number().check(z.nonnegative()),
  eventCount: z.int().check(z.nonnegative()),
});
export type ReplayRef = z.infer<typeof replayRefSchema>;

/** Success body of POST /api/replays. */
export const replaySuccessSchema = z.object({
  success: z.literal(true),
  replay: replayRefSchema,
});

/** UTF-8 size of a value once serialized as JSON. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}

const NEEDS_RATING_OR_COMMENT = 'Provide a rating or a non-empty comment';
const ZOD_DEFAULT_MESSAGE = 'Invalid input';

type Issue = z.core.$ZodIssue;

// zod/mini ships no locale, so checks without a message of their own say only "Invalid
// input": name what was expected instead, and where inside the field it went wrong.
function describeIssue(issue: Issue): string {
  const where = issue.path.length > 1 ? `${issue.path.slice(1).map(String).join('.')}: ` : '';
  if (issue.message !== ZOD_DEFAULT_MESSAGE) return `${where}${issue.message}`;
  const unit = 'origin' in issue && issue.origin === 'string' ? ' characters' : '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${where}Required`;
      return `${where}Expected ${issue.expected === 'record' ? 'an object' : `a ${issue.expected}`}`;
    case 'too_small':
      return unit && issue.minimum === 1 ? `${where}Must not be empty` : `${where}Must be at least ${issue.minimum}${unit}`;
    case 'too_big':
      return `${where}Must be at most ${issue.maximum}${unit}`;
    default:
      return `${where}Invalid value`;
  }
}

/**
 * Validates a feedback body the way the hosted service does: every failing field at once
 * under `issues`, then the metadata size. Returns the cleaned input or the 400 body.
 */
export function parseFeedback(
  body: unknown,
): { ok: true; value: FeedbackInput } | { ok: false; error: ErrorBody } {
  const result = feedbackFieldsSchema.safeParse(body, { reportInput: true });
  // No prototype: a field name such as `constructor` must find an empty slot, not Object's.
  const issues = Object.create(null) as FieldIssues;
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.length > 0 ? String(issue.path[0]) : 'body';
      (issues[field] ??= []).push(issue.path.length > 0 ? describeIssue(issue) : 'Body must be a JSON object');
    }
  }
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const hasRating = raw.rating !== undefined && raw.rating !== null;
  const hasComment = typeof raw.comment === 'string' && raw.comment.trim() !== '';
  if (!hasRating && !hasComment && !issues.body) {
    (issues.rating ??= []).push(NEEDS_RATING_OR_COMMENT);
    (issues.comment ??= []).push(NEEDS_RATING_OR_COMMENT);
  }
  if (!result.success || Object.keys(issues).length > 0) {
    return { ok: false, error: { error: WIRE_ERRORS.invalidData, issues } };
  }
  const value = result.data;
  if (value.metadata !== undefined && jsonBytes(value.metadata) > METADATA_MAX_BYTES) {
    return { ok: false, error: { error: WIRE_ERRORS.metadataTooLarge } };
  }
  // "" is how a form says "absent"; storing it would create an unnamed email/environment.
  if (value.userEmail === '') delete value.userEmail;
  if (value.environment?.trim() === '') delete value.environment;
  return { ok: true, value };
}
