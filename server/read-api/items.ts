/** A feedback item as the read API sends it: every field, `null` for absent ones, its replay and labels linked. */
import * as z from 'zod/mini';
import { screenshotRefSchema } from '../../lib/api/schemas.ts';
import { replayFilePath } from '../routes/replay-file.ts';
import type { FeedbackRow, ReplayRow, Storage } from '../storage/types.ts';
import { FEEDBACK_STATES, PRIORITIES, timestampSchema } from './schemas.ts';

/** A replay as an item links it: where to fetch the gzip (`GET /replays/<id>.json.gz`), and what the upload check read. */
export const itemReplaySchema = z.object({
  id: z.string(),
  url: z.string(),
  durationMs: z.number().check(z.nonnegative()),
  eventCount: z.int().check(z.nonnegative()),
});
export type ItemReplayJson = z.infer<typeof itemReplaySchema>;

/**
 * One item of `items` (and the answer of a PATCH): the stored row without what the
 * submitting request revealed about its sender (`userAgent`, `origin`), its replay and the
 * ids of its labels.
 */
export const feedbackItemSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  state: z.enum(FEEDBACK_STATES),
  assigneeId: z.nullable(z.string()),
  labelIds: z.array(z.string()),
  priority: z.enum(PRIORITIES),
  rating: z.nullable(z.int().check(z.minimum(1), z.maximum(4))),
  comment: z.nullable(z.string()),
  userEmail: z.nullable(z.string()),
  pageUrl: z.nullable(z.string()),
  pageTitle: z.nullable(z.string()),
  referrer: z.nullable(z.string()),
  environment: z.nullable(z.string()),
  screenshots: z.nullable(z.array(screenshotRefSchema)),
  metadata: z.nullable(z.record(z.string(), z.unknown())),
  sessionReplayId: z.nullable(z.string()),
  replayOffsetMs: z.nullable(z.int().check(z.nonnegative())),
  replay: z.nullable(itemReplaySchema),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type FeedbackItemJson = z.infer<typeof feedbackItemSchema>;

/** A page of a list: its items, the cursors of its neighbours (`null` at an end), and whether more follow. */
export const feedbackPageSchema = z.object({
  items: z.array(feedbackItemSchema),
  next: z.nullable(z.string()),
  previous: z.nullable(z.string()),
  has_more: z.boolean(),
});

/** The JSON of one item; `replay` only when it is stored for the same client. */
export function toItemJson(
  row: FeedbackRow,
  replay: ReplayRow | undefined,
  labelIds: readonly string[],
  baseUrl: string,
): FeedbackItemJson {
  const own = replay !== undefined && replay.clientId === row.clientId && replay.id === row.sessionReplayId;
  return {
    id: row.id,
    clientId: row.clientId,
    state: row.state,
    assigneeId: row.assigneeId,
    labelIds: [...labelIds].sort(),
    priority: row.priority,
    rating: row.rating,
    comment: row.comment,
    userEmail: row.userEmail,
    pageUrl: row.pageUrl,
    pageTitle: row.pageTitle,
    referrer: row.referrer,
    environment: row.environment,
    screenshots: row.screenshots,
    metadata: row.metadata,
    sessionReplayId: row.sessionReplayId,
    replayOffsetMs: row.replayOffsetMs,
    replay: own
      ? {
          id: replay.id,
          url: `${baseUrl}${replayFilePath(replay.id)}`,
          durationMs: replay.durationMs,
          eventCount: replay.eventCount,
        }
      : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The JSON of several items, their replays read in one query and their labels in another. */
export async function toItemsJson(
  storage: Storage,
  rows: readonly FeedbackRow[],
  baseUrl: string,
): Promise<FeedbackItemJson[]> {
  const linked = (row: FeedbackRow) => (row.sessionReplayId === null ? [] : [row.sessionReplayId]);
  const replays = new Map((await storage.getReplays([...new Set(rows.flatMap(linked))])).map((replay) => [replay.id, replay]));
  const replayOf = (row: FeedbackRow) => (row.sessionReplayId === null ? undefined : replays.get(row.sessionReplayId));
  const labels = rows.length === 0 ? new Map<string, string[]>() : await storage.team.labelsOf(rows.map((row) => row.id));
  return rows.map((row) => toItemJson(row, replayOf(row), labels.get(row.id) ?? [], baseUrl));
}
