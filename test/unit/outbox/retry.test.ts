import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryable, nextDelayMs, parseRetryAfter, RETRY_MAX_MS } from '@/lib/outbox/retry';

describe('retry policy', () => {
  it('retries network errors, 408, 429 and 5xx; leaves other 4xx to the user', () => {
    expect([0, 408, 429, 500, 502, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 405, 409, 413, 422].some(isRetryable)).toBe(false);
  });

  it('backs off exponentially from 5 s to at most 1 h', () => {
    const exact = () => 0.5; // no jitter
    expect([1, 2, 3, 4].map((attempts) => backoffMs(attempts, exact))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30, exact)).toBe(RETRY_MAX_MS);
    expect(backoffMs(1, () => 0)).toBe(4_000);
    expect(backoffMs(1, () => 1)).toBe(6_000);
  });

  it('honours Retry-After in seconds or as a date', () => {
    const nowMs = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', nowMs)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', nowMs)).toBe(60_000);
    expect(parseRetryAfter('yesterday-ish', nowMs)).toBeUndefined();
    expect(parseRetryAfter(null, nowMs)).toBeUndefined();
    expect(parseRetryAfter('999999999', nowMs)).toBe(24 * 60 * 60 * 1000);
    expect(nextDelayMs(3, 2_000)).toBe(2_000);
    expect(nextDelayMs(1, undefined, () => 0.5)).toBe(5_000);
  });
});
