/**
 * Uploaded files on disk, under `<dir>/<clientId>/<name>`. The server makes every name
 * itself, and every path is checked twice (strict pattern, then resolved prefix) so that
 * nothing is ever read or written outside `dir`.
 */
import { constants as fsConstants } from 'node:fs';
import { access, copyFile, link, mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ID_RANDOM_CHARS, STORED_FILE_TYPES } from '../constants.ts';
import { SAFE_CLIENT_ID, randomUrlSafe } from '../ids.ts';

/** An extension the store accepts, e.g. `png` or `json.gz`. */
export type StoredExt = keyof typeof STORED_FILE_TYPES;

/** A stored file, opened for reading. */
export interface StoredFile {
  /** The bytes; cancelling it closes the file. */
  stream: ReadableStream<Uint8Array>;
  sizeBytes: number;
  /** Derived from the extension the server chose from the bytes at upload time. */
  mimeType: string;
}

/** A stored file as the sweep sees it. */
export interface ListedFile {
  /** `<clientId>/<name>`. */
  fileName: string;
  /** Last modification, ms since the epoch: when its write finished. */
  modifiedMs: number;
}

/** Files of all clients, addressed by `<clientId>/<name>`. */
export interface FileStore {
  /** Absolute directory holding every client's folder. */
  readonly dir: string;
  /** Writes new bytes under a fresh name and returns `<clientId>/<name>`. */
  put(clientId: string, ext: StoredExt, bytes: Uint8Array): Promise<string>;
  /** Stores a file already on disk (an upload's temp file, left in place) under a fresh name; returns `<clientId>/<name>`. */
  putFile(clientId: string, ext: StoredExt, sourcePath: string): Promise<string>;
  /** Stores a file already on disk under a name the store made before (an import); never replaces one. */
  putNamed(fileName: string, sourcePath: string): Promise<void>;
  /** Opens a stored file, or `undefined` when the name is invalid or nothing is there. */
  open(fileName: string): Promise<StoredFile | undefined>;
  /** Deletes a stored file (a write whose row could not follow); a missing file is fine. */
  remove(fileName: string): Promise<void>;
  /** Absolute path of a well-formed name inside `dir`, or `undefined` when refused. */
  resolve(fileName: string): string | undefined;
  /** Every file with a name the store could have made, in no particular order (not temp files). */
  list(): AsyncIterable<ListedFile>;
  /** Resolves when the store can be read and written; rejects (with why) when it cannot. */
  ping(): Promise<void>;
}

const EXT_PATTERN = Object.keys(STORED_FILE_TYPES).map((ext) => ext.replaceAll('.', '\\.')).join('|');
// `<clientId>/<ms>-<random>.<ext>`: no dots besides the extension's, no `%`, no NUL.
const FILE_NAME = new RegExp(
  `^(${SAFE_CLIENT_ID.source.slice(1, -1)})/(\\d{1,16}-[A-Za-z0-9_-]{16,64}\\.(${EXT_PATTERN}))$`,
);

function isStoredExt(ext: string): ext is StoredExt {
  return Object.hasOwn(STORED_FILE_TYPES, ext);
}

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
export function createFileStore(dir: string): FileStore {
  const root = resolve(dir);

  function inside(...parts: string[]): string | undefined {
    const path = resolve(root, ...parts);
    return path.startsWith(root + sep) ? path : undefined;
  }

  function resolveName(fileName: string): string | undefined {
    const match = FILE_NAME.exec(fileName);
    if (!match) return undefined;
    return inside(match[1]!, match[2]!);
  }

  function extOf(fileName: string): StoredExt | undefined {
    const ext = FILE_NAME.exec(fileName)?.[3];
    return ext !== undefined && isStoredExt(ext) ? ext : undefined;
  }

  /** A fresh `<clientId>/<ms>-<random>.<ext>` name and its path, with the client's folder made. */
  async function newFile(clientId: string, ext: StoredExt): Promise<{ fileName: string; path: string }> {
    if (!SAFE_CLIENT_ID.test(clientId)) throw new Error(`Refusing unsafe client id for a file path`);
    if (!isStoredExt(ext)) throw new Error(`Refusing to store a .${String(ext)} file`);
    const clientDir = inside(clientId);
    if (!clientDir) throw new Error('Refusing a path outside the files directory');
    const fileName = `${clientId}/${Date.now()}-${randomUrlSafe(ID_RANDOM_CHARS.file)}.${ext}`;
    const path = resolveName(fileName);
    if (!path) throw new Error('Generated an invalid file name');
    await mkdir(clientDir, { recursive: true });
    return { fileName, path };
  }

  return {
    dir: root,

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
      const path = resolveName(fileName);
      if (!path) throw new Error(`Refusing to store an invalid file name: ${fileName}`);
      await mkdir(dirname(path), { recursive: true });
      await linkDurably(sourcePath, path);
    },

    async open(fileName) {
      const path = resolveName(fileName);
      const ext = extOf(fileName);
      if (!path || !ext) return undefined;
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
        mimeType: STORED_FILE_TYPES[ext],
      };
    },

    async remove(fileName) {
      const path = resolveName(fileName);
      if (!path) throw new Error('Refusing to remove an invalid file name');
      await rm(path, { force: true });
    },

    resolve: resolveName,

    async ping() {
      await mkdir(root, { recursive: true });
      await access(root, fsConstants.R_OK | fsConstants.W_OK);
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
          const path = resolveName(fileName);
          // Stat may race a removal: a file gone meanwhile is simply not listed.
          const stats = path ? await stat(path).catch(() => undefined) : undefined;
          if (stats?.isFile()) yield { fileName, modifiedMs: stats.mtimeMs };
        }
      }
    },
  };
}
