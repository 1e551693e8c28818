/**
 * Triage of reports: state, assignee, priority and labels, for one report or many at once.
 * As for states (feedback-state.ts), `updatedAt` moves strictly forward and each change is a
 * compare and set; a change's activity, notifications and e-mail are written in its
 * transaction, and a bulk change applies to every report or none.
 */
import type { FieldIssues } from '../lib/api/schemas.ts';
import type { Actor } from './auth/access.ts';
import { STATE_CHANGE_ATTEMPTS, TRIAGE_ERRORS } from './constants.ts';
import { laterThan } from './feedback-state.ts';
import { newTeamId } from './ids.ts';
import { assignedEmail } from './notify/assigned-email.ts';
import { newEmail } from './notify/email.ts';
import { updatedEvent } from './outbox/events.ts';
import { isPlausibleAddress, tellsReporters } from './notify/effects.ts';
import { doneEmail } from './notify/messages.ts';
import type { Activity, ActivityKind, Effects, FeedbackChange, Notification, Priority } from './storage/team-types.ts';
import type { Client, FeedbackRow, FeedbackState, Storage } from './storage/types.ts';

/** What to do to each report; `labels` turns its current label ids into the new ones. */
export interface TriageWant {
  state?: FeedbackState;
  assigneeId?: string | null;
  priority?: Priority;
  labels?: (current: readonly string[]) => string[];
}

/** Who changes what, where, and when. */
export interface TriageRequest {
  storage: Storage;
  client: Client;
  actor: Actor;
  nowMs: number;
  /** The inbox's root URL (ends with `/`), for the e-mail's link. */
  inboxBase: string;
  /** Called after a change queued e-mails (the sender looks at the queue then). */
  onEmailsQueued?: () => void;
  /** Called after a change was written with its outbox events (the outbox worker looks then). */
  onOutboxQueued?: () => void;
  /** The integration whose news this change is (e.g. a GitHub issue closed): it is not told back. */
  source?: string;
}

/** A report as triaged: its row and label ids after the change. */
export interface Triaged {
  row: FeedbackRow;
  labelIds: string[];
}

/**
 * Issues for references the caller may not use: an assignee who is not a member of the
 * project, labels that are not the project's. `places` name the fields as the body spells them.
 */
