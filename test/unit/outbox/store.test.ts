import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { ApiError } from '@/lib/api/client';
import { createDelivery } from '@/lib/outbox/deliver';
import { openOutboxStore, reportSize, type NewReport, type OutboxStore } from '@/lib/outbox/store';
import { PAGE } from '../fixtures';

let dbCount = 0;
const opened: OutboxStore[] = [];
afterEach(() => opened.splice(0).forEach((store) => store.close()));

async function freshStore(name = `test-outbox-store-${dbCount++}`): Promise<OutboxStore> {
  const store = await openOutboxStore(name);
  opened.push(store);
  return store;
}

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill).buffer;

function report(id: string, shotBytes: number[], replayBytes?: number, createdAtMs = 1): NewReport {
  const unsized = {
    id,
    createdAtMs,
    revision: 0,
    state: 'queued' as const,
    attempts: 0,
    nextAttemptAtMs: 0,
    settings: { clientId: 'client_a', environment: '', serverUrl: 'http://127.0.0.1:1' },
    comment: `report ${id}`,
    page: PAGE,
    metadata: {},
    screenshots: shotBytes.map((length, index) => ({ image: bytes(length, index + 1), type: 'image/png' as const })),
    ...(replayBytes !== undefined && { replay: { gz: bytes(replayBytes, 0x1f), offsetMs: 1500 } }),
  };
  return { ...unsized, sizeBytes: reportSize(unsized) };
}

/** A database as version 2 of the extension left it: each report with its bytes inside. */
async function seedVersion2(name: string, reports: NewReport[]): Promise<void> {
  const v2 = await openDB(name, 2, { upgrade: (database) => void database.createObjectStore('reports', { keyPath: 'id' }) });
  for (const old of reports) await v2.put('reports', old);
  v2.close();
}

/** Counts the ArrayBuffer bytes every IndexedDB read hands back (get, getAll, cursors) while it runs. */
function countBytesRead(): { read(): number; stop(): void } {
  let total = 0;
  const walk = (value: unknown, seen: Set<unknown>): void => {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) total += value.byteLength;
    else if (value && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      for (const inner of Object.values(value)) walk(inner, seen);
    }
  };
  const spies = (['get', 'getAll', 'openCursor'] as const).map((method) => {
    const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
    return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
      const request = original.apply(this, args);
      request.addEventListener('success', () => walk(method === 'openCursor' ? (request.result as IDBCursorWithValue | null)?.value : request.result, new Set()));
      return request;
    } as never);
  });
  return { read: () => total, stop: () => spies.forEach((spy) => spy.mockRestore()) };
}

const MB = 1024 * 1024;

