/** "Export JSON": every item matching the filters, all pages of them, downloaded as one file. */
import type { Api } from './api.ts';
import type { FeedbackItem, FilterClause } from './types.ts';

// The read API's largest page: fewest round trips.
const EXPORT_PAGE_SIZE = 100;

/** Fetches all pages of `query` and downloads them; `onProgress` gets the running item count. */
export async function exportFiltered(
  api: Api,
  projectId: string,
  query: FilterClause[],
  onProgress: (count: number) => void,
): Promise<{ count: number; fileName: string }> {
  const items: FeedbackItem[] = [];
  let after: string | null = null;
  do {
    const page = await api.filter(projectId, query, after ? { after } : {}, EXPORT_PAGE_SIZE);
    items.push(...page.items);
    onProgress(items.length);
    after = page.next;
  } while (after);
  const exportedAt = new Date().toISOString();
  const fileName = `loupe-${projectId}-${exportedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`;
  downloadJson({ projectId, exportedAt, query, count: items.length, items }, fileName);
  return { count: items.length, fileName };
}

/** Saves `value` as a pretty JSON file through a Blob URL, freed once the download has it. */
export function downloadJson(value: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by the next task; revoking sooner can cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
