/** What the benchmarks share: small statistics, sample data, and a sleep. */
import { PNG } from 'pngjs';

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

/**
 * A 1280x800 PNG: flat areas plus a noisy band (like photos), so it weighs what a real screenshot
 * does: about 178 KB with the default 150 noisy rows, about 300 KB with 255.
 */
export function screenshotPng(noisyRows = 150): Uint8Array<ArrayBuffer> {
  const png = new PNG({ width: 1280, height: 800 });
  let seed = 42;
  for (let i = 0; i < png.data.length; i += 4) {
    const row = Math.floor(i / 4 / 1280);
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const noise = row > 300 && row < 300 + noisyRows ? seed % 256 : 0;
    png.data[i] = 30 + (noise >> 1);
    png.data[i + 1] = 144;
    png.data[i + 2] = 255 - (noise >> 2);
    png.data[i + 3] = 255;
  }
  // A copy on its own ArrayBuffer: a Buffer may sit on a shared one, which Blob does not take.
  return new Uint8Array(PNG.sync.write(png));
}
