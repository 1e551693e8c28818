/** The last step of an upload: its row and answer commit together, or its file goes again. */
import type { JsonAnswer, WriteOutcome } from '../idempotency.ts';
import type { FileStore } from '../storage/files.ts';
import type { StoredAnswer } from '../storage/types.ts';

/**
 * Runs the storage write that records `fileName` with `answer`. When it fails, or an earlier
 * answer for the key won (so no row names the new file), the file is removed at once; if
 * the process dies first, the orphan sweep removes it later.
 */
export async function commitUpload(
  files: FileStore,
  fileName: string,
  answer: JsonAnswer,
  record: () => Promise<StoredAnswer | undefined>,
): Promise<WriteOutcome> {
  let earlier: StoredAnswer | undefined;
  try {
    earlier = await record();
  } catch (error) {
    await files.remove(fileName).catch(() => undefined);
    throw error;
  }
  if (earlier) await files.remove(fileName).catch(() => undefined);
  return { answer, earlier };
}
