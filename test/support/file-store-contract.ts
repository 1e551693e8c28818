/**
 * What every file store must do, whatever engine is behind it: one suite, run against the disk
 * store and the S3 store (test/server/file-store-*.test.ts), so the engines cannot drift.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStore } from '../../server/storage/files.ts';
import { readStoredFile, storedFileNames } from './stored-files.ts';

/** A fresh, empty store and a way to put raw bytes at any path inside it, past its checks. */
export interface StoreUnderTest {
  store: FileStore;
  /** Writes bytes at a relative path (disk) or key (S3), as a foreign or half-made file would be. */
  plant(path: string, bytes: string): Promise<void>;
  cleanup(): Promise<void>;
}

const VALID = 'client_abc/1717740000000-abcdefghijklmnop.png';
const INVALID_NAMES = [
  '',
  '../loupe.db',
  '/etc/passwd',
  'client_abc',
  'client_a/../../loupe.db',
  'client_abc/1717740000000-abcdefghijklmnop.png/../../x.png',
  'client_abc%2F..%2Fx.png',
  'client_abc/1717740000000-abcdefghijklmnop.svg',
  'client_abc/1717740000000-abcdefghijklmnop.png\0',
  'client_abc/short-abc.png',
  'client_abc/sub/1717740000000-abcdefghijklmnop.png',
  '..\\..\\secret.png',
];

/** Runs the contract against stores made by `makeStore` (one per test). */
export function describeFileStore(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`file store contract: ${name}`, () => {
    let sources: string;
    beforeAll(async () => {
      sources = await mkdtemp(join(tmpdir(), 'loupe-file-sources-'));
    });
    afterAll(() => rm(sources, { recursive: true, force: true }));

    const withStore = (test: (s: StoreUnderTest) => Promise<void>) => async () => {
      const s = await makeStore();
      try {
        await test(s);
      } finally {
        await s.cleanup();
      }
    };
    const sourceFile = async (bytes: Buffer) => {
      const path = join(sources, `source-${Math.random().toString(36).slice(2)}`);
      await writeFile(path, bytes);
      return path;
    };

    it('answers ping on a working store', withStore(async ({ store }) => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(store.description).toBeTruthy();
    }));

    it('puts bytes under a fresh server-made name and reads them back with type and size', withStore(async ({ store }) => {
      const name = await store.put('client_abc', 'png', new Uint8Array([1, 2, 3]));
      expect(name).toMatch(/^client_abc\/\d{13}-[A-Za-z0-9_-]{22}\.png$/);
      expect(await store.put('client_abc', 'png', new Uint8Array([1, 2, 3]))).not.toBe(name);
      const opened = await store.open(name);
      expect(opened).toMatchObject({ sizeBytes: 3, mimeType: 'image/png' });
      expect([...new Uint8Array(await new Response(opened!.stream).arrayBuffer())]).toEqual([1, 2, 3]);
    }));

    it('stores a temp file (left in place) and an import under its own name, byte for byte', withStore(async ({ store }) => {
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
      const source = await sourceFile(bytes);
      const name = await store.putFile('client_abc', 'json.gz', source);
      expect(name).toMatch(/^client_abc\/\d+-[A-Za-z0-9_-]{22}\.json\.gz$/);
      expect((await readFile(source)).equals(bytes)).toBe(true);
      expect((await readStoredFile(store, name)).equals(bytes)).toBe(true);
      expect((await store.open(name))?.mimeType).toBe('application/gzip');

      await store.putNamed(VALID, source);
      expect((await readStoredFile(store, VALID)).equals(bytes)).toBe(true);
      expect(await storedFileNames(store)).toEqual([name, VALID].sort());
    }));

    it('never replaces a stored file on import, and refuses a name it could not have made', withStore(async ({ store }) => {
      await store.putNamed(VALID, await sourceFile(Buffer.from('first')));
      await expect(store.putNamed(VALID, await sourceFile(Buffer.from('second')))).rejects.toThrow();
      expect((await readStoredFile(store, VALID)).toString()).toBe('first');
      for (const bad of INVALID_NAMES) {
        await expect(store.putNamed(bad, await sourceFile(Buffer.from('x'))), bad).rejects.toThrow();
      }
      expect(await storedFileNames(store)).toEqual([VALID]);
    }));

    it('refuses client ids and extensions it could not store safely, and writes nothing', withStore(async ({ store }) => {
      for (const clientId of ['..', '../client_x', 'client_x/..', 'client_../x', '/etc', 'client_\0', 'abc']) {
        await expect(store.put(clientId, 'png', new Uint8Array([1])), clientId).rejects.toThrow();
      }
      // @ts-expect-error: an extension outside the allowed set is refused at runtime too
      await expect(store.put('client_ok', 'svg', new Uint8Array([1]))).rejects.toThrow();
      expect(await storedFileNames(store)).toEqual([]);
    }));

    it('opens nothing for a missing file or a name it could not have made, even when bytes are there', withStore(async ({ store, plant }) => {
      expect(await store.open(VALID)).toBeUndefined();
      await plant('secret.png', 'top secret');
      await plant('client_abc/notes.txt', 'not a stored file');
      await plant('client_abc/sub/1717740000000-abcdefghijklmnop.png', 'one level too deep');
      for (const bad of INVALID_NAMES) expect(await store.open(bad), bad).toBeUndefined();
      expect(await store.open('client_abc/notes.txt')).toBeUndefined();
    }));

    it('lists only names it could have made, with when each was written', withStore(async ({ store, plant }) => {
      const beforeMs = Date.now();
      const name = await store.put('client_abc', 'png', new Uint8Array([1]));
      await plant('secret.png', 'x');
      await plant('client_abc/notes.txt', 'x');
      await plant('client_abc/sub/1717740000000-abcdefghijklmnop.png', 'x');
      await plant('client_other/1717740000000-abcdefghijklmnop.webp', 'planted, well-formed');
      const listed = [];
      for await (const file of store.list()) listed.push(file);
      expect(listed.map((f) => f.fileName).sort()).toEqual([name, 'client_other/1717740000000-abcdefghijklmnop.webp']);
      const mine = listed.find((f) => f.fileName === name)!;
      // S3 keeps LastModified to the second; the kernel stamps files with its clock tick, which
      // can be a few milliseconds behind Date.now().
      const kernelTickMs = 20;
      expect(mine.modifiedMs).toBeGreaterThanOrEqual(Math.floor((beforeMs - kernelTickMs) / 1000) * 1000);
      expect(mine.modifiedMs).toBeLessThanOrEqual(Date.now() + 1000);
    }));

    it('removes a file, is fine with one already gone, and refuses an invalid name', withStore(async ({ store }) => {
      const name = await store.put('client_abc', 'png', new Uint8Array([1]));
      await store.remove(name);
      expect(await store.open(name)).toBeUndefined();
      await expect(store.remove(name)).resolves.toBeUndefined();
      await expect(store.remove('../loupe.db')).rejects.toThrow();
      expect(await storedFileNames(store)).toEqual([]);
    }));

    it('lets a reader stop early without breaking the store', withStore(async ({ store }) => {
      const name = await store.put('client_abc', 'png', new Uint8Array(2 * 1024 * 1024));
      for (let i = 0; i < 3; i++) {
        const opened = await store.open(name);
        const reader = opened!.stream.getReader();
        await reader.read();
        await reader.cancel();
      }
      expect((await readStoredFile(store, name)).length).toBe(2 * 1024 * 1024);
    }));
  });
}
