/**
 * The outbox database's layout and how an older one is moved over, inside the upgrade
 * transaction so that a report is either in its old shape or wholly in the new one.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ScreenshotRef } from '../api/schemas';
import type { ImageType, OutboxReport } from './store';

/** A blob's key: the report's id and which of its parts (`s0`, `s1`..., `replay`). */
export type BlobKey = [reportId: string, part: string];

/** The outbox database: report fields, their bytes, and the running total of bytes kept. */
export interface OutboxDb extends DBSchema {
  reports: { key: string; value: OutboxReport };
  blobs: { key: BlobKey; value: ArrayBuffer };
  meta: { key: string; value: number };
}

/** The running total's key in `meta`: the sum of `sizeBytes` over `reports`. */
export const TOTAL_KEY = 'totalBytes';

// 2: screenshots became `{ image, type }` (were `{ png }`).
// 3: bytes moved out of the report into `blobs`, with the total in `meta`.
/** The layout this code reads and writes. */
export const DB_VERSION = 3;

/** A report as versions 1 and 2 kept it: the bytes inside. */
type InlineReport = Omit<OutboxReport, 'screenshots' | 'replay'> & {
  screenshots: (({ image: ArrayBuffer; type: ImageType } | { png: ArrayBuffer }) & { uploaded?: ScreenshotRef })[];
  replay?: { gz: ArrayBuffer; offsetMs: number; uploadedId?: string; notAccepted?: boolean };
};

type UpgradeTx = IDBPTransaction<OutboxDb, StoreNames<OutboxDb>[], 'versionchange'>;

/** Moves one report kept inline (version 1 or 2) to the split layout: its bytes into `blobs`, what is left returned. */
async function splitInline(tx: UpgradeTx, old: InlineReport): Promise<OutboxReport> {
  const blobs = tx.objectStore('blobs');
  const screenshots = [];
  for (const [index, shot] of old.screenshots.entries()) {
    const image = 'png' in shot ? shot.png : shot.image;
    await blobs.put(image, [old.id, `s${index}`]);
    const type = 'type' in shot ? shot.type : 'image/png';
    screenshots.push({ type, byteLength: image.byteLength, ...(shot.uploaded && { uploaded: shot.uploaded }) });
  }
  const { replay: inline, ...fields } = old;
  if (!inline) return { ...fields, screenshots };
  const { gz, ...replay } = inline;
  await blobs.put(gz, [old.id, 'replay']);
  return { ...fields, screenshots, replay: { ...replay, byteLength: gz.byteLength } };
}

/** `openDB`'s upgrade step: creates the stores, or moves every report of an older layout over without losing one. */
export async function upgradeOutbox(database: IDBPDatabase<OutboxDb>, oldVersion: number, _newVersion: number | null, tx: UpgradeTx) {
  if (oldVersion < 1) database.createObjectStore('reports', { keyPath: 'id' });
  if (oldVersion >= 3) return; // the layout below is version 3's; a later version adds its own step
  database.createObjectStore('blobs');
  database.createObjectStore('meta');
  let totalBytes = 0;
  // One report in memory at a time: a full outbox is 200 MB.
  for (let cursor = await tx.objectStore('reports').openCursor(); cursor; cursor = await cursor.continue()) {
    const old = cursor.value as unknown as InlineReport;
    await cursor.update(await splitInline(tx, old));
    totalBytes += old.sizeBytes;
  }
  await tx.objectStore('meta').put(totalBytes, TOTAL_KEY);
}
