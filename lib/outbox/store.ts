/**
 * The outbox: every report the user sent and the server has not yet accepted, in
 * IndexedDB (via `idb`), written before the first network call so that a dying worker,
 * a browser restart or an offline machine loses nothing.
 *
 * A report's fields and its bytes (screenshots, replay) live in separate object stores,
 * and the outbox's size is a running total kept in the same transaction as every write:
 * listing the outbox or asking how full it is reads a few kilobytes however many
 * megabytes wait, and bytes are read only when delivery uploads them.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { FieldIssues, ScreenshotRef } from '../api/schemas';
import type { PageContext } from '../messaging/protocol';
import type { Settings } from '../settings';
import { DB_VERSION, TOTAL_KEY, upgradeOutbox, type BlobKey, type OutboxDb } from './migrate';

/** Where a report stands: waiting for its next try, being sent now, or refused by the server. */
export type OutboxState = 'queued' | 'sending' | 'needs-attention';

/** The image types the panel sends: PNG, or JPEG for a screenshot too big as PNG. */
export type ImageType = 'image/png' | 'image/jpeg';

/** One screenshot as handed to the outbox: its bytes and their type. */
export type ScreenshotBytes = { image: ArrayBuffer; type: ImageType };

/** The replay frozen when the panel opened, as handed to the outbox: gzipped events, and where the feedback falls in them. */
export type ReplayBytes = { gz: ArrayBuffer; offsetMs: number };

/** One kept screenshot (its bytes are read with `screenshot()`), and the server's answer once uploaded, so a retry skips it. */
export type StoredScreenshot = { type: ImageType; byteLength: number; uploaded?: ScreenshotRef };

/** The kept replay (its bytes are read with `replay()`). */
export type StoredReplay = {
  offsetMs: number;
  byteLength: number;
  /** The server's id once uploaded, so a retry does not upload it again. */
  uploadedId?: string;
  /** The server has no replay route (404/405): the feedback goes without it. */
  notAccepted?: boolean;
};

/** A report as kept until the server accepts it, without its bytes. */
export type OutboxReport = {
  /** Random id; the base of every Idempotency-Key sent for this report. */
  id: string;
  createdAtMs: number;
  /** Bumped when the user edits a refused report, or its screenshots go again, so that is a new request. */
  revision: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAtMs: number;
  lastError?: string;
  issues?: FieldIssues;
  /** The settings when the user pressed Send. */
  settings: Settings;
  rating?: number;
  comment: string;
  userEmail?: string;
  page: PageContext;
  metadata: Record<string, unknown>;
  screenshots: StoredScreenshot[];
  replay?: StoredReplay;
  sizeBytes: number;
};

/** A report about to be kept for the first time: the fields with the bytes themselves. */
export type NewReport = Omit<OutboxReport, 'screenshots' | 'replay'> & { screenshots: ScreenshotBytes[]; replay?: ReplayBytes };

/** The outbox's storage; every method is one IndexedDB transaction. */
export type OutboxStore = {
  /** Keeps a new report with its bytes and counts them, all in one transaction; returns it as kept. */
  add(report: NewReport): Promise<OutboxReport>;
  /** Updates a kept report's fields (its bytes stay); a report deleted meanwhile stays deleted. */
  put(report: OutboxReport): Promise<void>;
  get(id: string): Promise<OutboxReport | undefined>;
  /** Every report, oldest first, without bytes. */
  list(): Promise<OutboxReport[]>;
  /** The bytes of a report's screenshot `index`, or undefined when the report is gone. */
  screenshot(id: string, index: number): Promise<ArrayBuffer | undefined>;
  /** The bytes of a report's replay, or undefined when it has none. */
  replay(id: string): Promise<ArrayBuffer | undefined>;
  /** Forgets a report and its bytes. */
  delete(id: string): Promise<void>;
  /** Sum of `sizeBytes` over every report, kept as a running total. */
  totalBytes(): Promise<number>;
  close(): void;
};

const DB_NAME = 'loupe-outbox';

/** Every blob key of one report: `[id, anything]` sorts between `[id]` and `[id, []]` (arrays sort after other keys). */
const blobsOf = (id: string) => IDBKeyRange.bound([id], [id, []]);

