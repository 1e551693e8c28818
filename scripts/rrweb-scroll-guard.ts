/**
 * A build-time fix to rrweb's full snapshot. For every element it reads `scrollLeft` and
 * `scrollTop`; inside a `content-visibility: auto` subtree the browser skips while it is off
 * screen, each read forces that subtree's layout. On a page of 1,000 such rows one snapshot
 * took 1.1 s of main thread (bench/RESULTS.md), once per checkout. The guard reads scroll
 * offsets only of elements the browser renders (`checkVisibility`, which needs style, not
 * layout): a skipped subtree is not on screen, so a replay loses nothing a user could see,
 * and rrweb's scroll observer still records any scroll made there later.
 */

/** The rrweb bundle the recorder imports. */
const RRWEB_RECORD_FILE = /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;
/** rrweb 2.x's serializeElementNode: scroll offsets are read for elements not newly added. */
const SCROLL_READ = 'if (!newlyAddedElement) {\n    if (n.scrollLeft) {';
const GUARDED_SCROLL_READ =
  'if (!newlyAddedElement && n.checkVisibility?.({ contentVisibilityAuto: true }) !== false) {\n    if (n.scrollLeft) {';

/** Inserts the guard into rrweb's source; throws when rrweb changed and the spot is gone, so a dependency bump cannot drop the fix silently. */
export function guardScrollReads(source: string): string {
  const at = source.indexOf(SCROLL_READ);
  if (at < 0 || source.indexOf(SCROLL_READ, at + 1) >= 0) {
    throw new Error('rrweb-scroll-guard: rrweb no longer reads scroll offsets as expected; review scripts/rrweb-scroll-guard.ts');
  }
  return source.replace(SCROLL_READ, GUARDED_SCROLL_READ);
}

/** The Vite plugin that applies `guardScrollReads` to `@rrweb/record`. */
export function rrwebScrollGuard() {
  return {
    name: 'loupe:rrweb-scroll-guard',
    enforce: 'pre' as const,
    transform(source: string, id: string) {
      return RRWEB_RECORD_FILE.test(id) ? { code: guardScrollReads(source), map: null } : undefined;
    },
  };
}
