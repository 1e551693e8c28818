/**
 * Rate limits counted in the database, shared by every instance on it: a GCRA bucket
 * (a token bucket kept as one time, its theoretical arrival time) per key, moved with a
 * compare and set. Each instance claims a small batch of tokens at a time and spends them
 * locally (SHARED_RATE_LIMIT), so a busy client costs a round trip a second, not one a request.
 */
import { RATE_LIMIT_MAX_KEYS, SHARED_RATE_LIMIT } from './constants.ts';
import type { RateVerdict } from './rate-limit.ts';
import type { Storage } from './storage/types.ts';

/** A limiter over one kind of key whose allowance all instances share. */
export interface SharedRateLimiter {
  /** Takes one token for `key`, or says how long until one is free. */
  take(key: string): Promise<RateVerdict>;
  /** What `take` would answer, taking nothing (a limit that only failures drain checks first). */
  peek(key: string): Promise<RateVerdict>;
}

/** How a shared limiter is set up. */
export interface SharedRateLimiterOptions {
  storage: Storage;
  /** Requests per minute per key; 0 turns the limiter off. */
  perMinute: number;
  nowMs: () => number;
  /** Prefixes every key in the database, so that two limits never share a bucket (e.g. `client:`). */
  namespace: string;
  logError: (message: string, error: unknown) => void;
}

interface Claimed {
  remaining: number;
  expiresMs: number;
}

const MS_PER_MINUTE = 60_000;

/** A limiter owned by its app; it starts nothing and needs no stopping. */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const { storage, perMinute, nowMs } = options;
  // GCRA: each token moves the arrival time on by one interval; a full minute's allowance
  // may be spent at once, so a claim fits while the arrival time stays within a minute of now.
  const intervalMs = MS_PER_MINUTE / perMinute;
  const batch = Math.max(1, Math.floor(perMinute / 60));
  const claimed = new Map<string, Claimed>();
  const claiming = new Map<string, Promise<RateVerdict>>();
  let lastPruneMs = Number.NEGATIVE_INFINITY;

  function pruneNow(now: number): void {
    if (now - lastPruneMs < SHARED_RATE_LIMIT.pruneIntervalMs) return;
    lastPruneMs = now;
    storage.pruneRateBuckets(now).catch((error: unknown) => options.logError('Pruning rate buckets failed', error));
  }

  // How many tokens fit in a bucket at `tat` now, or the verdict when none does.
  function room(tat: number | undefined, now: number): { start: number; fits: number } | Extract<RateVerdict, { ok: false }> {
    const start = Math.max(tat ?? now, now);
    const fits = Math.floor((now + MS_PER_MINUTE - start) / intervalMs + 1e-9);
    if (fits >= 1) return { start, fits };
    const waitMs = start + intervalMs - MS_PER_MINUTE - now;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async function claim(key: string): Promise<RateVerdict> {
    const dbKey = options.namespace + key;
    for (let attempt = 0; attempt < SHARED_RATE_LIMIT.maxAttempts; attempt++) {
      const now = nowMs();
      const tat = await storage.getRateBucket(dbKey);
      const found = room(tat, now);
      if ('ok' in found) return found;
      const { start, fits } = found;
      const granted = Math.min(batch, fits);
      // Whole milliseconds: a limit that does not divide a minute has fractional intervals,
      // which PostgreSQL's bigint refuses. Rounding moves a claim by under a millisecond,
      // far below one interval, so the count stays the limit's (up, it would lose a token).
      if (await storage.setRateBucket(dbKey, Math.round(start + granted * intervalMs), tat)) {
        if (claimed.size >= RATE_LIMIT_MAX_KEYS) claimed.delete(claimed.keys().next().value!);
        claimed.delete(key);
        claimed.set(key, { remaining: granted, expiresMs: now + SHARED_RATE_LIMIT.claimLifetimeMs });
        pruneNow(now);
        return { ok: true };
      }
    }
    throw new Error(`Rate bucket ${dbKey} kept moving under ${SHARED_RATE_LIMIT.maxAttempts} attempts`);
  }

  return {
    async take(key) {
      if (perMinute <= 0) return { ok: true };
      for (;;) {
        const local = claimed.get(key);
        if (local && local.remaining > 0 && nowMs() < local.expiresMs) {
          local.remaining -= 1;
          return { ok: true };
        }
        // One claim per key at a time: requests arriving meanwhile wait for it and share its batch.
        let pending = claiming.get(key);
        if (!pending) {
          pending = claim(key).finally(() => claiming.delete(key));
          claiming.set(key, pending);
        }
        const verdict = await pending;
        if (!verdict.ok) return verdict;
      }
    },

    async peek(key) {
      if (perMinute <= 0) return { ok: true };
      const local = claimed.get(key);
      if (local && local.remaining > 0 && nowMs() < local.expiresMs) return { ok: true };
      const found = room(await storage.getRateBucket(options.namespace + key), nowMs());
      return 'ok' in found ? found : { ok: true };
    },
  };
}
