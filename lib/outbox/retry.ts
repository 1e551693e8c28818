/** When a failed delivery is tried again, and when it is left for the user instead. */

/** The first retry waits this long; each next one twice as long. */
export const RETRY_BASE_MS = 5_000;
/** No wait between tries is longer than this, unless the server asks for it. */
export const RETRY_MAX_MS = 60 * 60 * 1000;
/** A server's Retry-After is honoured up to this long. */
export const RETRY_AFTER_MAX_MS = 24 * 60 * 60 * 1000;

/**
 * Whether an HTTP status is worth retrying: network failures (status 0), timeouts, rate
 * limits and server errors are; any other 4xx means the request itself must change.
 */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Exponential backoff from 5 s to 1 h, with ±20% jitter so many clients do not retry in step. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const exact = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exact * (0.8 + 0.4 * random()));
}

/** A Retry-After header (seconds or an HTTP date) in ms from `nowMs`, or undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}

/** The wait before the next try: what the server asked for, else the backoff. */
export function nextDelayMs(attempts: number, retryAfterMs: number | undefined, random?: () => number): number {
  return retryAfterMs ?? backoffMs(attempts, random);
}