describe('the outbox store', () => {
  it('keeps its size total equal to the sum over its reports through adds, updates, edits and deletes', async () => {
    const store = await freshStore();
    const expectTotalMatches = async () =>
      expect(await store.totalBytes()).toBe((await store.list()).reduce((sum, kept) => sum + kept.sizeBytes, 0));

    const a = await store.add(report('a', [1000, 2000], 500));
    const b = await store.add(report('b', [300]));
    await expectTotalMatches();
    expect(await store.totalBytes()).toBeGreaterThan(3800);

    await store.put({ ...a, state: 'sending', attempts: 1 });
    await expectTotalMatches();
    // An edit that makes the comment longer (the bytes stay where they are).
    const edited = { ...b, comment: 'x'.repeat(10_000), revision: 1 };
    await store.put({ ...edited, sizeBytes: reportSize(edited) });
    await expectTotalMatches();
    expect(await store.totalBytes()).toBeGreaterThan(13_800);

    // Kept again under the same id: counted once, with its new bytes.
    await store.add(report('a', [50]));
    await expectTotalMatches();
    expect(await store.screenshot('a', 1)).toBeUndefined();

    await store.delete('a');
    await store.delete('a');
    await expectTotalMatches();
    // An update arriving after a delete does not bring the report back without its bytes.
    await store.put({ ...a, state: 'queued' });
    expect((await store.list()).map((kept) => kept.id)).toEqual(['b']);
    await store.delete('b');
    expect(await store.totalBytes()).toBe(0);
  });

  it('keeps the total and the bytes across a reopen, and forgets a deleted report’s bytes', async () => {
    const name = `test-outbox-store-${dbCount++}`;
    const first = await freshStore(name);
    await first.add(report('a', [10, 20], 30));
    await first.add(report('b', [40]));
    const total = await first.totalBytes();
    first.close();
    const again = await freshStore(name);
    expect(await again.totalBytes()).toBe(total);
    expect([...new Uint8Array((await again.screenshot('a', 1))!)]).toEqual(new Array(20).fill(2));
    expect((await again.replay('a'))!.byteLength).toBe(30);
    await again.delete('a');
    expect(await again.screenshot('a', 0)).toBeUndefined();
    expect(await again.replay('a')).toBeUndefined();
    expect((await again.screenshot('b', 0))!.byteLength).toBe(40);
  });

  it('lists, counts and delivers a 30 MB queue without reading its screenshot or replay bytes', async () => {
    const name = `test-outbox-store-${dbCount++}`;
    // Queued by the previous version (bytes inside each report), then opened by this one.
    await seedVersion2(name, [report('old-1', [5 * MB, 5 * MB], MB, 1), report('old-2', [4 * MB], undefined, 2), report('old-3', [5 * MB, 5 * MB, 4 * MB], undefined, 3)]);
    const store = await freshStore(name);
    const counter = countBytesRead();
    try {
      expect((await store.list()).map((kept) => kept.id)).toEqual(['old-1', 'old-2', 'old-3']);
      expect(await store.totalBytes()).toBeGreaterThan(29 * MB);
      expect((await store.get('old-3'))?.screenshots).toHaveLength(3);
      // A delivery attempt that fails before uploading: its bookkeeping reads no bytes either.
      const delivery = createDelivery({
        store,
        send: async () => {
          throw new ApiError('down', 503);
        },
        schedule: () => undefined,
        onChange: () => undefined,
        nowMs: () => 10,
      });
      expect(await delivery.retryNow('old-1')).toMatchObject({ status: 'queued' });
      expect(counter.read()).toBe(0);
      // Bytes are read when they are uploaded, and then only those of the part sent.
      expect((await store.screenshot('old-1', 1))!.byteLength).toBe(5 * MB);
      expect(counter.read()).toBe(5 * MB);
    } finally {
      counter.stop();
    }
  });

  it('moves every report and byte of a version 2 database over when it upgrades', async () => {
    const name = `test-outbox-store-${dbCount++}`;
    const uploaded = { fileName: 'c/f.png', url: 'http://127.0.0.1:1/f.png', fileSize: 3, mimeType: 'image/png' };
    const withAnswers = report('sent-half', [3, 4], 6, 2);
    const old = [
      report('plain', [], undefined, 1),
      { ...withAnswers, screenshots: [{ ...withAnswers.screenshots[0]!, uploaded }, withAnswers.screenshots[1]!], replay: { ...withAnswers.replay!, uploadedId: 'rp_1' } },
      { ...report('refused', [7], 8, 3), state: 'needs-attention' as const, attempts: 2, issues: { clientId: ['Unknown client ID'] } },
    ];
    await seedVersion2(name, old);
    const store = await freshStore(name);

    const kept = await store.list();
    expect(kept.map((entry) => entry.id)).toEqual(['plain', 'sent-half', 'refused']);
    expect(await store.totalBytes()).toBe(old.reduce((sum, entry) => sum + entry.sizeBytes, 0));
    expect(kept[1]).toMatchObject({
      screenshots: [{ type: 'image/png', byteLength: 3, uploaded }, { type: 'image/png', byteLength: 4 }],
      replay: { offsetMs: 1500, byteLength: 6, uploadedId: 'rp_1' },
    });
    expect(kept[2]).toMatchObject({ state: 'needs-attention', attempts: 2, issues: { clientId: ['Unknown client ID'] } });
    for (const entry of old) {
      for (const [index, shot] of entry.screenshots.entries()) {
        expect(new Uint8Array((await store.screenshot(entry.id, index))!)).toEqual(new Uint8Array(shot.image));
      }
      expect(await store.replay(entry.id)).toEqual(entry.replay?.gz);
    }
    expect(await store.screenshot('plain', 0)).toBeUndefined();
  });
});
