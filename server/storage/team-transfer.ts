/**
 * How the team tables' rows are written (effects of a change, import) and paged (export),
 * once for both engines as the rest of the team store is: each table's rows in key order, a page at a
 * time, converted to the TeamStore types (engine-neutral), and stored back exactly as given.
 */
import { eventInsert } from './outbox-store.ts';
import * as rows from './team-rows.ts';
import { flag, type Stmt, type TeamSql } from './team-sql.ts';
import type { Effects, TeamRows, TeamTable } from './team-types.ts';

/** How one table is read and written. */
interface TableSpec<Row> {
  table: string;
  /** Its primary key's columns: the export's order and cursor. */
  key: readonly string[];
  keyOf(row: Row): string[];
  convert(record: never): Row;
  columns: readonly string[];
  values(row: Row): unknown[];
}

const SPECS: { [K in TeamTable]: TableSpec<TeamRows[K]> } = {
  users: {
    table: 'users',
    key: ['id'],
    keyOf: (u) => [u.id],
    convert: rows.toUser,
    columns: ['id', 'email', 'name', 'password_hash', 'server_owner', 'created_at'],
    values: (u) => [u.id, u.email, u.name, u.passwordHash, flag(u.serverOwner), u.createdAt],
  },
  memberships: {
    table: 'memberships',
    key: ['client_id', 'user_id'],
    keyOf: (m) => [m.clientId, m.userId],
    convert: rows.toMembership,
    columns: ['client_id', 'user_id', 'role', 'notify_new_reports', 'created_at'],
    values: (m) => [m.clientId, m.userId, m.role, flag(m.notifyNewReports), m.createdAt],
  },
  oneTimeTokens: {
    table: 'one_time_tokens',
    key: ['token_hash'],
    keyOf: (t) => [t.tokenHash],
    convert: rows.toToken,
    columns: ['token_hash', 'purpose', 'user_id', 'client_id', 'role', 'email', 'created_by', 'created_at', 'expires_at', 'used_at'],
    values: (t) => [t.tokenHash, t.purpose, t.userId, t.clientId, t.role, t.email, t.createdBy, t.createdAt, t.expiresAt, t.usedAt],
  },
  labels: {
    table: 'labels',
    key: ['id'],
    keyOf: (l) => [l.id],
    convert: rows.toLabel,
    columns: ['id', 'client_id', 'name', 'color', 'created_at'],
    values: (l) => [l.id, l.clientId, l.name, l.color, l.createdAt],
  },
  feedbackLabels: {
    table: 'feedback_labels',
    key: ['feedback_id', 'label_id'],
    keyOf: (fl) => [fl.feedbackId, fl.labelId],
    convert: (r: { feedback_id: string; label_id: string }) => ({ feedbackId: r.feedback_id, labelId: r.label_id }),
    columns: ['feedback_id', 'label_id'],
    values: (fl) => [fl.feedbackId, fl.labelId],
  },
  comments: {
    table: 'comments',
    key: ['id'],
    keyOf: (c) => [c.id],
    convert: rows.toComment,
    columns: ['id', 'client_id', 'feedback_id', 'author_id', 'body', 'created_at', 'updated_at', 'deleted_at'],
    values: (c) => [c.id, c.clientId, c.feedbackId, c.authorId, c.body, c.createdAt, c.updatedAt, c.deletedAt],
  },
  activity: {
    table: 'activity',
    key: ['id'],
    keyOf: (a) => [a.id],
    convert: rows.toActivity,
    columns: ['id', 'client_id', 'feedback_id', 'actor_id', 'actor_label', 'kind', 'data', 'created_at'],
    values: (a) => [a.id, a.clientId, a.feedbackId, a.actorId, a.actorLabel, a.kind, JSON.stringify(a.data), a.createdAt],
  },
  notifications: {
    table: 'notifications',
    key: ['id'],
    keyOf: (n) => [n.id],
    convert: rows.toNotification,
    columns: ['id', 'user_id', 'client_id', 'feedback_id', 'kind', 'actor_label', 'created_at', 'read_at'],
    values: (n) => [n.id, n.userId, n.clientId, n.feedbackId, n.kind, n.actorLabel, n.createdAt, n.readAt],
  },
  // A sender's claim (locked_until) is not carried: on the new install the e-mail is due again.
  emailQueue: {
    table: 'email_queue',
    key: ['id'],
    keyOf: (e) => [e.id],
    convert: rows.toEmail,
    columns: ['id', 'to_address', 'subject', 'text_body', 'html_body', 'created_at', 'attempts', 'next_attempt_at', 'sent_at', 'last_error'],
    values: (e) => [e.id, e.to, e.subject, e.text, e.html, e.createdAt, e.attempts, e.nextAttemptAt, e.sentAt, e.lastError],
  },
};

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The rows of `table` after `after` (exclusive; from the start when undefined), in key order. */
export async function pageTeamRows<K extends TeamTable>(sql: TeamSql, table: K, after: TeamRows[K] | undefined, limit: number): Promise<TeamRows[K][]> {
  const spec = SPECS[table] as TableSpec<TeamRows[K]>;
  const keys = spec.key.join(', ');
  // Every key column is non-null text, and '' sorts before any of it (COLLATE "C" in PostgreSQL).
  const start = after === undefined ? spec.key.map(() => '') : spec.keyOf(after);
  const statement: Stmt = {
    sql: `SELECT * FROM ${spec.table} WHERE (${keys}) > (${marks(spec.key.length)}) ORDER BY ${keys} LIMIT ?`,
    params: [...start, limit],
  };
  return (await sql.rows<never>(statement)).map((record) => spec.convert(record));
}

/** The INSERT of one row of `table`, every column as given. */
function insertStatement<K extends TeamTable>(table: K, row: TeamRows[K]): Stmt {
  const spec = SPECS[table] as TableSpec<TeamRows[K]>;
  return { sql: `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES (${marks(spec.columns.length)})`, params: spec.values(row) };
}

/** Stores one exported row as it is; a row the database refuses (duplicate, missing reference) throws. */
export async function insertTeamRow<K extends TeamTable>(sql: TeamSql, table: K, row: TeamRows[K]): Promise<void> {
  await sql.changes(insertStatement(table, row));
}

/** The INSERTs of a change's effects. */
export function effectStatements(effects: Effects): Stmt[] {
  return [
    ...(effects.activity ?? []).map((a) => insertStatement('activity', a)),
    ...(effects.notifications ?? []).map((n) => insertStatement('notifications', n)),
    ...(effects.emails ?? []).map((e) => insertStatement('emailQueue', e)),
    ...(effects.events ?? []).map(eventInsert),
  ];
}
