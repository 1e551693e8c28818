/**
 * Token buckets per key (an IP address, a client id), in memory. Each bucket holds up to
 * one minute's allowance and refills continuously, so a quiet client may burst once and a
 * busy one is held to the steady rate. The map is bounded: least recently seen keys go first.
 */
import { RATE_LIMIT_MAX_KEYS } from './constants.ts';

/** The verdict on one request. */
export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A limiter for one kind of key. */
export interface RateLimiter {
  /** Takes one token for `key`, or says how long until one is free. */
  take(key: string): RateVerdict;
  /** What `take` would answer, taking nothing (a key not tracked has a full bucket). */
  peek(key: string): RateVerdict;
  /** How many keys are tracked right now (bounded by `maxKeys`). */
  readonly size: number;
}

/** How a limiter is set up. */
export interface RateLimiterOptions {
  /** Requests per minute per key; 0 turns the limiter off. */
  perMinute: number;
  /** The clock, in milliseconds. */
  nowMs: () => number;
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

const MS_PER_MINUTE = 60_000;

/** A limiter owned by whoever creates it; it starts nothing and needs no stopping. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perMinute, nowMs } = options;
  const maxKeys = options.maxKeys ?? RATE_LIMIT_MAX_KEYS;
  const tokensPerMs = perMinute / MS_PER_MINUTE;
  // Map iteration follows insertion order; re-inserting on every hit keeps it LRU-ordered.
  const buckets = new Map<string, Bucket>();

  function evictOne(): void {
    const oldest = buckets.keys().next();
    if (!oldest.done) buckets.delete(oldest.value);
  }

  // A clock that steps back (tests, NTP) must not mint tokens or take them away.
  const refilled = (bucket: Bucket, now: number) =>
    Math.min(perMinute, bucket.tokens + Math.max(0, now - bucket.updatedMs) * tokensPerMs);

  function verdict(tokens: number): RateVerdict {
    if (tokens >= 1) return { ok: true };
    const waitMs = (1 - tokens) / tokensPerMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  return {
    get size() {
      return buckets.size;
    },

    take(key) {
      if (perMinute <= 0) return { ok: true };
      const now = nowMs();
      const found = buckets.get(key);
      let bucket: Bucket;
      if (found) {
        buckets.delete(key);
        bucket = { tokens: refilled(found, now), updatedMs: now };
      } else {
        // A forgotten key starts full, which is what it would have refilled to anyway
        // unless it was evicted under pressure; the bound matters more than that edge.
        while (buckets.size >= maxKeys) evictOne();
        bucket = { tokens: perMinute, updatedMs: now };
      }
      buckets.set(key, bucket);
      const answer = verdict(bucket.tokens);
      if (answer.ok) bucket.tokens -= 1;
      return answer;
    },

    peek(key) {
      const found = perMinute <= 0 ? undefined : buckets.get(key);
      return found ? verdict(refilled(found, nowMs())) : { ok: true };
    },
  };
}
