/**
 * The team side's storage boundary: people, sessions, one-time tokens, project members,
 * labels, comments, the activity log, in-app notifications and the e-mail queue. Every
 * engine implements it (`Storage.team`); the contract suite runs against each. As in
 * types.ts, the caller makes ids and times; timestamps are ISO 8601 UTC strings.
 */
import type { OutboxEvent } from './outbox-types.ts';

/** A person who signs in to the inbox. */
export interface User {
  /** `usr_` and random url-safe characters. */
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string | null;
  /** An argon2id PHC string (server/auth/passwords.ts), or `null` for link/OIDC-only accounts. */
  passwordHash: string | null;
  /** The server's owner: owner of every project, may create projects and users. */
  serverOwner: boolean;
  createdAt: string;
}

/** A signed-in browser. The cookie holds the token; only its SHA-256 is stored. */
export interface Session {
  /** base64url SHA-256 of the cookie's token. */
  idHash: string;
  userId: string;
  /** Sent back by the inbox in `X-CSRF-Token` on every state-changing request. */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** What a project member may do: owner (settings, members, keys), member (triage, comment), viewer (read). */
export type Role = 'owner' | 'member' | 'viewer';

/** One person's place in one project. */
export interface Membership {
  clientId: string;
  userId: string;
  role: Role;
  /** E-mail on each new report of this project. */
  notifyNewReports: boolean;
  createdAt: string;
}

/** What a one-time token is for. */
export type TokenPurpose = 'sign_in' | 'password_reset' | 'invitation';

/** A one-time, expiring token (sign-in link, password reset, invitation). Only its SHA-256 is stored. */
export interface OneTimeToken {
  /** base64url SHA-256 of the token. */
  tokenHash: string;
  purpose: TokenPurpose;
  /** Who it signs in (sign_in, password_reset); `null` for an invitation. */
  userId: string | null;
  /** The project an invitation joins. */
  clientId: string | null;
  /** The role an invitation grants. */
  role: Role | null;
  /** The address an e-mailed invitation was sent to (any address may use a link invitation). */
  email: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** How urgent a report is; `neutral` unless the report's `metadata.priority` or a member says otherwise. */
export type Priority = 'urgent' | 'high' | 'neutral' | 'low';

/** A project's label. */
export interface Label {
  /** `lbl_` and random url-safe characters. */
  id: string;
  clientId: string;
  /** Unique in its project, case-insensitively. */
  name: string;
  /** `#rrggbb`. */
  color: string;
  createdAt: string;
}

/** A triage change as the caller decided it; absent fields stay as they are. */
export interface FeedbackChange {
  clientId: string;
  id: string;
  state?: 'new' | 'in_progress' | 'done';
  assigneeId?: string | null;
  priority?: Priority;
  /** The item's whole label set after the change. */
  labelIds?: readonly string[];
  /** The new time, strictly later than `previousUpdatedAt`. */
  updatedAt: string;
  /** The time the caller read; the change applies only if the item is still at it. */
  previousUpdatedAt: string;
}

/** A comment on a report. */
export interface Comment {
  /** `cmt_` and random url-safe characters. */
  id: string;
  clientId: string;
  feedbackId: string;
  authorId: string;
  /** Markdown source, as written (rendered safely by the inbox). */
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Set when its author deleted it; a deleted comment keeps its place with no body. */
  deletedAt: string | null;
}

/** What happened to a report. */
export type ActivityKind = 'created' | 'state' | 'assigned' | 'labelled' | 'priority' | 'commented';

/** One entry of a report's activity log. */
export interface Activity {
  /** `act_` and random url-safe characters. */
  id: string;
  clientId: string;
  feedbackId: string;
  /** The user who did it, or `null` for the reporter (created) and tools (admin token, project key). */
  actorId: string | null;
  /** Who did it, as shown: a user's name or e-mail, "Reporter", or the key's name. */
  actorLabel: string;
  kind: ActivityKind;
  /** What changed, e.g. `{from: "new", to: "done"}`; JSON-serialisable. */
  data: Record<string, unknown>;
  createdAt: string;
}

/** Why someone is notified. */
export type NotificationKind = 'new_report' | 'assigned' | 'mentioned';

/** An in-app notification (the inbox's bell). */
export interface Notification {
  /** `ntf_` and random url-safe characters. */
  id: string;
  userId: string;
  clientId: string;
  feedbackId: string;
  kind: NotificationKind;
  /** Who caused it, as shown. */
  actorLabel: string;
  createdAt: string;
  readAt: string | null;
}

/** An e-mail waiting in, or sent from, the durable queue. */
export interface QueuedEmail {
  /** `eml_` and random url-safe characters. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string;
  /** Tries so far. */
  attempts: number;
  /** When it may be tried (again); `null` once sent or given up. */
  nextAttemptAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

/** Rows written in the same transaction as the change they record, so a crash keeps both or neither. */
export interface Effects {
  activity?: readonly Activity[];
  notifications?: readonly Notification[];
  emails?: readonly QueuedEmail[];
  /** The change as the project's webhooks and trackers will be told of it (server/outbox). */
  events?: readonly OutboxEvent[];
}

/** A label on a report (a `feedback_labels` row). */
export interface FeedbackLabel {
  feedbackId: string;
  labelId: string;
}

/** The team tables an export carries (server/transfer) and their rows. Sessions stay behind: people sign in again. */
export interface TeamRows {
  users: User;
  memberships: Membership;
  oneTimeTokens: OneTimeToken;
  labels: Label;
  feedbackLabels: FeedbackLabel;
  comments: Comment;
  activity: Activity;
  notifications: Notification;
  emailQueue: QueuedEmail;
}

/** One of the team tables an export carries. */
export type TeamTable = keyof TeamRows;

/** The team side's operations. */
export interface TeamStore {
  /** Stores a user; `false` (nothing written) when the e-mail is taken. */
  insertUser(user: User): Promise<boolean>;
  getUser(id: string): Promise<User | undefined>;
  /** By lower-cased e-mail. */
  getUserByEmail(email: string): Promise<User | undefined>;
  /** The users with these ids that exist, in no particular order. */
  getUsers(ids: readonly string[]): Promise<User[]>;
  /** Every user, oldest first (ties by id). */
  listUsers(): Promise<User[]>;
  /** Sets (or clears) a user's password hash and deletes every session of theirs. */
  setPasswordHash(userId: string, passwordHash: string | null): Promise<void>;

