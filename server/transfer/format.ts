/**
 * The layout of an export directory: one JSON Lines file per table, the stored files under
 * `files/` by their names, and a manifest with every count and each file's SHA-256, so an
 * import can prove it read back exactly what was written.
 */
import { createHash } from 'node:crypto';
import type { TeamTable } from '../storage/team-types.ts';

/** The team tables, in the order an import writes them (referenced rows first; feedback comes before labels' links). */
export const TEAM_TABLES = [
  'labels',
  'feedbackLabels',
  'memberships',
  'oneTimeTokens',
  'comments',
  'activity',
  'notifications',
  'emailQueue',
] as const satisfies readonly TeamTable[];

/**
 * The tables an export holds, in the order an import writes them (referenced rows first:
 * users before feedback, which names its assignee). Version 1 exports have no team tables.
 */
export const TABLES = ['clients', 'users', 'projectKeys', 'screenshots', 'replays', 'feedback', ...TEAM_TABLES, 'idempotency'] as const;

/** One of the exported tables. */
export type Table = (typeof TABLES)[number];

/** Whether a table is one of the team store's (TeamStore.pageRows and insertRow). */
export const isTeamTable = (table: Table): table is TeamTable => table === 'users' || (TEAM_TABLES as readonly string[]).includes(table);

/** A stored file as the manifest lists it. */
export interface FileEntry {
  fileName: string;
  sizeBytes: number;
  sha256: string;
}

/** `manifest.json`: what the directory holds. */
export interface Manifest {
  format: typeof EXPORT_FORMAT;
  /** 2 since the team tables; an import reads 1 too (its team tables taken as empty). */
  version: 1 | 2;
  exportedAt: string;
  /** Rows per table. */
  counts: Record<Table, number>;
  files: FileEntry[];
  /** Which master key encrypted the project keys' secrets (a hash, not the key). */
  masterKeyId: string;
}

/** The version this server writes. */
export const EXPORT_VERSION = 2;

/** The manifest's `format` value. */
export const EXPORT_FORMAT = 'loupe-export';

/** Paths inside an export directory. */
export const EXPORT_LAYOUT = {
  manifest: 'manifest.json',
  filesDir: 'files',
  table: (table: Table) => `${table}.jsonl`,
} as const;

/** Rows read or written per storage round trip. */
export const TRANSFER_PAGE_ROWS = 500;

/** A short, stable id of a master key: enough to tell two keys apart, useless to an attacker. */
export function masterKeyId(masterKey: Uint8Array): string {
  return createHash('sha256').update('loupe-master-key-id').update(masterKey).digest('hex').slice(0, 16);
}
