/** What the benchmarks share: small statistics, sample data, and a sleep. */

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The p-th percentile (0..100) of samples sorted ascending; NaN when there are none. */
export function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? Number.NaN;
}

/** The feedback body every ingest benchmark sends: a typical tester's report. */
export function sampleFeedbackJson(clientId: string): string {
  return JSON.stringify({
    clientId,
    rating: 3,
    comment: 'The checkout button does nothing on the second click.',
    pageUrl: 'https://staging.example.com/checkout',
    pageTitle: 'Checkout',
    environment: 'staging',
    metadata: { browser: 'Chrome 156', os: 'Linux', viewport: { width: 1280, height: 800 } },
  });
}
