/** How the team and outbox stores (team-store.ts, outbox-store.ts) run their shared statements on SQLite: multi-statement writes in the group commit. */
import type Database from 'better-sqlite3';
import type { GroupCommit } from './sqlite-group-commit.ts';
import { prepared } from './sqlite-statements.ts';
import { GuardMissed, unlessGuardMissed } from './team-sql.ts';
import type { TeamSql } from './team-sql.ts';

/** The shared statements on this connection; batches share `commits` (each in its own savepoint). */
export function sqliteTeamSql(db: Database.Database, commits: GroupCommit): TeamSql {
  return {
    inJsonList: 'IN (SELECT value FROM json_each(?))',
    // One writer at a time: a claim's UPDATE is never interleaved with another's.
    skipLocked: '',
    rows: async <T>(s: { sql: string; params: unknown[] }) => prepared(db, s.sql).all(...s.params) as T[],
    changes: async (s) => prepared(db, s.sql).run(...s.params).changes,
    // A missed guard throws inside the write's savepoint, which rolls it back.
    batch: (statements) =>
      unlessGuardMissed(() =>
        commits.run(() => {
          for (const s of statements) if (prepared(db, s.sql).run(...s.params).changes === 0 && s.guard) throw new GuardMissed();
        }),
      ),
    isUniqueViolation: (error) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test((error as { code?: string }).code ?? ''),
  };
}
