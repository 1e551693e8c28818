/**
 * The outbox events a change writes in its own transaction (Effects.events): what the
 * project's webhooks and trackers will be told of, fanned out by the outbox worker (worker.ts).
 * A new report needs none: the worker finds reports not yet announced (feedback.created).
 */
import { newTeamId } from '../ids.ts';
import type { OutboxEvent } from '../storage/outbox-types.ts';
import type { Comment } from '../storage/team-types.ts';

/** A report's triage fields that changed, for `feedback.updated`. */
export function updatedEvent(clientId: string, feedbackId: string, changes: string[], source: string | null, at: string): OutboxEvent {
  return { id: newTeamId('event'), clientId, type: 'feedback.updated', feedbackId, commentId: null, changes, source, createdAt: at };
}

/** A comment just written, for `comment.created`. */
export function commentEvent(comment: Comment): OutboxEvent {
  return {
    id: newTeamId('event'),
    clientId: comment.clientId,
    type: 'comment.created',
    feedbackId: comment.feedbackId,
    commentId: comment.id,
    changes: [],
    source: null,
    createdAt: comment.createdAt,
  };
}
