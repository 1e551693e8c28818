/** New rows as the server stores them: ids and times are chosen here, above the storage engine. */
import { PRIORITIES, type Priority } from '../lib/feedback/form-fields.ts';
import { newClientId, newFeedbackId, newReplayId } from './ids.ts';
import type { Client, FeedbackRow, NewClient, NewFeedback, NewReplay, ReplayRow, ScreenshotRow } from './storage/types.ts';

/** A new project with a fresh id, created at `nowMs`; no origins listed means every origin. */
export function newClientRow(input: NewClient, nowMs: number): Client {
  return {
    id: newClientId(),
    name: input.name,
    allowedOrigins: [...(input.allowedOrigins ?? [])],
    notifyReporterOnDone: false,
    createdAt: new Date(nowMs).toISOString(),
  };
}

/** The priority a report starts with: the form's `metadata.priority` when it is one, else `neutral`. */
function priorityOf(metadata: Record<string, unknown> | null): Priority {
  const asked = metadata?.priority;
  return (PRIORITIES as readonly unknown[]).includes(asked) ? (asked as Priority) : 'neutral';
}

/**
 * A submission as a new item: state `new`, a fresh id, created and updated at `nowMs`. Every
 * field is named rather than spread from `input`: spreading its fourteen took longer than the
 * rest of this function (about 8 µs of an ingest request's ~200).
 */
export function newFeedbackRow(input: NewFeedback, nowMs: number): FeedbackRow {
  const at = new Date(nowMs).toISOString();
  return {
    id: newFeedbackId(),
    clientId: input.clientId,
    rating: input.rating,
    comment: input.comment,
    userEmail: input.userEmail,
    pageUrl: input.pageUrl,
    pageTitle: input.pageTitle,
    referrer: input.referrer,
    environment: input.environment,
    screenshots: input.screenshots,
    metadata: input.metadata,
    sessionReplayId: input.sessionReplayId,
    replayOffsetMs: input.replayOffsetMs,
    state: 'new',
    assigneeId: null,
    priority: priorityOf(input.metadata),
    userAgent: input.userAgent,
    origin: input.origin,
    createdAt: at,
    updatedAt: at,
  };
}

/** A checked replay upload as a new row with a fresh id, created at `nowMs`. */
export function newReplayRow(input: NewReplay, nowMs: number): ReplayRow {
  return { ...input, id: newReplayId(), createdAt: new Date(nowMs).toISOString() };
}

/** A checked screenshot upload as a new row (its file name is its id), created at `nowMs`. */
export function newScreenshotRow(input: Omit<ScreenshotRow, 'createdAt'>, nowMs: number): ScreenshotRow {
  return { ...input, createdAt: new Date(nowMs).toISOString() };
}
