/**
 * Guessing limits of the read API: failed authentications per remote address and per named
 * key id, checked before a key is looked up or a signature computed, so that guessing a
 * secret or the admin token costs a minute per 20 tries and next to nothing of the server.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { AUTH_FAILURE_LIMITS } from '../constants.ts';
import { createRateLimiter, type RateVerdict } from '../rate-limit.ts';

/** The limits of one app; in memory, nothing to stop. */
export interface GuessLimit {
  /** Whether a request from `address` naming `kid` may be checked at all; takes nothing. */
  check(address: string, kid: string | undefined): RateVerdict;
  /** Counts one failure against the address, and against the key when the guess was at its secret. */
  failed(address: string, kid: string | undefined): void;
}

/** Builds the limits on the app's clock. */
export function createGuessLimit(nowMs: () => number): GuessLimit {
  const byAddress = createRateLimiter({ perMinute: AUTH_FAILURE_LIMITS.addressPerMin, nowMs });
  const byKid = createRateLimiter({ perMinute: AUTH_FAILURE_LIMITS.kidPerMin, nowMs });
  return {
    check(address, kid) {
      const verdict = byAddress.peek(address);
      return verdict.ok && kid !== undefined ? byKid.peek(kid) : verdict;
    },
    failed(address, kid) {
      byAddress.take(address);
      if (kid !== undefined) byKid.take(kid);
    },
  };
}

/** The peer's address (behind a reverse proxy, the proxy's: README, rate limits). */
export function remoteAddressOf(c: Context): string {
  // Requests made with app.request() in tests have no socket.
  const env = c.env as { incoming?: unknown } | undefined;
  return (env?.incoming ? getConnInfo(c).remote.address : undefined) ?? 'unknown';
}
