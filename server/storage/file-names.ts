/**
 * The names of stored files, `<clientId>/<ms>-<random>.<ext>`, shared by every file store:
 * the server makes each name itself, and a name is accepted back (from a URL, a row or a
 * listing) only when it matches the one strict pattern here, so no engine can drift.
 */
import { ID_RANDOM_CHARS, STORED_FILE_TYPES } from '../constants.ts';
import { SAFE_CLIENT_ID, randomUrlSafe } from '../ids.ts';

/** An extension the store accepts, e.g. `png` or `json.gz`. */
export type StoredExt = keyof typeof STORED_FILE_TYPES;

const EXT_PATTERN = Object.keys(STORED_FILE_TYPES).map((ext) => ext.replaceAll('.', '\\.')).join('|');
// No dots besides the extension's, no `%`, no NUL, no second slash: nothing a path or key could climb out of.
const FILE_NAME = new RegExp(
  `^(${SAFE_CLIENT_ID.source.slice(1, -1)})/(\\d{1,16}-[A-Za-z0-9_-]{16,64}\\.(${EXT_PATTERN}))$`,
);

/** A well-formed name split into its parts. */
export interface ParsedFileName {
  clientId: string;
  /** The part after the slash, e.g. `1717740000000-abc….png`. */
  baseName: string;
  ext: StoredExt;
}

function isStoredExt(ext: string): ext is StoredExt {
  return Object.hasOwn(STORED_FILE_TYPES, ext);
}

/** The parts of a name a store could have made, or `undefined` for anything else. */
export function parseFileName(fileName: string): ParsedFileName | undefined {
  const match = FILE_NAME.exec(fileName);
  const ext = match?.[3];
  if (!match || ext === undefined || !isStoredExt(ext)) return undefined;
  return { clientId: match[1]!, baseName: match[2]!, ext };
}

/** Whether a name is one a store could have made (the check before any lookup). */
export function isValidFileName(fileName: string): boolean {
  return parseFileName(fileName) !== undefined;
}

/** The type a stored file is served with, from its extension (chosen from the bytes at upload). */
export function mimeTypeOf(ext: StoredExt): string {
  return STORED_FILE_TYPES[ext];
}

/** A fresh `<clientId>/<ms>-<random>.<ext>`; throws on a client id or extension that could not be stored. */
export function newFileName(clientId: string, ext: StoredExt, nowMs: number = Date.now()): string {
  if (!SAFE_CLIENT_ID.test(clientId)) throw new Error(`Refusing unsafe client id for a file name`);
  if (!isStoredExt(ext)) throw new Error(`Refusing to store a .${String(ext)} file`);
  const fileName = `${clientId}/${nowMs}-${randomUrlSafe(ID_RANDOM_CHARS.file)}.${ext}`;
  if (!isValidFileName(fileName)) throw new Error('Generated an invalid file name');
  return fileName;
}
