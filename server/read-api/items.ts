/** A feedback item as the read API sends it: every field, `null` for absent ones, its replay linked. */
import { replayFilePath } from '../routes/replay-file.ts';
import type { FeedbackRow, ReplayRow, Storage } from '../storage/types.ts';

/** A replay as an item links it: where to fetch the gzip, and what the upload check read. */
export interface ItemReplayJson {
  id: string;
  /** Absolute URL of `GET /replays/<id>.json.gz`. */
  url: string;
  durationMs: number;
  eventCount: number;
}

/**
 * One item of `items` (and the answer of a PATCH): the stored row without what the
 * submitting request revealed about its sender (`userAgent`, `origin`), and its replay.
 * Triage fields (`assigneeId`, `priority`) are not sent yet: the team API adds them with labels.
 */
export type FeedbackItemJson = Omit<FeedbackRow, 'userAgent' | 'origin' | 'assigneeId' | 'priority'> & { replay: ItemReplayJson | null };

/** The JSON of one item; `replay` only when it is stored for the same client. */
export function toItemJson(row: FeedbackRow, replay: ReplayRow | undefined, baseUrl: string): FeedbackItemJson {
  const own = replay !== undefined && replay.clientId === row.clientId && replay.id === row.sessionReplayId;
  return {
    id: row.id,
    clientId: row.clientId,
    state: row.state,
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

/** The JSON of several items, their replays read in one query. */
export async function toItemsJson(
  storage: Storage,
  rows: readonly FeedbackRow[],
  baseUrl: string,
): Promise<FeedbackItemJson[]> {
  const linked = (row: FeedbackRow) => (row.sessionReplayId === null ? [] : [row.sessionReplayId]);
  const replays = new Map((await storage.getReplays([...new Set(rows.flatMap(linked))])).map((replay) => [replay.id, replay]));
  const replayOf = (row: FeedbackRow) => (row.sessionReplayId === null ? undefined : replays.get(row.sessionReplayId));
  return rows.map((row) => toItemJson(row, replayOf(row), baseUrl));
}
