/** Turns a report from the panel into an outbox entry, and an entry into API calls. */
import { ApiError, postFeedback, uploadReplay, uploadScreenshot } from '../api/client';
import { parseFeedback, type FeedbackInput } from '../api/schemas';
import { dataUrlToBytes } from '../data-url';
import { MessageError, type MessageRequest } from '../messaging/protocol';
import type { Delivered } from '../outbox/deliver';
import { reportSize, type ImageType, type NewReport, type OutboxReport, type OutboxStore, type ReplayBytes } from '../outbox/store';
import type { Settings } from '../settings';
import { STRINGS } from '../strings';
import { formMetadata } from './form-metadata';
import { buildMetadata, type WorkerContext } from './metadata';
import { redactUrl } from './redact';

/** What the recorder kept of the page when the panel opened (turned-on sites only; see lib/replay/page-link.ts). */
export type PageCapture = { context: Record<string, unknown> | null; pageData: Record<string, unknown> | null };

/** A report as the panel hands it over. */
export type Draft = MessageRequest<'feedback:send'>;

/** The fields of a report that make up the feedback body. */
type FeedbackFields = Pick<OutboxReport, 'settings' | 'rating' | 'comment' | 'userEmail' | 'page' | 'metadata'>;

/** A server without the replay route answers one of these: the feedback then goes without it. */
const NO_REPLAY_ROUTE = new Set([404, 405]);

/** The image type of a `data:` URL the protocol let through (PNG or JPEG). */
const imageTypeOf = (dataUrl: string): ImageType => (dataUrl.startsWith('data:image/jpeg') ? 'image/jpeg' : 'image/png');

/** The feedback body: blank `environment` and `userEmail` omitted, URLs without secrets. */
export function buildFeedback(
  fields: FeedbackFields,
  screenshots: FeedbackInput['screenshots'],
  replay?: { id: string; offsetMs: number },
): FeedbackInput {
  const comment = fields.comment.trim();
  const { settings, page } = fields;
  return {
    clientId: settings.clientId,
    ...(fields.rating !== undefined && { rating: fields.rating }),
    ...(comment !== '' && { comment }),
    ...(fields.userEmail?.trim() && { userEmail: fields.userEmail.trim() }),
    pageUrl: redactUrl(page.url),
    pageTitle: page.title,
    referrer: redactUrl(page.referrer),
    ...(settings.environment !== '' && { environment: settings.environment }),
    ...(screenshots && screenshots.length > 0 && { screenshots }),
    metadata: fields.metadata,
    ...(replay && { sessionReplayId: replay.id, replayOffsetMs: Math.round(replay.offsetMs) }),
  };
}

/** Throws the server's 400 locally when the fields cannot pass the shared schema. */
export function checkFeedback(fields: FeedbackFields): void {
  if (fields.settings.clientId === '') throw new MessageError(STRINGS.notConfigured);
  const checked = parseFeedback(buildFeedback(fields, undefined));
  if (!checked.ok) throw new MessageError(checked.error.error, checked.error.issues);
}

/** Builds the outbox entry for a draft (with the frozen replay, if any); the caller stores it before any network call. */
export function createReport(
  draft: Draft,
  settings: Settings,
  worker: WorkerContext,
  id: string,
  nowMs: number,
  replay?: ReplayBytes,
  captured?: PageCapture,
): NewReport {
  const context = captured?.context ?? undefined;
  const pageData = captured?.pageData ?? undefined;
  const fields = {
    settings,
    rating: draft.rating,
    comment: draft.comment,
    userEmail: draft.userEmail?.trim() || undefined,
    page: draft.page,
    metadata: buildMetadata(draft.page, worker, { screenshots: draft.screenshots, form: formMetadata(draft.form), context, pageData }),
  };
  checkFeedback(fields);
  const report = {
    ...fields,
    id,
    createdAtMs: nowMs,
    revision: 0,
    state: 'queued' as const,
    attempts: 0,
    nextAttemptAtMs: nowMs,
    screenshots: draft.screenshots.map((shot) => ({ image: dataUrlToBytes(shot.dataUrl), type: imageTypeOf(shot.dataUrl) })),
    ...(replay && { replay }),
  };
  return { ...report, sizeBytes: reportSize(report) };
}

/** Bytes the outbox must still hold: gone means the report was deleted while it was being sent. */
async function kept(bytes: Promise<ArrayBuffer | undefined>): Promise<ArrayBuffer> {
  const found = await bytes;
  if (!found) throw new Error('The report was deleted while it was being sent');
  return found;
}

/**
 * Sends one outbox entry: each screenshot and the replay not yet uploaded (read from the
 * store only then, and remembering each answer at once, so a retry never uploads it
 * twice), then the feedback. Every request carries an Idempotency-Key derived from the
 * entry, so a repeat after a lost answer is harmless. Screenshots uploaded on an earlier
 * attempt that the server refuses to link are uploaded again, once.
 */
export async function sendReport(report: OutboxReport, store: OutboxStore): Promise<Delivered> {
  const { serverUrl, clientId } = report.settings;
  const pageUrl = redactUrl(report.page.url);
  const key = (part: string) => `${report.id}.${part}.r${report.revision}`;
  const uploadedEarlier = report.screenshots.some((shot) => shot.uploaded);
  for (const [index, shot] of report.screenshots.entries()) {
    if (shot.uploaded) continue;
    const image = new Blob([await kept(store.screenshot(report.id, index))], { type: shot.type });
    shot.uploaded = await uploadScreenshot(serverUrl, clientId, image, pageUrl, key(`s${index}`));
    await store.put(report);
  }
  const replay = report.replay;
  if (replay && !replay.uploadedId && !replay.notAccepted) {
    try {
      replay.uploadedId = await uploadReplay(serverUrl, clientId, await kept(store.replay(report.id)), pageUrl, key('replay'));
    } catch (error) {
      if (!(error instanceof ApiError && NO_REPLAY_ROUTE.has(error.status))) throw error;
      replay.notAccepted = true;
    }
    await store.put(report);
  }
  const screenshots = report.screenshots.flatMap((shot) => (shot.uploaded ? [shot.uploaded] : []));
  const link = replay?.uploadedId ? { id: replay.uploadedId, offsetMs: replay.offsetMs } : undefined;
  let feedbackId: string;
  try {
    feedbackId = await postFeedback(serverUrl, buildFeedback(report, screenshots, link), key('f'));
  } catch (error) {
    if (!(uploadedEarlier && refusesScreenshots(error))) throw error;
    // The server no longer knows screenshots it accepted on an earlier attempt (it moved to
    // another address, was restored from a backup, or swept them): upload them once more,
    // under new keys, so its remembered answers for the old ones are not replayed.
    report.revision += 1;
    for (const shot of report.screenshots) delete shot.uploaded;
    await store.put(report);
    return sendReport(report, store);
  }
  return { feedbackId, replay: !replay ? 'none' : replay.notAccepted ? 'not-accepted' : 'attached' };
}

/** A 400 that names the feedback's `screenshots` field. */
const refusesScreenshots = (error: unknown) =>
  error instanceof ApiError && error.status === 400 && error.issues !== undefined && Object.hasOwn(error.issues, 'screenshots');
