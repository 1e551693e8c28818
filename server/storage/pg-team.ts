/** How the team and outbox stores (team-store.ts, outbox-store.ts) run their shared statements on PostgreSQL: `?` numbered, batches in one transaction. */
import type pg from 'pg';
import { inTransaction, numbered } from './pg-pool.ts';
import { GuardMissed, unlessGuardMissed } from './team-sql.ts';
import type { TeamSql } from './team-sql.ts';

/** The shared statements on this pool. */
export function pgTeamSql(pool: pg.Pool): TeamSql {
  return {
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
  };
}
