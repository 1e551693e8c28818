/** `npm run server -- export --to DIR`: every row and every recorded file of an install, engine-neutral. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '../storage/files.ts';
import type { IdempotencyScope, Storage } from '../storage/types.ts';
import type { TeamRows, TeamTable } from '../storage/team-types.ts';
import { EXPORT_FORMAT, EXPORT_LAYOUT, EXPORT_VERSION, TABLES, TRANSFER_PAGE_ROWS, isTeamTable, masterKeyId, type FileEntry, type Manifest, type Table } from './format.ts';

/** An install to move: its database, its files and the key its project secrets are encrypted with. */
export interface Install {
  storage: Storage;
  files: FileStore;
  masterKey: Uint8Array;
}

/** Where progress lines go (the CLI prints them). */
export type Progress = (line: string) => void;

async function writeLine(out: WriteStream, row: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
}

/** Pages through a table with `next(after)`, writing each row; returns the count. */
async function exportTable<Row, Cursor = string>(
  dir: string,
  table: Table,
  next: (after: Cursor | undefined) => Promise<Row[]>,
  cursorOf: (row: Row) => Cursor,
  onRow?: (row: Row) => void,
): Promise<number> {
  const out = createWriteStream(join(dir, EXPORT_LAYOUT.table(table)), { flags: 'wx' });
  let count = 0;
  try {
    let after: Cursor | undefined;
    for (;;) {
      const rows = await next(after);
      for (const row of rows) {
        await writeLine(out, row);
        onRow?.(row);
      }
      count += rows.length;
      if (rows.length < TRANSFER_PAGE_ROWS) break;
      after = cursorOf(rows.at(-1)!);
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  return count;
}

/** Copies one stored file into the export, hashing it on the way. */
async function exportFile(files: FileStore, dir: string, fileName: string): Promise<FileEntry> {
  const stored = await files.open(fileName);
  if (!stored) throw new Error(`File ${fileName} is recorded in the database but missing from the file store`);
  const target = join(dir, EXPORT_LAYOUT.filesDir, fileName);
  await mkdir(dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const source = Readable.fromWeb(stored.stream as import('node:stream/web').ReadableStream<Uint8Array>);
  source.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    sizeBytes += chunk.length;
  });
  await pipeline(source, createWriteStream(target, { flags: 'wx' }));
  return { fileName, sizeBytes, sha256: hash.digest('hex') };
}

/** Writes the install into `dir` (new or empty) and returns the manifest written last. */
export async function exportInstall(from: Install, dir: string, progress: Progress = () => {}): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`Export directory ${dir} is not empty`);
  const { storage } = from;
  const fileNames: string[] = [];
  const page = TRANSFER_PAGE_ROWS;
  const byId = <Row extends { id: string }>(row: Row) => row.id;

  const clients = await storage.listClients();
  const others: Record<Exclude<Table, TeamTable>, () => Promise<number>> = {
    clients: () => exportTable(dir, 'clients', async (after?: string) => (after === undefined ? clients : []), byId),
    projectKeys: () => exportTable(dir, 'projectKeys', (after?: string) => storage.pageProjectKeys(after, page), (k) => k.kid),
    screenshots: () =>
      exportTable(
        dir,
        'screenshots',
        (after?: string) => storage.pageScreenshots(after, page),
        (s) => s.fileName,
        (s) => fileNames.push(s.fileName),
      ),
    replays: () => exportTable(dir, 'replays', (after?: string) => storage.pageReplays(after, page), byId, (r) => fileNames.push(r.fileName)),
    feedback: () => exportTable(dir, 'feedback', (after?: string) => storage.pageFeedback(after, page), byId),
    idempotency: () =>
      exportTable(
        dir,
        'idempotency',
        (after?: IdempotencyScope) => storage.pageIdempotent(after, page),
        (r) => r.scope,
      ),
  };
  // A team row is its own cursor (TeamStore.pageRows reads its key).
  const team = <K extends TeamTable>(table: K) =>
    exportTable<TeamRows[K], TeamRows[K]>(dir, table, (after) => storage.team.pageRows(table, after, page), (row) => row);
  const counts = {} as Manifest['counts'];
  for (const table of TABLES) counts[table] = await (isTeamTable(table) ? team(table) : others[table]());
  for (const [table, count] of Object.entries(counts)) progress(`${table}: ${count} rows`);

  const files: FileEntry[] = [];
  for (const fileName of fileNames) {
    files.push(await exportFile(from.files, dir, fileName));
    if (files.length % 100 === 0) progress(`files: ${files.length} of ${fileNames.length}`);
  }
  progress(`files: ${files.length} (${files.reduce((sum, f) => sum + f.sizeBytes, 0)} bytes)`);

  const manifest: Manifest = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    counts,
    files,
    masterKeyId: masterKeyId(from.masterKey),
  };
  // Last, so that a directory with a manifest is a finished export.
  await writeFile(join(dir, EXPORT_LAYOUT.manifest), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  return manifest;
}
