/**
 * What the team store needs from an engine (sqlite-team.ts, pg-team.ts), and the statements
 * that write a change's effects. The SQL is written once, with `?` placeholders, for both
 * engines: the two cannot drift apart, and the engine adapters only run it.
 */
import type { FeedbackChange } from './team-types.ts';

/** One statement and its parameters (strings, numbers or null: booleans are 0/1). */
export interface Stmt {
  sql: string;
  params: unknown[];
  /** A compare and set: when it changes no row, its batch ends with nothing written. */
  guard?: true;
}

/** Thrown inside a batch's transaction when a guard changed no row, so that it rolls back. */
export class GuardMissed extends Error {}

/** `false` when `batch` rolled back because a guard missed; other errors go on. */
export async function unlessGuardMissed(batch: () => Promise<void>): Promise<boolean> {
  try {
    await batch();
    return true;
  } catch (error) {
    if (error instanceof GuardMissed) return false;
    throw error;
  }
}

/** An engine's way of running the team store's SQL. */
export interface TeamSql {
  /** `IN (…)` over one parameter that holds a JSON array of strings. */
  readonly inJsonList: string;
  /** Ends a claim's row choice so that claimers at once take different rows ('' where writes are serialized). */
  readonly skipLocked: string;
  /** The rows a statement returns (a SELECT, or a write with RETURNING). */
  rows<T>(statement: Stmt): Promise<T[]>;
  /** How many rows a write changed. */
  changes(statement: Stmt): Promise<number>;
  /**
   * Runs the statements in one transaction; when a guard changes no row it ends with nothing
   * written, and the answer is `false`; else `true` once committed.
   */
  batch(statements: readonly Stmt[]): Promise<boolean>;
  /** Whether an error is a unique constraint's refusal. */
  isUniqueViolation(error: unknown): boolean;
}

/** A boolean as both engines take it. */
export const flag = (on: boolean): number => (on ? 1 : 0);

/** An UPDATE's SET list built field by field: `set` adds `column = ?` and its value. */
export function setList(): { sets: string[]; values: unknown[]; set: (column: string, value: unknown) => void } {
  const sets: string[] = [];
  const values: unknown[] = [];
  return {
    sets,
    values,
    set: (column, value) => {
      sets.push(`${column} = ?`);
      values.push(value);
    },
  };
}


/**
 * A triage change as statements: first the compare and set on `updated_at` (the guard), then
 * the label set (only labels of the item's own project: a foreign label id is left out).
 */
export function changeStatements(sql: TeamSql, change: FeedbackChange): Stmt[] {
  const { sets, values, set } = setList();
  if (change.state !== undefined) set('state', change.state);
  if (change.assigneeId !== undefined) set('assignee_id', change.assigneeId);
  if (change.priority !== undefined) set('priority', change.priority);
  const out: Stmt[] = [
    {
      sql: `UPDATE feedback SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? AND client_id = ? AND updated_at = ?`,
      params: [...values, change.updatedAt, change.id, change.clientId, change.previousUpdatedAt],
      guard: true,
    },
  ];
  if (change.labelIds !== undefined) {
    out.push({ sql: 'DELETE FROM feedback_labels WHERE feedback_id = ?', params: [change.id] });
    out.push({
      sql: `INSERT INTO feedback_labels (feedback_id, label_id)
            SELECT CAST(? AS TEXT), id FROM labels WHERE client_id = ? AND id ${sql.inJsonList}`,
      params: [change.id, change.clientId, JSON.stringify(change.labelIds)],
    });
  }
  return out;
}

/**
 * Claims due e-mails in one statement: the row choice and the lock are one write, and the
 * outer condition is checked again on each row, so a row another claimer took meanwhile is
 * left out (PostgreSQL re-reads a row it waited for; SQLite runs one write at a time).
 */
export function claimStatement(sql: TeamSql, nowIso: string, lockedUntilIso: string, limit: number): Stmt {
  const due = 'next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)';
  return {
    sql: `UPDATE email_queue SET locked_until = ?
          WHERE id IN (SELECT id FROM email_queue WHERE ${due} ORDER BY created_at, id LIMIT ? ${sql.skipLocked})
            AND ${due}
          RETURNING *`,
    params: [lockedUntilIso, nowIso, nowIso, limit, nowIso, nowIso],
  };
}
