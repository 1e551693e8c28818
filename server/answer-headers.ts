/**
 * The headers every answer carries, set in one place: `X-Content-Type-Options: nosniff` on
 * all of them, and CORS for any origin on /api/*, /replays/* and /openapi.json (the extension's
 * ingest and the read API; an inbox on another origin fetching replays; tools reading the API's
 * description), preflights included. The same headers hono/cors and a nosniff middleware gave,
 * but set on the handler's own answer after it is made: both of those touched `c.res` around
 * the handler, which made Hono build a placeholder Response and then copy the real one (with
 * its body stream) into a new one, a fifth of a small ingest request's time.
 */
import type { MiddlewareHandler } from 'hono';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  NOSNIFF_HEADER,
} from './constants.ts';

/** Paths whose answers may be read from any origin: each prefix itself and everything below it. */
const CORS_PREFIXES = ['/api', '/replays', '/openapi.json'];

const isCorsPath = (path: string) => CORS_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

const EVERY_ANSWER: [string, string][] = [[NOSNIFF_HEADER.name, NOSNIFF_HEADER.value]];

// Any origin, so no `Vary: Origin`; the answer is the same whoever asks.
const CORS_ANSWER: [string, string][] = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS.join(',')],
];

/** Any OPTIONS request on a CORS path is answered as a preflight, whatever it asks for. */
const PREFLIGHT_ANSWER: Record<string, string> = Object.fromEntries([
  ...CORS_ANSWER,
  ['Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS)],
  ['Access-Control-Allow-Methods', CORS_ALLOW_METHODS.join(',')],
  ['Access-Control-Allow-Headers', CORS_ALLOW_HEADERS.join(',')],
  ['Vary', 'Access-Control-Request-Headers'],
  ...EVERY_ANSWER,
]);

function setAll(headers: Headers, entries: readonly [string, string][]): void {
  for (const [name, value] of entries) headers.set(name, value);
}

/** Middleware for every path, registered first, so it also covers 404s and onError's answers. */
export const answerHeaders: MiddlewareHandler = async (c, next) => {
  const cors = isCorsPath(c.req.path);
  if (cors && c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: PREFLIGHT_ANSWER });
  await next();
  const entries = cors ? [...CORS_ANSWER, ...EVERY_ANSWER] : EVERY_ANSWER;
  try {
    setAll(c.res.headers, entries);
  } catch {
    // An answer with immutable headers (a fetched one, say): only then is it copied.
    c.res = new Response(c.res.body, c.res);
    setAll(c.res.headers, entries);
  }
};
