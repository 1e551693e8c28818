/**
 * The guessing limit of the read API: failed authentications per remote address, checked
 * before a key is looked up or a signature computed, so that guessing a secret or the admin
 * token costs a minute per 20 tries and next to nothing of the server.
 */
import { AUTH_FAILURE_LIMITS } from '../constants.ts';
import { createRateLimiter, type RateVerdict } from '../rate-limit.ts';

/** The limit of one app; in memory, nothing to stop. */
export interface GuessLimit {
  /** Whether a request from `address` may be checked at all; takes nothing. */
  check(address: string): RateVerdict;
  /** Counts one failure against the address. */
  failed(address: string): void;
}

/** Builds the limit on the app's clock. */
export function createGuessLimit(nowMs: () => number): GuessLimit {
  const byAddress = createRateLimiter({ perMinute: AUTH_FAILURE_LIMITS.addressPerMin, nowMs });
  return {
    check: (address) => byAddress.peek(address),
    failed: (address) => void byAddress.take(address),
  };
}
