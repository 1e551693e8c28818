/**
 * The `screenshots[]` of a feedback may only name screenshots this server stored for the
 * submitting client, exactly as the upload answered them: otherwise the inbox and exported
 * issues would load whatever URL a sender put there.
 */
import type { ScreenshotRef } from '../lib/api/schemas.ts';
import { SCREENSHOT_REF_ERRORS } from './constants.ts';
import { storedFileUrl } from './routes/files.ts';
import type { Storage } from './storage/types.ts';

const COMPARED = ['fileSize', 'mimeType', 'width', 'height'] as const;
const OPTIONAL = new Set<(typeof COMPARED)[number]>(['width', 'height']);

/** The field issues of a feedback's screenshot refs (empty when every one is ours and unchanged). */
export async function screenshotRefIssues(
  storage: Storage,
  clientId: string,
  refs: readonly ScreenshotRef[],
  base: string,
): Promise<string[]> {
  if (refs.length === 0) return [];
  const rows = await storage.getScreenshots(clientId, refs.map((ref) => ref.fileName));
  const byName = new Map(rows.map((row) => [row.fileName, row]));
  const issues: string[] = [];
  refs.forEach((ref, index) => {
    const row = byName.get(ref.fileName);
    if (!row) {
      issues.push(`${index}: ${SCREENSHOT_REF_ERRORS.notStored}`);
      return;
    }
    if (ref.url !== storedFileUrl(base, row.fileName)) issues.push(`${index}: ${SCREENSHOT_REF_ERRORS.wrongUrl}`);
    for (const field of COMPARED) {
      // width and height are optional on the wire: absent is fine, different is not.
      if (ref[field] === undefined && OPTIONAL.has(field)) continue;
      if (ref[field] !== row[field]) issues.push(`${index}: ${SCREENSHOT_REF_ERRORS.mismatch(field)}`);
    }
  });
  return issues;
}
