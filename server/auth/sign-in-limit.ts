/**
 * The sign-in failure limits, per account and per remote address, counted in the database
 * (server/shared-rate-limit.ts) so that every instance draws on one allowance. Only failures
 * drain them; an attempt is refused 429 before its password is checked once either is empty.
 * Two attempts at once may both pass the check: at most the concurrency over the limit.
 */
import { SIGN_IN_LIMITS } from '../constants.ts';
import type { RateVerdict } from '../rate-limit.ts';
import { createSharedRateLimiter } from '../shared-rate-limit.ts';
import type { Storage } from '../storage/types.ts';

/** The limits of one app. */
export interface SignInLimit {
  /** Whether a sign-in for `email` from `address` may be checked at all; takes nothing. */
  check(email: string, address: string): Promise<RateVerdict>;
  /** Counts one failure against both. */
  failed(email: string, address: string): Promise<void>;
  /** As `check`, for the remote address alone (a single sign-on callback, before any e-mail is known). */
  checkAddress(address: string): Promise<RateVerdict>;
  /** Counts one failure against the address alone. */
  failedAddress(address: string): Promise<void>;
  /** Whether another password reset e-mail may go to `email` now (takes one). */
  mayEmailReset(email: string): Promise<boolean>;
}

/** Builds the limits on the app's storage and clock. */
export function createSignInLimit(options: {
  storage: Storage;
  nowMs: () => number;
  logError: (message: string, error: unknown) => void;
}): SignInLimit {
  const shared = (namespace: string, perMinute: number) => createSharedRateLimiter({ ...options, namespace, perMinute });
  const byAccount = shared('sign-in-account:', SIGN_IN_LIMITS.accountFailuresPerMin);
  const byAddress = shared('sign-in-address:', SIGN_IN_LIMITS.addressFailuresPerMin);
  const resets = shared('password-reset:', SIGN_IN_LIMITS.resetEmailsPerMin);
  return {
    async check(email, address) {
      const verdicts = await Promise.all([byAccount.peek(email), byAddress.peek(address)]);
      const waits = verdicts.flatMap((verdict) => (verdict.ok ? [] : [verdict.retryAfterSeconds]));
      return waits.length === 0 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(...waits) };
    },
    async failed(email, address) {
      await Promise.all([byAccount.take(email), byAddress.take(address)]);
    },
    checkAddress: (address) => byAddress.peek(address),
    async failedAddress(address) {
      await byAddress.take(address);
    },
    mayEmailReset: async (email) => (await resets.take(email)).ok,
  };
}
