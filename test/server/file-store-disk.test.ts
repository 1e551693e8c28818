/** The file store contract on disk, plus where the disk store puts things. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createDiskFileStore } from '../../server/storage/disk-files.ts';
import { describeFileStore } from '../support/file-store-contract.ts';
import { listFilesBelow } from './helpers.ts';

async function diskStore() {
  const dir = await mkdtemp(join(tmpdir(), 'loupe-files-'));
  return {
    dir,
    store: createDiskFileStore(join(dir, 'files')),
    async plant(path: string, bytes: string) {
      await mkdir(dirname(join(dir, 'files', path)), { recursive: true });
      await writeFile(join(dir, 'files', path), bytes);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describeFileStore('disk', diskStore);

it('writes under <dir>/<clientId>/<name> and nowhere else', async () => {
  const { dir, store, cleanup } = await diskStore();
  try {
    const name = await store.put('client_abc', 'png', new Uint8Array([1, 2, 3]));
    expect(await listFilesBelow(dir)).toEqual([`files/${name}`]);
  } finally {
    await cleanup();
  }
});
