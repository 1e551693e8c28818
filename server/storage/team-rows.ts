/**
 * The team tables' rows (snake_case), as both engines return them, and their conversion to
 * the TeamStore types. Booleans come back as 0/1 from SQLite and as booleans from PostgreSQL.
 */
import type {
  Activity,
  ActivityKind,
  Comment,
  Label,
  Membership,
  Notification,
  NotificationKind,
  OneTimeToken,
  QueuedEmail,
  Role,
  Session,
  TokenPurpose,
  User,
} from './team-types.ts';

type Flag = number | boolean;

/** A `users` row. */
export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  server_owner: Flag;
  created_at: string;
}

/** A user as TeamStore hands it out. */
export function toUser(r: UserRecord): User {
  return { id: r.id, email: r.email, name: r.name, passwordHash: r.password_hash, serverOwner: Boolean(r.server_owner), createdAt: r.created_at };
}

/** A `sessions` row. */
export interface SessionRecord {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** A session as TeamStore hands it out. */
export function toSession(r: SessionRecord): Session {
  return { idHash: r.id_hash, userId: r.user_id, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at };
}

/** A `one_time_tokens` row. */
export interface TokenRecord {
  token_hash: string;
  purpose: TokenPurpose;
  user_id: string | null;
  client_id: string | null;
  role: Role | null;
  email: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A one-time token as TeamStore hands it out. */
export function toToken(r: TokenRecord): OneTimeToken {
  return {
    tokenHash: r.token_hash,
    purpose: r.purpose,
    userId: r.user_id,
    clientId: r.client_id,
    role: r.role,
    email: r.email,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

/** A `memberships` row. */
export interface MembershipRecord {
  client_id: string;
  user_id: string;
  role: Role;
  notify_new_reports: Flag;
  created_at: string;
}

/** A membership as TeamStore hands it out. */
export function toMembership(r: MembershipRecord): Membership {
  return { clientId: r.client_id, userId: r.user_id, role: r.role, notifyNewReports: Boolean(r.notify_new_reports), createdAt: r.created_at };
}

/** A `labels` row. */
export interface LabelRecord {
  id: string;
  client_id: string;
  name: string;
  color: string;
  created_at: string;
}

/** A label as TeamStore hands it out. */
export function toLabel(r: LabelRecord): Label {
  return { id: r.id, clientId: r.client_id, name: r.name, color: r.color, createdAt: r.created_at };
}

/** A `comments` row. */
export interface CommentRecord {
  id: string;
  client_id: string;
  feedback_id: string;
  author_id: string;
  body: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A comment as TeamStore hands it out. */
export function toComment(r: CommentRecord): Comment {
  return {
    id: r.id,
    clientId: r.client_id,
    feedbackId: r.feedback_id,
    authorId: r.author_id,
    body: r.body,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

/** An `activity` row. */
export interface ActivityRecord {
  id: string;
  client_id: string;
  feedback_id: string;
  actor_id: string | null;
  actor_label: string;
  kind: ActivityKind;
  data: string;
  created_at: string;
}

/** An activity entry as TeamStore hands it out, its data parsed. */
export function toActivity(r: ActivityRecord): Activity {
  return {
    id: r.id,
    clientId: r.client_id,
    feedbackId: r.feedback_id,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    kind: r.kind,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at,
  };
}

/** A `notifications` row. */
export interface NotificationRecord {
  id: string;
  user_id: string;
  client_id: string;
  feedback_id: string;
  kind: NotificationKind;
  actor_label: string;
  created_at: string;
  read_at: string | null;
}

/** A notification as TeamStore hands it out. */
export function toNotification(r: NotificationRecord): Notification {
  return {
    id: r.id,
    userId: r.user_id,
    clientId: r.client_id,
    feedbackId: r.feedback_id,
    kind: r.kind,
    actorLabel: r.actor_label,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

/** An `email_queue` row. */
export interface EmailRecord {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string | null;
  sent_at: string | null;
  last_error: string | null;
  locked_until: string | null;
}

/** A queued e-mail as TeamStore hands it out. */
export function toEmail(r: EmailRecord): QueuedEmail {
  return {
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    lastError: r.last_error,
  };
}
