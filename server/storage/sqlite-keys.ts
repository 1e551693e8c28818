/** Project keys in SQLite: the `project_keys` table, secrets only ever encrypted. */
import type Database from 'better-sqlite3';
import { toProjectKey, type ProjectKeyRecord } from './rows.ts';
import { prepared } from './sqlite-statements.ts';
import type { ProjectKey } from './types.ts';

/** Stores a key as given. */
export function insertProjectKey(db: Database.Database, key: ProjectKey): void {
  prepared(
    db,
    `INSERT INTO project_keys (kid, client_id, name, secret_encrypted, created_at, revoked_at)
     VALUES (@kid, @clientId, @name, @secretEncrypted, @createdAt, @revokedAt)`,
  ).run(key);
}

/** One key by kid, or `undefined`. */
export function getProjectKey(db: Database.Database, kid: string): ProjectKey | undefined {
  const row = prepared(db, 'SELECT * FROM project_keys WHERE kid = ?').get(kid) as ProjectKeyRecord | undefined;
  return row === undefined ? undefined : toProjectKey(row);
}

/** A client's keys, oldest first. */
export function listProjectKeys(db: Database.Database, clientId: string): ProjectKey[] {
  const rows = prepared(db, 'SELECT * FROM project_keys WHERE client_id = ? ORDER BY created_at, kid').all(clientId);
  return (rows as ProjectKeyRecord[]).map(toProjectKey);
}

/** Revokes a key (keeping an earlier revocation time) and returns it, or `undefined`. */
export function revokeProjectKey(db: Database.Database, kid: string, revokedAtIso: string): ProjectKey | undefined {
  prepared(db, 'UPDATE project_keys SET revoked_at = coalesce(revoked_at, ?) WHERE kid = ?').run(revokedAtIso, kid);
  return getProjectKey(db, kid);
}
