/** The team store on SQLite: the shared statements (team-store.ts), multi-statement writes in the group commit. */
import type Database from 'better-sqlite3';
import type { GroupCommit } from './sqlite-group-commit.ts';
import { prepared } from './sqlite-statements.ts';
import { createTeamStore } from './team-store.ts';
import type { TeamStore } from './team-types.ts';

/** The team store on this connection; batches share `commits` (each in its own savepoint). */
export function sqliteTeamStore(db: Database.Database, commits: GroupCommit): TeamStore {
  return createTeamStore({
    inJsonList: 'IN (SELECT value FROM json_each(?))',
    // One writer at a time: a claim's UPDATE is never interleaved with another's.
    skipLocked: '',
    rows: async <T>(s: { sql: string; params: unknown[] }) => prepared(db, s.sql).all(...s.params) as T[],
    changes: async (s) => prepared(db, s.sql).run(...s.params).changes,
    batch: (statements, guarded) =>
      commits.run(() => {
        const [first, ...rest] = statements;
        if (first && prepared(db, first.sql).run(...first.params).changes === 0 && guarded) return false;
        for (const s of rest) prepared(db, s.sql).run(...s.params);
        return true;
      }),
    isUniqueViolation: (error) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test((error as { code?: string }).code ?? ''),
  });
}