/** Splits a new report into what is kept as its fields and the bytes kept beside them. */
function split(report: NewReport): { kept: OutboxReport; blobs: [BlobKey, ArrayBuffer][] } {
  const { screenshots, replay, ...fields } = report;
  const kept: OutboxReport = {
    ...fields,
    screenshots: screenshots.map(({ image, type }) => ({ type, byteLength: image.byteLength })),
    ...(replay && { replay: { offsetMs: replay.offsetMs, byteLength: replay.gz.byteLength } }),
  };
  const blobs = screenshots.map(({ image }, index): [BlobKey, ArrayBuffer] => [[report.id, `s${index}`], image]);
  if (replay) blobs.push([[report.id, 'replay'], replay.gz]);
  return { kept, blobs };
}

type WriteTx = IDBPTransaction<OutboxDb, ('reports' | 'blobs' | 'meta')[], 'readwrite'>;

/** Opens (creating on first use, or moving an older layout over) the outbox database. */
export async function openOutboxStore(name = DB_NAME): Promise<OutboxStore> {
  const db: IDBPDatabase<OutboxDb> = await openDB<OutboxDb>(name, DB_VERSION, { upgrade: upgradeOutbox });

  /** Writes a report's fields and moves the total by its change in size, inside the caller's transaction. */
  const write = async (tx: WriteTx, report: OutboxReport, previous: OutboxReport | undefined) => {
    const total = (await tx.objectStore('meta').get(TOTAL_KEY)) ?? 0;
    await tx.objectStore('reports').put(report);
    await tx.objectStore('meta').put(total + report.sizeBytes - (previous?.sizeBytes ?? 0), TOTAL_KEY);
  };
  const transaction = (): WriteTx => db.transaction(['reports', 'blobs', 'meta'], 'readwrite');

  return {
    async add(report) {
      const { kept, blobs } = split(report);
      const tx = transaction();
      const blobStore = tx.objectStore('blobs');
      await blobStore.delete(blobsOf(report.id));
      for (const [key, bytes] of blobs) await blobStore.put(bytes, key);
      await write(tx, kept, await tx.objectStore('reports').get(report.id));
      await tx.done;
      return kept;
    },
    async put(report) {
      const tx = transaction();
      const previous = await tx.objectStore('reports').get(report.id);
      if (previous) await write(tx, report, previous);
      await tx.done;
    },
    get: (id) => db.get('reports', id),
    list: async () => (await db.getAll('reports')).sort((a, b) => a.createdAtMs - b.createdAtMs),
    screenshot: (id, index) => db.get('blobs', [id, `s${index}`]),
    replay: (id) => db.get('blobs', [id, 'replay']),
    async delete(id) {
      const tx = transaction();
      const previous = await tx.objectStore('reports').get(id);
      if (previous) {
        const total = (await tx.objectStore('meta').get(TOTAL_KEY)) ?? 0;
        await tx.objectStore('meta').put(total - previous.sizeBytes, TOTAL_KEY);
        await tx.objectStore('reports').delete(id);
      }
      await tx.objectStore('blobs').delete(blobsOf(id));
      await tx.done;
    },
    totalBytes: async () => (await db.get('meta', TOTAL_KEY)) ?? 0,
    close: () => db.close(),
  };
}

type Sized = Omit<OutboxReport, 'sizeBytes' | 'screenshots' | 'replay'> & {
  screenshots: (StoredScreenshot | ScreenshotBytes)[];
  replay?: StoredReplay | ReplayBytes;
};

/** Bytes a report takes (new or kept, the same): its screenshots and replay plus its text, roughly as stored. */
export function reportSize(report: Sized): number {
  const text = JSON.stringify({ ...report, screenshots: report.screenshots.map((shot) => ('uploaded' in shot && shot.uploaded) || null), replay: null });
  const bytesOf = (part: StoredScreenshot | ScreenshotBytes | StoredReplay | ReplayBytes) =>
    'byteLength' in part ? part.byteLength : 'image' in part ? part.image.byteLength : part.gz.byteLength;
  const binaryBytes = report.screenshots.reduce((sum, shot) => sum + bytesOf(shot), report.replay ? bytesOf(report.replay) : 0);
  return binaryBytes + new TextEncoder().encode(text).length;
}
