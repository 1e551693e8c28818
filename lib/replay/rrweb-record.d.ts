// What scripts/rrweb-patches.ts adds to `@rrweb/record` at build time.
import '@rrweb/record';

declare module '@rrweb/record' {
  /** Wraps the processing of every MutationObserver rrweb creates from now on; `undefined` removes the wrapper. */
  export function setMutationGate(
    gate: ((process: (records: MutationRecord[]) => void) => (records: MutationRecord[]) => void) | undefined,
  ): void;
}
