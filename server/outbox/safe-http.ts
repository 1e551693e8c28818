/**
 * Outbound HTTP for webhooks and trackers, safe against a URL that points inside: every
 * address a host name resolves to is checked at connect time (so a DNS answer that changes
 * between check and connect changes nothing), and loopback, private, link-local and other
 * special addresses are refused unless the host is listed in WEBHOOK_ALLOWED_HOSTS. No
 * redirect is followed; the answer's body is read up to a cap; the whole exchange has a deadline.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { OUTBOUND } from '../constants.ts';

/** Hosts (names or addresses, as the URL spells them) that may be private: env WEBHOOK_ALLOWED_HOSTS. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[OUTBOUND.allowedHostsEnvVar] ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
}

// Addresses no delivery may reach unless allowed: RFC 6890's special-purpose blocks.
const special = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) special.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) {
  special.addSubnet(net, prefix, 'ipv6');
}

/** Whether an address is loopback, private, link-local or otherwise not on the public internet. */
export function isSpecialAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return special.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4-mapped IPv6 address is its IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? special.check(mapped[1]!, 'ipv4') : special.check(address, 'ipv6');
}

/** Why a URL is not one a delivery may go to, or `undefined` when it may (addresses are checked when connecting). */
export function urlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Must be an http(s) URL';
  if (url.username || url.password) return 'Must not carry a user name or password';
  return undefined;
}

/** A failed exchange: `reason` says what happened, as shown to owners. */
export class OutboundError extends Error {}

/** An answer: its status, the start of its body, and what `Retry-After` asked for. */
export interface OutboundAnswer {
  status: number;
  body: string;
  /** `Retry-After` in ms from now, when the answer had one. */
  retryAfterMs?: number;
  /** True when the body was longer than read. */
  truncated: boolean;
  /** A redirect's `Location` (never followed). */
  location?: string;
  /** The answer's headers, names in lower case, repeated ones joined with `, `. */
  headers: Record<string, string>;
}

/** What a request needs. */
export interface OutboundRequest {
  url: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
  allowedHosts: readonly string[];
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** `Retry-After` (seconds or an HTTP date) in ms from `nowMs`, or `undefined`. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function guardedLookup(host: string, allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const refused = allowed ? undefined : list.find((a) => isSpecialAddress(a.address));
      if (refused) {
        return callback(new OutboundError(`${host} resolves to ${refused.address}, a private or local address (allow it with ${OUTBOUND.allowedHostsEnvVar})`), '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Sends one request and reads its answer; rejects with an OutboundError that names the problem. */
export function sendOutbound(request: OutboundRequest): Promise<OutboundAnswer> {
  const problem = urlProblem(request.url);
  if (problem) return Promise.reject(new OutboundError(`${problem}: ${request.url}`));
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = request.allowedHosts.includes(host);
  if (isIP(host) && !allowed && isSpecialAddress(host)) {
    return Promise.reject(new OutboundError(`${host} is a private or local address (allow it with ${OUTBOUND.allowedHostsEnvVar})`));
  }
  const timeoutMs = request.timeoutMs ?? OUTBOUND.timeoutMs;
  const cap = request.maxResponseBytes ?? OUTBOUND.maxResponseBytes;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<OutboundAnswer>((resolve, reject) => {
    // Settled once: by the answer's end, or by a failure (the deadline included) before it.
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      reject(error instanceof OutboundError ? error : new OutboundError(error.message));
    };
    const req = transport.request(
      url,
      {
        method: request.method ?? 'POST',
        headers: { 'user-agent': OUTBOUND.userAgent, ...request.headers },
        lookup: guardedLookup(host, allowed),
        // A fresh connection each time: a pooled one could outlive the address check.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let read = 0;
        let truncated = false;
        const done = () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          const header = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfterMs: retryAfterMs(Array.isArray(header) ? header[0] : header, Date.now()),
            truncated,
            location: res.headers.location,
            headers: Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)])),
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, cap - read));
          read += chunk.length;
          if (read < cap) return;
          // Enough read: the rest is not waited for.
          truncated = read > cap;
          done();
          res.destroy();
        });
        res.on('end', done);
        res.on('error', fail);
      },
    );
    const deadline = setTimeout(() => {
      fail(new OutboundError(`No full answer within ${timeoutMs / 1000} s`));
      req.destroy();
    }, timeoutMs);
    req.on('error', fail);
    req.on('close', () => {
      if (!settled) fail(new OutboundError('The connection closed before the answer ended'));
    });
    req.end(request.body);
  });
}

/**
 * `fetch` over sendOutbound, for the vendors' clients (Octokit, …): the same address checks,
 * deadline, size cap and no redirects. Only what those clients use: a string body, the answer
 * read whole (up to the cap).
 */
export function guardedFetch(options: { allowedHosts: readonly string[]; timeoutMs?: number; maxResponseBytes: number }): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body === null ? undefined : await request.text();
    const answer = await sendOutbound({
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body,
      allowedHosts: options.allowedHosts,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
    });
    if (answer.truncated) throw new OutboundError(`The answer was longer than ${options.maxResponseBytes} bytes`);
    const empty = answer.status === 204 || answer.status === 304;
    return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
  };
}