export async function checkReferences(
  storage: Storage,
  clientId: string,
  refs: { assigneeId?: string | null; labels: { place: string; ids: readonly string[] }[] },
  assigneePlace: string,
): Promise<FieldIssues> {
  const issues: FieldIssues = Object.create(null) as FieldIssues;
  if (refs.assigneeId != null && !(await storage.team.getMember(clientId, refs.assigneeId))) {
    issues[assigneePlace] = [TRIAGE_ERRORS.notAMember];
  }
  if (refs.labels.some((list) => list.ids.length > 0)) {
    const own = new Set((await storage.team.listLabels(clientId)).map((label) => label.id));
    for (const list of refs.labels) {
      list.ids.forEach((id, at) => {
        if (!own.has(id)) issues[`${list.place}.${at}`] = [TRIAGE_ERRORS.notALabel];
      });
    }
  }
  return issues;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

/** One report's change and its effects, or nothing to write when it already is as wanted. */
function plan(request: TriageRequest, row: FeedbackRow, labelIds: readonly string[], want: TriageWant) {
  const updatedAt = laterThan(request.nowMs, row.updatedAt);
  const change: FeedbackChange = { clientId: row.clientId, id: row.id, updatedAt, previousUpdatedAt: row.updatedAt };
  const activity: Activity[] = [];
  const log = (kind: ActivityKind, data: Record<string, unknown>) =>
    activity.push({
      id: newTeamId('activity'),
      clientId: row.clientId,
      feedbackId: row.id,
      actorId: request.actor.id,
      actorLabel: request.actor.label,
      kind,
      data,
      createdAt: updatedAt,
    });
  if (want.state !== undefined && want.state !== row.state) {
    change.state = want.state;
    log('state', { from: row.state, to: want.state });
  }
  if (want.assigneeId !== undefined && want.assigneeId !== row.assigneeId) {
    change.assigneeId = want.assigneeId;
    log('assigned', { from: row.assigneeId, to: want.assigneeId });
  }
  if (want.priority !== undefined && want.priority !== row.priority) {
    change.priority = want.priority;
    log('priority', { from: row.priority, to: want.priority });
  }
  const labels = want.labels ? [...new Set(want.labels(labelIds))].sort() : [...labelIds].sort();
  if (!sameSet(labels, labelIds)) {
    change.labelIds = labels;
    log('labelled', { added: labels.filter((id) => !labelIds.includes(id)), removed: labelIds.filter((id) => !labels.includes(id)) });
  }
  const after: Triaged = {
    row: {
      ...row,
      state: change.state ?? row.state,
      assigneeId: change.assigneeId !== undefined ? change.assigneeId : row.assigneeId,
      priority: change.priority ?? row.priority,
      updatedAt: activity.length > 0 ? updatedAt : row.updatedAt,
    },
    labelIds: labels,
  };
  const changed = (['state', 'assigneeId', 'priority', 'labelIds'] as const).filter((field) => change[field] !== undefined);
  const event = updatedEvent(row.clientId, row.id, changed, request.source ?? null, updatedAt);
  return { change: activity.length > 0 ? change : undefined, activity, event, after };
}

/** The notification and e-mail of a report newly assigned to someone else than the actor. */
async function assignmentEffects(request: TriageRequest, assigned: readonly Triaged[]): Promise<Effects> {
  const assigneeId = assigned[0]?.row.assigneeId;
  if (assigneeId == null || assigneeId === request.actor.id) return {};
  const createdAt = new Date(request.nowMs).toISOString();
  const notifications: Notification[] = assigned.map(({ row }) => ({
    id: newTeamId('notification'),
    userId: assigneeId,
    clientId: row.clientId,
    feedbackId: row.id,
    kind: 'assigned',
    actorLabel: request.actor.label,
    createdAt,
    readAt: null,
  }));
  const [user] = await request.storage.team.getUsers([assigneeId]);
  if (!user) return { notifications };
  const email = assignedEmail({ to: user.email, actor: request.actor, project: request.client, reports: assigned.map((t) => t.row), inboxBase: request.inboxBase }, request.nowMs);
  return { notifications, emails: [email] };
}

/** E-mails to the reporters of reports newly done, when the project tells reporters. */
function doneEmails(request: TriageRequest, done: readonly Triaged[]): Effects {
  if (!tellsReporters(request.client)) return {};
  const to = done.filter(({ row }) => isPlausibleAddress(row.userEmail));
  return { emails: to.map(({ row }) => newEmail(doneEmail(row.userEmail!, { projectName: request.client.name, feedback: row }), request.nowMs)) };
}

/**
 * Applies `want` to the client's reports `ids`, all or none: `{missing}` when some id is not
 * one of the client's reports (nothing written), else each report as it now is, in order.
 */
export async function triage(
  request: TriageRequest,
  ids: readonly string[],
  want: TriageWant,
): Promise<{ ok: true; items: Triaged[] } | { ok: false; missing: number[] }> {
  const { storage, client } = request;
  for (let attempt = 0; attempt < STATE_CHANGE_ATTEMPTS; attempt++) {
    const rows = await Promise.all(ids.map((id) => storage.getFeedback(id)));
    const missing = rows.flatMap((row, at) => (row && row.clientId === client.id ? [] : [at]));
    if (missing.length > 0) return { ok: false, missing };
    const labels = await storage.team.labelsOf(ids);
    const plans = (rows as FeedbackRow[]).map((row) => plan(request, row, labels.get(row.id) ?? [], want));
    const changes = plans.flatMap((p) => (p.change ? [p.change] : []));
    if (changes.length === 0) return { ok: true, items: plans.map((p) => p.after) };
    const assigned = plans.filter((p) => p.change?.assigneeId != null).map((p) => p.after);
    const done = plans.filter((p) => p.change?.state === 'done').map((p) => p.after);
    const assignment = await assignmentEffects(request, assigned);
    const emails = [...(assignment.emails ?? []), ...(doneEmails(request, done).emails ?? [])];
    const effects: Effects = {
      activity: plans.flatMap((p) => p.activity),
      notifications: assignment.notifications,
      emails,
      events: plans.flatMap((p) => (p.change ? [p.event] : [])),
    };
    const applied =
      changes.length === 1 ? await storage.team.changeFeedback(changes[0]!, effects) : await storage.team.changeFeedbacks(changes, effects);
    if (applied) {
      if (emails.length > 0) request.onEmailsQueued?.();
      request.onOutboxQueued?.();
      return { ok: true, items: plans.map((p) => p.after) };
    }
  }
  throw new Error(`Feedback kept changing under ${STATE_CHANGE_ATTEMPTS} attempts to triage it`);
}
