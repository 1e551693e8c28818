/**
 * The file store on disk, under `<dir>/<clientId>/<name>`: the default engine. Every path is
 * checked twice (strict name pattern, then resolved prefix) so that nothing is ever read or
 * written outside `dir`.
 */
import { constants as fsConstants } from 'node:fs';
import { access, copyFile, link, mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { SAFE_CLIENT_ID } from '../ids.ts';
import { mimeTypeOf, newFileName, parseFileName } from './file-names.ts';
import type { FileStore, StoredExt } from './files.ts';

/** Flushes a file's bytes, or a directory's entries, to the disk. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Puts `sourcePath` at `path` (never replacing a file) and flushes both to the disk. */
async function linkDurably(sourcePath: string, path: string): Promise<void> {
  // A hard link is atomic and, like 'wx', never replaces a file; another filesystem needs a copy.
  try {
    await link(sourcePath, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(sourcePath, path, fsConstants.COPYFILE_EXCL);
  }
  // On disk before the row that names it commits: a power cut must not leave a row (and a
  // remembered answer) for a file that is empty or gone.
  await syncPath(path);
  await syncPath(dirname(path));
}

/** A file store rooted at `dir` (created on first write). */
export function createDiskFileStore(dir: string): FileStore {
  const root = resolve(dir);

  function inside(...parts: string[]): string | undefined {
    const path = resolve(root, ...parts);
    return path.startsWith(root + sep) ? path : undefined;
  }

  /** Absolute path of a well-formed name inside `root`, or `undefined` when refused. */
  function pathOf(fileName: string): string | undefined {
    const parsed = parseFileName(fileName);
    return parsed && inside(parsed.clientId, parsed.baseName);
  }

  /** A fresh name and its path, with the client's folder made. */
  async function newFile(clientId: string, ext: StoredExt): Promise<{ fileName: string; path: string }> {
    const fileName = newFileName(clientId, ext);
    const path = pathOf(fileName);
    if (!path) throw new Error('Refusing a path outside the files directory');
    await mkdir(dirname(path), { recursive: true });
    return { fileName, path };
  }

  return {
    description: `directory ${root}`,

    async put(clientId, ext, bytes) {
      const { fileName, path } = await newFile(clientId, ext);
      // 'wx' never overwrites: a name collision fails loudly instead of replacing a file.
      await writeFile(path, bytes, { flag: 'wx' });
      return fileName;
    },

    async putFile(clientId, ext, sourcePath) {
      const { fileName, path } = await newFile(clientId, ext);
      await linkDurably(sourcePath, path);
      return fileName;
    },

    async putNamed(fileName, sourcePath) {
      const path = pathOf(fileName);
      if (!path) throw new Error(`Refusing to store an invalid file name: ${fileName}`);
      await mkdir(dirname(path), { recursive: true });
      await linkDurably(sourcePath, path);
    },

    async open(fileName) {
      const parsed = parseFileName(fileName);
      const path = pathOf(fileName);
      if (!path || !parsed) return undefined;
      let handle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const stats = await handle.stat().catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      if (!stats.isFile()) {
        await handle.close();
        return undefined;
      }
      // The stream owns the handle from here on and closes it when done or cancelled.
      const nodeStream = handle.createReadStream({ autoClose: true });
      return {
        stream: Readable.toWeb(nodeStream) as ReadableStream<Uint8Array>,
        sizeBytes: stats.size,
        mimeType: mimeTypeOf(parsed.ext),
      };
    },

    async remove(fileName) {
      const path = pathOf(fileName);
      if (!path) throw new Error('Refusing to remove an invalid file name');
      await rm(path, { force: true });
    },

    // Nothing is held open between calls.
    async close() {},

    async ping() {
      try {
        await mkdir(root, { recursive: true });
        await access(root, fsConstants.R_OK | fsConstants.W_OK);
      } catch (error) {
        throw new Error(`Files directory ${root} is not usable: ${(error as Error).message}`, { cause: error });
      }
    },

    async *list() {
      const clients = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      for (const clientDir of clients) {
        if (!clientDir.isDirectory() || !SAFE_CLIENT_ID.test(clientDir.name)) continue;
        const names = await readdir(resolve(root, clientDir.name)).catch(() => [] as string[]);
        for (const name of names) {
          const fileName = `${clientDir.name}/${name}`;
          const path = pathOf(fileName);
          // Stat may race a removal: a file gone meanwhile is simply not listed.
          const stats = path ? await stat(path).catch(() => undefined) : undefined;
          if (stats?.isFile()) yield { fileName, modifiedMs: stats.mtimeMs };
        }
      }
    },
  };
}
