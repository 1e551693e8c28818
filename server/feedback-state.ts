/**
 * Changing a feedback item (state, assignee, priority, labels). The rule that `updatedAt`
 * always moves strictly forward is made here, above the storage engines, and applied with a
 * compare and set (TeamStore.changeFeedback) so that two instances changing one item at once
 * cannot both win on a stale read; the change's effects commit with it.
 */
import { STATE_CHANGE_ATTEMPTS } from './constants.ts';
import type { Effects, FeedbackChange } from './storage/team-types.ts';
import type { FeedbackRow, FeedbackState, Storage } from './storage/types.ts';

/** What a change sets; absent fields stay as they are. */
export type FeedbackFields = Pick<FeedbackChange, 'state' | 'assigneeId' | 'priority' | 'labelIds'>;

/**
 * Applies `fields` to a client's item at `nowMs`, with the effects `effectsOf` makes from the
 * item as read and the new time (called again on each retry); returns the item as changed, or
 * `undefined` when the client has no item with that id.
 */
export async function changeFeedbackAt(
  storage: Storage,
  clientId: string,
  id: string,
  fields: FeedbackFields,
  nowMs: number,
  effectsOf: (current: FeedbackRow, updatedAt: string) => Effects = () => ({}),
): Promise<FeedbackRow | undefined> {
  for (let attempt = 0; attempt < STATE_CHANGE_ATTEMPTS; attempt++) {
    const current = await storage.getFeedback(id);
    if (!current || current.clientId !== clientId) return undefined;
    // Strictly later even within one millisecond (or after a clock step back), so "updated" always moves.
    const updatedAt = new Date(Math.max(nowMs, Date.parse(current.updatedAt) + 1)).toISOString();
    const change: FeedbackChange = { ...fields, clientId, id, updatedAt, previousUpdatedAt: current.updatedAt };
    if (await storage.team.changeFeedback(change, effectsOf(current, updatedAt))) {
      return {
        ...current,
        state: fields.state ?? current.state,
        assigneeId: fields.assigneeId === undefined ? current.assigneeId : fields.assigneeId,
        priority: fields.priority ?? current.priority,
        updatedAt,
      };
    }
  }
  throw new Error(`Feedback ${id} kept changing under ${STATE_CHANGE_ATTEMPTS} attempts to change it`);
}

/** Sets the state of a client's item at `nowMs` (with `effectsOf`'s effects); `undefined` when the client has no item with that id. */
export function setFeedbackState(
  storage: Storage,
  clientId: string,
  id: string,
  state: FeedbackState,
  nowMs: number,
  effectsOf?: (current: FeedbackRow, updatedAt: string) => Effects,
): Promise<FeedbackRow | undefined> {
  return changeFeedbackAt(storage, clientId, id, { state }, nowMs, effectsOf);
}