  insertSession(session: Session): Promise<void>;
  /** The session with this hash unless it expired at or before `nowIso`. */
  getSession(idHash: string, nowIso: string): Promise<Session | undefined>;
  deleteSession(idHash: string): Promise<void>;

  insertToken(token: OneTimeToken): Promise<void>;
  /**
   * Marks the token used at `nowIso` and returns it, when it has this purpose, is unused and
   * expires after `nowIso`; else `undefined` (so two uses at once: one wins).
   */
  useToken(tokenHash: string, purpose: TokenPurpose, nowIso: string): Promise<OneTimeToken | undefined>;
  /** The token, used or not, or `undefined`. */
  getToken(tokenHash: string): Promise<OneTimeToken | undefined>;

  /** Adds a member, or changes the role of one already in (keeping `createdAt` and `notifyNewReports`). */
  putMember(member: Membership): Promise<void>;
  getMember(clientId: string, userId: string): Promise<Membership | undefined>;
  /** A project's members, oldest first (ties by user id). */
  listMembers(clientId: string): Promise<Membership[]>;
  /** The projects a user is a member of. */
  listMemberships(userId: string): Promise<Membership[]>;
  /** `false` when they were not a member. Their assignments and notifications in the project are cleared. */
  removeMember(clientId: string, userId: string): Promise<boolean>;
  setNotifyNewReports(clientId: string, userId: string, on: boolean): Promise<void>;

  /** `false` (nothing written) when the project has a label of that name (case-insensitively). */
  insertLabel(label: Label): Promise<boolean>;
  /** A project's labels by name. */
  listLabels(clientId: string): Promise<Label[]>;
  /** Renames or recolours; `undefined` when absent, `false` when the new name is taken. */
  updateLabel(clientId: string, id: string, change: { name?: string; color?: string }): Promise<Label | false | undefined>;
  /** Deletes a label and takes it off every report; `false` when absent. */
  deleteLabel(clientId: string, id: string): Promise<boolean>;
  /** The label ids of each of these reports (reports without labels are absent from the map). */
  labelsOf(feedbackIds: readonly string[]): Promise<Map<string, string[]>>;

  /**
   * Applies a triage change with its effects when the item is still at `previousUpdatedAt`
   * (a compare and set, as updateFeedbackState); `false` when it is not (or is absent).
   */
  changeFeedback(change: FeedbackChange, effects: Effects): Promise<boolean>;
  /** The changes of a bulk triage with their effects, all or none: `false` (nothing written) when any item moved on. */
  changeFeedbacks(changes: readonly FeedbackChange[], effects: Effects): Promise<boolean>;

  insertComment(comment: Comment, effects: Effects): Promise<void>;
  getComment(id: string): Promise<Comment | undefined>;
  /** A report's comments, oldest first (ties by id), deleted ones included. */
  listComments(feedbackId: string): Promise<Comment[]>;
  /** Sets body and updatedAt (or deletedAt); `false` when absent or already deleted. */
  /** Edits or deletes a comment that is not deleted, with `effects` (mentions added); `false` when it is deleted or absent. */
  updateComment(id: string, change: { body?: string; updatedAt: string; deletedAt?: string }, effects?: Effects): Promise<boolean>;

  /** A report's activity, oldest first (ties by id). */
  listActivity(feedbackId: string): Promise<Activity[]>;

  /** Writes effects that belong to no other change (e.g. a new report's notifications). */
  record(effects: Effects): Promise<void>;
  /** A user's notifications, newest first, at most `limit`. */
  listNotifications(userId: string, limit: number): Promise<Notification[]>;
  countUnread(userId: string): Promise<number>;
  /** Marks these (or, with `undefined`, all) of the user's notifications read at `nowIso`. */
  markRead(userId: string, ids: readonly string[] | undefined, nowIso: string): Promise<void>;

  /**
   * Claims up to `limit` e-mails due at `nowIso` for one sender until `lockedUntilIso` (an
   * instance that dies holding one lets it go when the lock passes); oldest first.
   */
  claimEmails(nowIso: string, lockedUntilIso: string, limit: number): Promise<QueuedEmail[]>;
  /** Records a try: sent (`sentAt`), or failed with the next try's time (`null`: given up). */
  finishEmail(id: string, outcome: { sentAt: string } | { error: string; nextAttemptAt: string | null }): Promise<void>;
  /** Every e-mail of the queue, oldest first (tests and the CLI). */
  listEmails(): Promise<QueuedEmail[]>;

  /** Every row of a team table in key order, after `after` (exclusive): export's paging (server/transfer). */
  pageRows<K extends TeamTable>(table: K, after: TeamRows[K] | undefined, limit: number): Promise<TeamRows[K][]>;
  /** Stores an exported row exactly as given (import); throws when the database refuses it. */
  insertRow<K extends TeamTable>(table: K, row: TeamRows[K]): Promise<void>;
}
