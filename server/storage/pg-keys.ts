/** Project keys in PostgreSQL: the `project_keys` table, secrets only ever encrypted. */
import type { Queryable } from './pg-pool.ts';
import { toProjectKey, type ProjectKeyRecord } from './rows.ts';
import type { ProjectKey } from './types.ts';

/** Stores a key as given. */
export async function insertProjectKey(db: Queryable, key: ProjectKey): Promise<void> {
  await db.query(
    `INSERT INTO project_keys (kid, client_id, name, secret_encrypted, created_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [key.kid, key.clientId, key.name, key.secretEncrypted, key.createdAt, key.revokedAt],
  );
}

/** One key by kid, or `undefined`. */
export async function getProjectKey(db: Queryable, kid: string): Promise<ProjectKey | undefined> {
  const { rows } = await db.query<ProjectKeyRecord>('SELECT * FROM project_keys WHERE kid = $1', [kid]);
  return rows[0] && toProjectKey(rows[0]);
}

/** A client's keys, oldest first. */
export async function listProjectKeys(db: Queryable, clientId: string): Promise<ProjectKey[]> {
  const { rows } = await db.query<ProjectKeyRecord>(
    'SELECT * FROM project_keys WHERE client_id = $1 ORDER BY created_at, kid',
    [clientId],
  );
  return rows.map(toProjectKey);
}

/** Revokes a key (keeping an earlier revocation time) and returns it, or `undefined`. */
export async function revokeProjectKey(db: Queryable, kid: string, revokedAtIso: string): Promise<ProjectKey | undefined> {
  const { rows } = await db.query<ProjectKeyRecord>(
    'UPDATE project_keys SET revoked_at = coalesce(revoked_at, $1) WHERE kid = $2 RETURNING *',
    [revokedAtIso, kid],
  );
  return rows[0] && toProjectKey(rows[0]);
}
