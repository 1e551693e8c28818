/**
 * `npm run server -- import --from DIR`: loads an export into an empty install, files first
 * (each checked against its SHA-256) and then rows with referenced ones first, so that an
 * import stopped half way leaves only files the orphan sweep removes and rows it can redo.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TeamTable } from '../storage/team-types.ts';
import type { Storage } from '../storage/types.ts';
import type { Install, Progress } from './export.ts';
import { EXPORT_FORMAT, EXPORT_LAYOUT, TABLES, isTeamTable, masterKeyId, type FileEntry, type Manifest, type Table } from './format.ts';

// What each table's rows are stored with; a row the database refuses stops the import with its line.
const INSERTS: Record<Exclude<Table, TeamTable>, (storage: Storage, row: never) => Promise<unknown>> = {
  clients: (storage, row) => storage.insertClient(row),
  projectKeys: (storage, row) => storage.insertProjectKey(row),
  screenshots: (storage, row) => storage.insertScreenshot(row),
  replays: (storage, row) => storage.insertReplay(row),
  feedback: (storage, row) => storage.insertFeedback(row),
  idempotency: (storage, row) => storage.insertIdempotent(row),
};

async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, EXPORT_LAYOUT.manifest);
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Partial<Manifest>;
  } catch (error) {
    throw new Error(`No readable export in ${dir} (${EXPORT_LAYOUT.manifest}: ${(error as Error).message})`);
  }
  if (manifest.format !== EXPORT_FORMAT || (manifest.version !== 1 && manifest.version !== 2)) {
    throw new Error(`${path} is not a Loupe export this server reads (format ${manifest.format}, version ${manifest.version})`);
  }
  if (!Array.isArray(manifest.files) || typeof manifest.counts !== 'object' || manifest.counts === null) {
    throw new Error(`${path} has no counts or files list`);
  }
  return manifest as Manifest;
}

async function checkedFile(dir: string, entry: FileEntry): Promise<string> {
  const path = join(dir, EXPORT_LAYOUT.filesDir, entry.fileName);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      sizeBytes += chunk.length;
    }
  } catch (error) {
    throw new Error(`Exported file ${entry.fileName} cannot be read: ${(error as Error).message}`);
  }
  const sha256 = hash.digest('hex');
  if (sizeBytes !== entry.sizeBytes || sha256 !== entry.sha256) {
    throw new Error(`Exported file ${entry.fileName} does not match the manifest (${sizeBytes} bytes, sha256 ${sha256})`);
  }
  return path;
}

async function importTable(dir: string, table: Table, storage: Storage): Promise<number> {
  const file = join(dir, EXPORT_LAYOUT.table(table));
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  let rows = 0;
  try {
    for await (const line of lines) {
      lineNo += 1;
      if (line.trim() === '') continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
        if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('not a JSON object');
        await (isTeamTable(table) ? storage.team.insertRow(table, row as never) : INSERTS[table](storage, row as never));
        rows += 1;
      } catch (error) {
        throw new Error(`${EXPORT_LAYOUT.table(table)} line ${lineNo}: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`The export has no ${EXPORT_LAYOUT.table(table)}`);
    throw error;
  }
  return rows;
}

/** Loads the export in `dir` into `to`, which must hold no clients yet; returns the manifest it followed. */
export async function importInstall(to: Install, dir: string, progress: Progress = () => {}): Promise<Manifest> {
  const manifest = await readManifest(dir);
  if (manifest.masterKeyId !== masterKeyId(to.masterKey)) {
    throw new Error(
      `The export's project keys were encrypted with another master key (id ${manifest.masterKeyId}); ` +
        `start with the source install's LOUPE_MASTER_KEY (or its master.key file)`,
    );
  }
  if ((await to.storage.listClients()).length > 0) {
    throw new Error('The target already holds clients: import only into an empty database');
  }
  if ((await to.storage.team.listUsers()).length > 0) {
    throw new Error('The target already holds users: import only into an empty database');
  }
  for (const [index, entry] of manifest.files.entries()) {
    await to.files.putNamed(entry.fileName, await checkedFile(dir, entry));
    if ((index + 1) % 100 === 0) progress(`files: ${index + 1} of ${manifest.files.length}`);
  }
  progress(`files: ${manifest.files.length}`);
  for (const table of TABLES) {
    // A version 1 export (before the team tables) has neither their files nor their counts.
    if (manifest.version === 1 && manifest.counts[table] === undefined) continue;
    const count = await importTable(dir, table, to.storage);
    if (count !== manifest.counts[table]) {
      throw new Error(`${EXPORT_LAYOUT.table(table)} holds ${count} rows, the manifest says ${manifest.counts[table]}`);
    }
    progress(`${table}: ${count} rows`);
  }
  return manifest;
}
