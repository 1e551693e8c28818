/**
 * The address a request came from, for the per-address limits (ingest and read API). Behind
 * reverse proxies the peer is the nearest proxy; with `trustProxyHops` set to how many there
 * are, the address is taken from `X-Forwarded-For` that many hops from the right, where only
 * those proxies can have written it (a client may put anything at the left).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { TRUST_PROXY_MAX_HOPS } from './constants.ts';

/** Reads a request's address. */
export type RemoteAddress = (c: Context) => string;

// A limiter key must stay small whatever a header holds.
const MAX_ADDRESS_CHARS = 64;

/** The reader for `trustProxyHops` proxies in front (0: the peer itself; X-Forwarded-For is ignored). */
export function createRemoteAddress(trustProxyHops: number): RemoteAddress {
  if (!Number.isInteger(trustProxyHops) || trustProxyHops < 0 || trustProxyHops > TRUST_PROXY_MAX_HOPS) {
    throw new Error(`trustProxyHops must be a whole number from 0 to ${TRUST_PROXY_MAX_HOPS}`);
  }
  return (c) => {
    // Requests made with app.request() in tests have no socket.
    const env = c.env as { incoming?: unknown } | undefined;
    const peer = (env?.incoming ? getConnInfo(c).remote.address : undefined) ?? 'unknown';
    if (trustProxyHops === 0) return peer;
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
    // [client, proxy 1, ..., proxy n-1] as forwarded, then proxy n, the peer.
    const chain = [...forwarded, peer];
    return chain[Math.max(0, chain.length - 1 - trustProxyHops)]!.slice(0, MAX_ADDRESS_CHARS);
  };
}
