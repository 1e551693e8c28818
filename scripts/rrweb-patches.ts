/**
 * Build-time fixes to `@rrweb/record`, applied by a Vite transform. Each finds one exact
 * spot in rrweb's source; when rrweb changes and the spot is gone (or appears twice), the
 * build fails naming the patch, so a dependency bump cannot drop a fix silently. Beside
 * each: what it fixes, and what that cost on the recorder bench's page (bench/recorder.ts).
 */

/** The rrweb bundle the recorder imports. */
const RRWEB_RECORD_FILE = /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;

type Patch = { name: string; find: string; replace: string };

/** The patches, applied in order; each `find` must occur exactly once. */
export const RRWEB_PATCHES: readonly Patch[] = [
  {
    // A full snapshot reads `scrollLeft`/`scrollTop` of every element; inside a
    // `content-visibility: auto` subtree the browser skips while it is off screen, each read
    // forces that subtree's layout (1.1 s of main thread per snapshot on 1,000 such rows).
    // Offsets are read only of rendered elements (`checkVisibility` needs style, not layout):
    // a skipped subtree is not on screen, and rrweb's scroll observer still records later scrolls.
    name: 'scroll reads of unrendered elements',
    find: 'if (!newlyAddedElement) {\n    if (n.scrollLeft) {',
    replace: 'if (!newlyAddedElement && n.checkVisibility?.({ contentVisibilityAuto: true }) !== false) {\n    if (n.scrollLeft) {',
  },
  {
    // A content script's isolated world has `customElements === null`: rrweb threw and caught
    // a TypeError (with its stack trace) for every element it serialized, 14% of the main
    // thread on the churning bench page. The answer is the same: not a custom element.
    name: 'customElements in an isolated world',
    find: 'if (customElements.get(tagName)) isCustomElement = true;',
    replace: 'if (globalThis.customElements?.get(tagName)) isCustomElement = true;',
  },
  {
    // Lets lib/replay/mutation-gate.ts stand between each MutationObserver and rrweb's
    // processing of its records (`setMutationGate`, declared in lib/replay/rrweb-record.d.ts).
    name: 'mutation gate',
    find: 'callbackWrapper(mutationBuffer.processMutations.bind(mutationBuffer))',
    replace: 'loupeMutationGate(callbackWrapper(mutationBuffer.processMutations.bind(mutationBuffer)))',
  },
];

/** Declared after rrweb's own code: the hook `setMutationGate` sets (none: records go straight to rrweb). */
const MUTATION_GATE_EXPORT = `
let loupeMutationGate = (process) => process;
export function setMutationGate(gate) {
  loupeMutationGate = gate ?? ((process) => process);
}
`;

/** Applies every patch to rrweb's source; throws naming the first one whose spot is gone or not unique. */
export function patchRrweb(source: string): string {
  let patched = source;
  for (const patch of RRWEB_PATCHES) {
    const at = patched.indexOf(patch.find);
    if (at < 0 || patched.indexOf(patch.find, at + 1) >= 0) {
      throw new Error(`rrweb-patches: "${patch.name}" no longer matches rrweb's source once; review scripts/rrweb-patches.ts`);
    }
    patched = patched.replace(patch.find, patch.replace);
  }
  return patched + MUTATION_GATE_EXPORT;
}

/** The Vite plugin that applies `patchRrweb` to `@rrweb/record`. */
export function rrwebPatches() {
  return {
    name: 'loupe:rrweb-patches',
    enforce: 'pre' as const,
    transform(source: string, id: string) {
      return RRWEB_RECORD_FILE.test(id) ? { code: patchRrweb(source), map: null } : undefined;
    },
  };
}
