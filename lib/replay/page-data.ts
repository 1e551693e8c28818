/**
 * The rule for what a page may add to a report (`window.loupe.metadata()`, `loupe:set-data`):
 * a plain object of plain JSON values, shallow and small. Checked in the page's world (to
 * warn the page's developer in its console) and again by the recorder (the page can post
 * anything on the channel).
 */

/** The page's data, serialised, may take at most this many UTF-8 bytes. */
export const PAGE_DATA_MAX_BYTES = 2 * 1024;
/** Objects and arrays nest at most this deep (which also ends a walk round a cycle). */
export const PAGE_DATA_MAX_DEPTH = 6;
// More values than fit in PAGE_DATA_MAX_BYTES: stop walking a huge array early.
const MAX_VALUES = PAGE_DATA_MAX_BYTES / 2;

/** Why `value` cannot be the page's data, in words for the page's developer, or undefined when it can. */
export function pageDataProblem(value: unknown): string | undefined {
  let values = 0;
  const walk = (item: unknown, path: string, depth: number): string | undefined => {
    if (++values > MAX_VALUES) return `it has more than ${MAX_VALUES} values`;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return undefined;
    if (typeof item === 'number') return Number.isFinite(item) ? undefined : `${path} is ${item}, which JSON cannot hold`;
    if (typeof item !== 'object') return `${path} is ${typeof item === 'undefined' ? 'undefined' : `a ${typeof item}`}, not a JSON value`;
    if (depth >= PAGE_DATA_MAX_DEPTH) return `${path} nests more than ${PAGE_DATA_MAX_DEPTH} levels deep (or refers to itself)`;
    const array = Array.isArray(item);
    const prototype = Object.getPrototypeOf(item);
    if (!array && prototype !== Object.prototype && prototype !== null) {
      return `${path} is ${prototype?.constructor?.name ? `a ${prototype.constructor.name}` : 'an object with a prototype'}, not a plain object`;
    }
    // By index for arrays: listing the keys of a huge one would cost what the walk saves.
    const keys = array ? undefined : Object.keys(item);
    const count = keys ? keys.length : (item as unknown[]).length;
    for (let i = 0; i < count; i++) {
      const key = keys ? keys[i]! : i;
      const problem = walk((item as Record<string, unknown>)[key], array ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it must be a plain object';
  const problem = walk(value, 'data', 0);
  if (problem) return problem;
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  return bytes > PAGE_DATA_MAX_BYTES ? `it takes ${bytes} bytes as JSON, over the limit of ${PAGE_DATA_MAX_BYTES}` : undefined;
}
