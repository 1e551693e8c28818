/**
 * The outbox: every report the user sent and the server has not yet accepted, in
 * IndexedDB (via `idb`), written before the first network call so that a dying worker,
 * a browser restart or an offline machine loses nothing.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FieldIssues, ScreenshotRef } from '../api/schemas';
import type { PageContext } from '../messaging/protocol';
import type { Settings } from '../settings';

/** Where a report stands: waiting for its next try, being sent now, or refused by the server. */
export type OutboxState = 'queued' | 'sending' | 'needs-attention';

/** The image types the panel sends: PNG, or JPEG for a screenshot too big as PNG. */
export type ImageType = 'image/png' | 'image/jpeg';

/** One screenshot: its bytes, and the server's answer once uploaded (so a retry skips it). */
export type StoredScreenshot = { image: ArrayBuffer; type: ImageType; uploaded?: ScreenshotRef };

/** The replay frozen when the panel opened: gzipped events, and where the feedback falls in them. */
export type StoredReplay = {
  gz: ArrayBuffer;
  offsetMs: number;
  /** The server's id once uploaded, so a retry does not upload it again. */
  uploadedId?: string;
  /** The server has no replay route (404/405): the feedback goes without it. */
  notAccepted?: boolean;
};

/** A report as kept until the server accepts it. */
export type OutboxReport = {
  /** Random id; the base of every Idempotency-Key sent for this report. */
  id: string;
  createdAtMs: number;
  /** Bumped when the user edits a refused report, so the edit is a new request. */
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

interface OutboxDb extends DBSchema {
  reports: { key: string; value: OutboxReport };
}

const DB_NAME = 'loupe-outbox';
// 2: screenshots became `{ image, type }` (were `{ png }`).
const DB_VERSION = 2;

/** The outbox's storage; every method is one IndexedDB transaction. */
export type OutboxStore = {
  put(report: OutboxReport): Promise<void>;
  get(id: string): Promise<OutboxReport | undefined>;
  /** Every report, oldest first. */
  list(): Promise<OutboxReport[]>;
  delete(id: string): Promise<void>;
  /** Sum of `sizeBytes` over every report. */
  totalBytes(): Promise<number>;
  close(): void;
};

/** Opens (creating on first use) the outbox database. */
export async function openOutboxStore(name = DB_NAME): Promise<OutboxStore> {
  const db: IDBPDatabase<OutboxDb> = await openDB<OutboxDb>(name, DB_VERSION, {
    async upgrade(database, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) database.createObjectStore('reports', { keyPath: 'id' });
      if (oldVersion === 1) {
        for (let cursor = await transaction.objectStore('reports').openCursor(); cursor; cursor = await cursor.continue()) {
          const shots = cursor.value.screenshots as unknown as { png: ArrayBuffer; uploaded?: ScreenshotRef }[];
          const screenshots = shots.map(({ png, uploaded }) => ({ image: png, type: 'image/png' as const, ...(uploaded && { uploaded }) }));
          await cursor.update({ ...cursor.value, screenshots });
        }
      }
    },
  });
  const list = async () => (await db.getAll('reports')).sort((a, b) => a.createdAtMs - b.createdAtMs);
  return {
    put: async (report) => void (await db.put('reports', report)),
    get: (id) => db.get('reports', id),
    list,
    delete: (id) => db.delete('reports', id),
    totalBytes: async () => (await list()).reduce((sum, report) => sum + report.sizeBytes, 0),
    close: () => db.close(),
  };
}

/** Bytes a report takes: its screenshots and replay plus its text, roughly as stored. */
export function reportSize(report: Omit<OutboxReport, 'sizeBytes'>): number {
  const text = JSON.stringify({ ...report, screenshots: report.screenshots.map((shot) => shot.uploaded ?? null), replay: null });
  const binaryBytes = report.screenshots.reduce((sum, shot) => sum + shot.image.byteLength, report.replay?.gz.byteLength ?? 0);
  return binaryBytes + new TextEncoder().encode(text).length;
}
