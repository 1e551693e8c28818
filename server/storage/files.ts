/**
 * The file store's interface: uploaded files of all clients, addressed by `<clientId>/<name>`
 * (names made and checked in file-names.ts). Engines: disk-files.ts (the default, under the
 * data directory) and s3-files.ts (any S3-compatible bucket); open-files.ts picks one.
 */
export type { StoredExt } from './file-names.ts';
import type { StoredExt } from './file-names.ts';

/** A stored file, opened for reading. */
export interface StoredFile {
  /** The bytes; cancelling it closes the file (or the connection it comes over). */
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
  /** Where the files are, for logs and errors: a directory, or a bucket at an endpoint. */
  readonly description: string;
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
  /** Every file with a name the store could have made, in no particular order (not temp files). */
  list(): AsyncIterable<ListedFile>;
  /** Resolves when the store can be read and written; rejects (with why) when it cannot. */
  ping(): Promise<void>;
  /** Releases what the store holds open (the S3 client's sockets); safe to call twice. */
  close(): Promise<void>;
}
