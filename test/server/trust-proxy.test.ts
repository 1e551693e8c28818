/**
 * Behind reverse proxies every request comes from the nearest proxy: with --trust-proxy N the
 * per-IP limits (ingest and the read API's guessing limit) count the client's address from
 * X-Forwarded-For, N hops from the right; without it the header is ignored, so a client cannot
 * dodge a limit by writing its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postFeedback, startTestServer, type TestServer } from './helpers.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const IP_LIMIT = 2;

async function statuses(forwardedFor: string[]): Promise<number[]> {
  const { id } = await createClient(t!.server.storage, { name: 'proxied' });
  const out: number[] = [];
  for (const xff of forwardedFor) out.push((await postFeedback(t!.url, { clientId: id, rating: 3 }, { 'X-Forwarded-For': xff })).status);
  return out;
}

describe('client addresses behind reverse proxies', () => {
  it('ignores X-Forwarded-For unless told to trust proxies: a forged header does not escape the limit', async () => {
    t = await startTestServer({ rateLimitIpPerMin: IP_LIMIT });
    expect(await statuses(['10.0.0.1', '10.0.0.2', '10.0.0.3'])).toEqual([200, 200, 429]);
  });

  it('with one proxy, counts each client the proxy names, by the address it appended', async () => {
    t = await startTestServer({ rateLimitIpPerMin: IP_LIMIT, trustProxyHops: 1 });
    // The client may write anything at the left; the proxy appends the address it saw.
    expect(await statuses(['1.1.1.1, 10.0.0.1', '2.2.2.2, 10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.2'])).toEqual([200, 200, 429, 200, 200]);
  });

  it('counts failed sign-ins per client behind the proxy too', async () => {
    t = await startTestServer({ trustProxyHops: 2, adminToken: 'admin-token-for-proxy-tests-0123456789' });
    const guess = (xff: string) =>
      fetch(`${t!.url}/api/projects`, { headers: { Authorization: 'Bearer wrong-guess', 'X-Forwarded-For': xff } }).then((r) => r.status);
    // Two proxies: the client's address is second from the right of what they forwarded (then the peer).
    for (let i = 0; i < 20; i++) expect(await guess('9.9.9.9, 10.0.0.7, 172.16.0.1')).toBe(401);
    expect(await guess('8.8.8.8, 10.0.0.7, 172.16.0.1')).toBe(429);
    expect(await guess('10.0.0.8, 172.16.0.1')).toBe(401);
  });
});
