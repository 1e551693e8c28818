/** The address a request came from, for the per-address limits (ingest and read API). */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The peer's address; behind a reverse proxy, the proxy's (README, rate limits). */
export function remoteAddressOf(c: Context): string {
  // Requests made with app.request() in tests have no socket.
  const env = c.env as { incoming?: unknown } | undefined;
  return (env?.incoming ? getConnInfo(c).remote.address : undefined) ?? 'unknown';
}
