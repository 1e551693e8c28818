/** The team store on PostgreSQL: the shared statements (team-store.ts), `?` numbered, batches in one transaction. */
import type pg from 'pg';
import { inTransaction, numbered } from './pg-pool.ts';
import { GuardMissed, unlessGuardMissed } from './team-sql.ts';
import { createTeamStore } from './team-store.ts';
import type { TeamStore } from './team-types.ts';

/** The team store on this pool. */
export function pgTeamStore(pool: pg.Pool): TeamStore {
  return createTeamStore({
    inJsonList: 'IN (SELECT json_array_elements_text(?::json))',
    // Claimers at once take different rows instead of waiting on each other's.
    skipLocked: 'FOR UPDATE SKIP LOCKED',
    rows: async <T>(s: { sql: string; params: unknown[] }) => (await pool.query(numbered(s.sql), s.params)).rows as T[],
    changes: async (s) => (await pool.query(numbered(s.sql), s.params)).rowCount ?? 0,
    batch: (statements) =>
      unlessGuardMissed(() =>
        inTransaction(pool, async (client) => {
          // Read committed: a guard's UPDATE that waited on a concurrent change re-checks its WHERE on the new row.
          for (const s of statements) if ((await client.query(numbered(s.sql), s.params)).rowCount === 0 && s.guard) throw new GuardMissed();
        }),
      ),
    isUniqueViolation: (error) => (error as { code?: string }).code === '23505',
  });
}
