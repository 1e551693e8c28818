/**
 * Moving a feedback item through its states outside the triage routes (server/triage.ts does
 * the read API's changes). The rule that `updatedAt` always moves strictly forward is made
 * here, above the storage engines, and applied with a compare and set
 * (TeamStore.changeFeedback) so that two instances changing one item at once cannot both win
 * on a stale read.
 */
import { STATE_CHANGE_ATTEMPTS } from './constants.ts';
import type { FeedbackRow, FeedbackState, Storage } from './storage/types.ts';

/**
 * The time of a change made at `nowMs` to something last changed at `previousIso`: strictly
 * later even within one millisecond (or after a clock step back), so "updated" always moves.
 */
export function laterThan(nowMs: number, previousIso: string): string {
  return new Date(Math.max(nowMs, Date.parse(previousIso) + 1)).toISOString();
}

/** Sets the state of a client's item at `nowMs`; `undefined` when the client has no item with that id. */
export async function setFeedbackState(
  storage: Storage,
  clientId: string,
  id: string,
  state: FeedbackState,
  nowMs: number,
): Promise<FeedbackRow | undefined> {
  for (let attempt = 0; attempt < STATE_CHANGE_ATTEMPTS; attempt++) {
    const current = await storage.getFeedback(id);
    if (!current || current.clientId !== clientId) return undefined;
    const updatedAt = laterThan(nowMs, current.updatedAt);
    if (await storage.team.changeFeedback({ clientId, id, state, updatedAt, previousUpdatedAt: current.updatedAt }, {})) {
      return { ...current, state, updatedAt };
    }
  }
  throw new Error(`Feedback ${id} kept changing under ${STATE_CHANGE_ATTEMPTS} attempts to set its state`);
}
