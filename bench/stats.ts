/** Small statistics shared by the benchmarks. */

/** The p-th percentile (0..100) of samples sorted ascending; NaN when there are none. */
export function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? Number.NaN;
}
