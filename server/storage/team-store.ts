/**
 * The TeamStore, written once over an engine's TeamSql (team-sql.ts): SQLite and PostgreSQL
 * run the same statements. It only stores; ids, times and rules are the caller's.
 */
import * as rows from './team-rows.ts';
import { effectStatements, insertTeamRow, pageTeamRows } from './team-transfer.ts';
import { changeStatements, claimStatement, flag, type Stmt, type TeamSql } from './team-sql.ts';
import type * as T from './team-types.ts';

const q = (sql: string, ...params: unknown[]): Stmt => ({ sql, params });

/** The team store on an engine. */
export function createTeamStore(sql: TeamSql): T.TeamStore {
  const all = <R, V>(statement: Stmt, convert: (r: R) => V) => sql.rows<R>(statement).then((found) => found.map(convert));
  const one = async <R, V>(statement: Stmt, convert: (r: R) => V) => (await all(statement, convert))[0];
  const ids = (list: readonly string[]) => JSON.stringify(list);

  return {
    async insertUser(u) {
      const changed = await sql.changes(
        q(
          `INSERT INTO users (id, email, name, password_hash, server_owner, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          u.id, u.email.toLowerCase(), u.name, u.passwordHash, flag(u.serverOwner), u.createdAt,
        ),
      );
      return changed === 1;
    },
    getUser: (id) => one(q('SELECT * FROM users WHERE id = ?', id), rows.toUser),
    getUserByEmail: (email) => one(q('SELECT * FROM users WHERE email = ?', email.toLowerCase()), rows.toUser),
    getUsers: async (list) => (list.length === 0 ? [] : all(q(`SELECT * FROM users WHERE id ${sql.inJsonList}`, ids(list)), rows.toUser)),
    listUsers: () => all(q('SELECT * FROM users ORDER BY created_at, id'), rows.toUser),
    async setPasswordHash(userId, passwordHash) {
      await sql.batch(
        [q('UPDATE users SET password_hash = ? WHERE id = ?', passwordHash, userId), q('DELETE FROM sessions WHERE user_id = ?', userId)]);
    },

    async insertSession(s) {
      await sql.changes(
        q('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', s.idHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt),
      );
    },
    getSession: (idHash, nowIso) => one(q('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?', idHash, nowIso), rows.toSession),
    async deleteSession(idHash) {
      await sql.changes(q('DELETE FROM sessions WHERE id_hash = ?', idHash));
    },

    async insertToken(t) {
      await sql.changes(
        q(
          `INSERT INTO one_time_tokens (token_hash, purpose, user_id, client_id, role, email, created_by, created_at, expires_at, used_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          t.tokenHash, t.purpose, t.userId, t.clientId, t.role, t.email, t.createdBy, t.createdAt, t.expiresAt, t.usedAt,
        ),
      );
    },
    // One statement: of two uses at once, the second finds used_at set (PostgreSQL re-checks
    // the row it waited for; SQLite writes one at a time) and changes nothing.
    useToken: (tokenHash, purpose, nowIso) =>
      one(
        q(
          `UPDATE one_time_tokens SET used_at = ?
           WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING *`,
          nowIso, tokenHash, purpose, nowIso,
        ),
        rows.toToken,
      ),
    getToken: (tokenHash) => one(q('SELECT * FROM one_time_tokens WHERE token_hash = ?', tokenHash), rows.toToken),

    async putMember(m) {
      await sql.changes(
        q(
          `INSERT INTO memberships (client_id, user_id, role, notify_new_reports, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (client_id, user_id) DO UPDATE SET role = excluded.role`,
          m.clientId, m.userId, m.role, flag(m.notifyNewReports), m.createdAt,
        ),
      );
    },
    getMember: (clientId, userId) => one(q('SELECT * FROM memberships WHERE client_id = ? AND user_id = ?', clientId, userId), rows.toMembership),
    listMembers: (clientId) => all(q('SELECT * FROM memberships WHERE client_id = ? ORDER BY created_at, user_id', clientId), rows.toMembership),
    listMemberships: (userId) => all(q('SELECT * FROM memberships WHERE user_id = ? ORDER BY created_at, client_id', userId), rows.toMembership),
    removeMember: (clientId, userId) =>
      sql.batch(
        [
          { ...q('DELETE FROM memberships WHERE client_id = ? AND user_id = ?', clientId, userId), guard: true },
          q('UPDATE feedback SET assignee_id = NULL WHERE client_id = ? AND assignee_id = ?', clientId, userId),
          // Who leaves a project keeps nothing of it, not even the bell's report ids and names.
          q('DELETE FROM notifications WHERE client_id = ? AND user_id = ?', clientId, userId),
        ],
      ),
    async setNotifyNewReports(clientId, userId, on) {
      await sql.changes(q('UPDATE memberships SET notify_new_reports = ? WHERE client_id = ? AND user_id = ?', flag(on), clientId, userId));
    },

    async insertLabel(l) {
      // No conflict target: the unique index on (client_id, lower(name)) is the one that refuses.
      const changed = await sql.changes(
        q('INSERT INTO labels (id, client_id, name, color, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', l.id, l.clientId, l.name, l.color, l.createdAt),
      );
      return changed === 1;
    },
    listLabels: (clientId) => all(q('SELECT * FROM labels WHERE client_id = ? ORDER BY name, id', clientId), rows.toLabel),
    async updateLabel(clientId, id, change) {
      try {
        return await one(
          q(
            'UPDATE labels SET name = coalesce(?, name), color = coalesce(?, color) WHERE client_id = ? AND id = ? RETURNING *',
            change.name ?? null, change.color ?? null, clientId, id,
          ),
          rows.toLabel,
        );
      } catch (error) {
        if (sql.isUniqueViolation(error)) return false;
        throw error;
      }
    },
    // feedback_labels rows go with it (ON DELETE CASCADE), in the same statement.
    deleteLabel: async (clientId, id) => (await sql.changes(q('DELETE FROM labels WHERE client_id = ? AND id = ?', clientId, id))) === 1,
    async labelsOf(feedbackIds) {
      const map = new Map<string, string[]>();
      if (feedbackIds.length === 0) return map;
      const found = await sql.rows<{ feedback_id: string; label_id: string }>(
        q(`SELECT feedback_id, label_id FROM feedback_labels WHERE feedback_id ${sql.inJsonList} ORDER BY feedback_id, label_id`, ids(feedbackIds)),
      );
      for (const r of found) map.set(r.feedback_id, [...(map.get(r.feedback_id) ?? []), r.label_id]);
      return map;
    },

    changeFeedback: (change, effects) => sql.batch([...changeStatements(sql, change), ...effectStatements(effects)]),
    changeFeedbacks: (changes, effects) => sql.batch([...changes.flatMap((change) => changeStatements(sql, change)), ...effectStatements(effects)]),

    async insertComment(c, effects) {
      const insert = q(
        `INSERT INTO comments (id, client_id, feedback_id, author_id, body, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        c.id, c.clientId, c.feedbackId, c.authorId, c.body, c.createdAt, c.updatedAt, c.deletedAt,
      );
      await sql.batch([insert, ...effectStatements(effects)]);
    },
    getComment: (id) => one(q('SELECT * FROM comments WHERE id = ?', id), rows.toComment),
    listComments: (feedbackId) => all(q('SELECT * FROM comments WHERE feedback_id = ? ORDER BY created_at, id', feedbackId), rows.toComment),
    updateComment(id, change, effects = {}) {
      // A deleted comment keeps its place and loses its body.
      const body = change.deletedAt !== undefined ? '' : (change.body ?? null);
      const update = q(
        `UPDATE comments SET body = coalesce(?, body), updated_at = ?, deleted_at = coalesce(?, deleted_at)
         WHERE id = ? AND deleted_at IS NULL`,
        body, change.updatedAt, change.deletedAt ?? null, id,
      );
      return sql.batch([{ ...update, guard: true }, ...effectStatements(effects)]);
    },

    listActivity: (feedbackId) => all(q('SELECT * FROM activity WHERE feedback_id = ? ORDER BY created_at, id', feedbackId), rows.toActivity),

    async record(effects) {
      const statements = effectStatements(effects);
      if (statements.length > 0) await sql.batch(statements);
    },
    listNotifications: (userId, limit) =>
      all(q('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', userId, limit), rows.toNotification),
    async countUnread(userId) {
      const [row] = await sql.rows<{ n: number }>(q('SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL', userId));
      return Number(row!.n);
    },
    async markRead(userId, list, nowIso) {
      const unread = 'UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL';
      if (list === undefined) await sql.changes(q(unread, nowIso, userId));
      else if (list.length > 0) await sql.changes(q(`${unread} AND id ${sql.inJsonList}`, nowIso, userId, ids(list)));
    },

    async claimEmails(nowIso, lockedUntilIso, limit) {
      const claimed = await all(claimStatement(sql, nowIso, lockedUntilIso, limit), rows.toEmail);
      // RETURNING keeps no order.
      return claimed.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    },
    async finishEmail(id, outcome) {
      const done = 'attempts = attempts + 1, locked_until = NULL';
      await sql.changes(
        'sentAt' in outcome
          ? q(`UPDATE email_queue SET ${done}, sent_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?`, outcome.sentAt, id)
          : q(`UPDATE email_queue SET ${done}, last_error = ?, next_attempt_at = ? WHERE id = ?`, outcome.error, outcome.nextAttemptAt, id),
      );
    },
    listEmails: () => all(q('SELECT * FROM email_queue ORDER BY created_at, id'), rows.toEmail),

    pageRows: (table, after, limit) => pageTeamRows(sql, table, after, limit),
    insertRow: (table, row) => insertTeamRow(sql, table, row),
  };
}
