/**
 * The rows a change writes besides itself (server/storage/team-types.ts Effects): its activity
 * entry, the in-app notifications and the queued e-mails. Decided here, written by the
 * storage in the same transaction as the change. Nobody is notified of their own action.
 */
import type { Actor } from '../auth/access.ts';
import { newTeamId } from '../ids.ts';
import type { Activity, Comment, Effects, Membership, Notification, NotificationKind, TeamStore, User } from '../storage/team-types.ts';
import type { Client, FeedbackRow, FeedbackState } from '../storage/types.ts';
import { newEmail } from './email.ts';
import { findMentions } from './mentions.ts';
import { mentionEmail, newReportEmail } from './messages.ts';

/** A member with the person behind the membership. */
export interface ProjectPerson {
  membership: Membership;
  user: User;
}

/** The project's members who still have an account, oldest member first. */
export async function projectPeople(team: TeamStore, clientId: string): Promise<ProjectPerson[]> {
  const members = await team.listMembers(clientId);
  const users = new Map((await team.getUsers(members.map((m) => m.userId))).map((user) => [user.id, user]));
  return members.flatMap((membership) => {
    const user = users.get(membership.userId);
    return user ? [{ membership, user }] : [];
  });
}

/** What every effect is written about. */
export interface EffectContext {
  projectName: string;
  feedback: FeedbackRow;
  /** Base of links to the inbox: the server's public URL, else the request's origin. */
  base: string;
  nowMs: number;
}

function activity(ctx: EffectContext, actor: Actor, kind: Activity['kind'], data: Record<string, unknown>): Activity {
  return {
    id: newTeamId('activity'),
    clientId: ctx.feedback.clientId,
    feedbackId: ctx.feedback.id,
    actorId: actor.id,
    actorLabel: actor.label,
    kind,
    data,
    createdAt: new Date(ctx.nowMs).toISOString(),
  };
}

function notification(ctx: EffectContext, userId: string, kind: NotificationKind, actorLabel: string): Notification {
  return {
    id: newTeamId('notification'),
    userId,
    clientId: ctx.feedback.clientId,
    feedbackId: ctx.feedback.id,
    kind,
    actorLabel,
    createdAt: new Date(ctx.nowMs).toISOString(),
    readAt: null,
  };
}

// A notification and e-mail to each member `body` mentions, but its author and those `before` already mentioned.
function mentionEffects(ctx: EffectContext, body: string, actor: Actor, authorId: string, people: readonly ProjectPerson[], before = ''): Effects {
  const others = people.map((p) => p.user).filter((user) => user.id !== authorId);
  const already = new Set(findMentions(before, others).map((user) => user.id));
  const mentioned = findMentions(body, others).filter((user) => !already.has(user.id));
  return {
    notifications: mentioned.map((user) => notification(ctx, user.id, 'mentioned', actor.label)),
    emails: mentioned.map((user) => newEmail(mentionEmail(user.email, { ...ctx, actorLabel: actor.label, body }), ctx.nowMs)),
  };
}

/** A new comment: its 'commented' entry, and a notification and e-mail to each member it mentions (never its author). */
export function commentEffects(ctx: EffectContext, comment: Comment, actor: Actor, people: readonly ProjectPerson[]): Effects {
  return {
    activity: [activity(ctx, actor, 'commented', { commentId: comment.id })],
    ...mentionEffects(ctx, comment.body, actor, comment.authorId, people),
  };
}

/** An edited comment: a notification and e-mail to each member it mentions now and did not before. */
export function commentEditEffects(ctx: EffectContext, before: Comment, body: string, actor: Actor, people: readonly ProjectPerson[]): Effects {
  return mentionEffects(ctx, body, actor, before.authorId, people, before.body);
}

/** A new report: a notification and e-mail to each member who turned them on for the project. */
export function newReportEffects(ctx: EffectContext, people: readonly ProjectPerson[]): Effects {
  const wanting = people.filter((p) => p.membership.notifyNewReports).map((p) => p.user);
  return {
    notifications: wanting.map((user) => notification(ctx, user.id, 'new_report', 'Reporter')),
    emails: wanting.map((user) => newEmail(newReportEmail(user.email, ctx), ctx.nowMs)),
  };
}

// A reporter's e-mail is whatever the page sent: queue only what could be an address.
const PLAUSIBLE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

/** Whether `text` could be an e-mail address worth sending to. */
export function isPlausibleAddress(text: string | null): text is string {
  return text !== null && text.length <= 254 && PLAUSIBLE_ADDRESS.test(text);
}

/** Whether the project e-mails a reporter when their report is done (off unless an owner turned it on). */
export function tellsReporters(client: Client): boolean {
  // Read loosely: the setting is the projects API's (team-auth) to store on the client.
  return (client as Client & { notifyReporterOnDone?: boolean }).notifyReporterOnDone === true;
}
