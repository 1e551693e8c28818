/** New rows as the server stores them: ids and times are chosen here, above the storage engine. */
import { newClientId, newFeedbackId, newReplayId } from './ids.ts';
import type { Client, FeedbackRow, NewClient, NewFeedback, NewReplay, ReplayRow, ScreenshotRow } from './storage/types.ts';

/** A new project with a fresh id, created at `nowMs`; no origins listed means every origin. */
export function newClientRow(input: NewClient, nowMs: number): Client {
  return {
    id: newClientId(),
    name: input.name,
    allowedOrigins: [...(input.allowedOrigins ?? [])],
    createdAt: new Date(nowMs).toISOString(),
  };
}

/** A submission as a new item: state `new`, a fresh id, created and updated at `nowMs`. */
export function newFeedbackRow(input: NewFeedback, nowMs: number): FeedbackRow {
  const at = new Date(nowMs).toISOString();
  return { ...input, id: newFeedbackId(), state: 'new', createdAt: at, updatedAt: at };
}

/** A checked replay upload as a new row with a fresh id, created at `nowMs`. */
export function newReplayRow(input: NewReplay, nowMs: number): ReplayRow {
  return { ...input, id: newReplayId(), createdAt: new Date(nowMs).toISOString() };
}

/** A checked screenshot upload as a new row (its file name is its id), created at `nowMs`. */
export function newScreenshotRow(input: Omit<ScreenshotRow, 'createdAt'>, nowMs: number): ScreenshotRow {
  return { ...input, createdAt: new Date(nowMs).toISOString() };
}
