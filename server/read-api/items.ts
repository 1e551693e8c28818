/** A feedback item as the read API sends it: every field, `null` for absent ones, its replay and labels linked. */
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
 * submitting request revealed about its sender (`userAgent`, `origin`), its replay and the
 * ids of its labels.
 */
export type FeedbackItemJson = Omit<FeedbackRow, 'userAgent' | 'origin'> & { replay: ItemReplayJson | null; labelIds: string[] };

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
