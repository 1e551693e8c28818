/**
 * The layout of an export directory: one JSON Lines file per table, the stored files under
 * `files/` by their names, and a manifest with every count and each file's SHA-256, so an
 * import can prove it read back exactly what was written.
 */
import { createHash } from 'node:crypto';

/** The tables an export holds, in the order an import writes them (referenced rows first). */
export const TABLES = ['clients', 'projectKeys', 'screenshots', 'replays', 'feedback', 'idempotency'] as const;

/** One of the exported tables. */
export type Table = (typeof TABLES)[number];

/** A stored file as the manifest lists it. */
export interface FileEntry {
  fileName: string;
  sizeBytes: number;
  sha256: string;
}

/** `manifest.json`: what the directory holds. */
export interface Manifest {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  /** Rows per table. */
  counts: Record<Table, number>;
  files: FileEntry[];
  /** Which master key encrypted the project keys' secrets (a hash, not the key). */
  masterKeyId: string;
}

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
