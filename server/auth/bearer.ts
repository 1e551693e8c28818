/**
 * `Authorization: Bearer ...` for the read API: the server's admin token, or an HS256 JWT
 * signed by the caller with a project key's secret (kid in the header), verified with jose.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { decodeProtectedHeader, errors, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import { AUTH_ERRORS, JWT_CLOCK_TOLERANCE_SECONDS, JWT_MAX_LIFETIME_SECONDS, READ_API_ERRORS } from '../constants.ts';
import { SESSION_COOKIE, TEAM_ERRORS } from '../constants.ts';
import type { Storage } from '../storage/types.ts';
import type { RemoteAddress } from '../remote-address.ts';
import type { Access, AccessVariables } from './access.ts';
import { createGuessLimit } from './guess-limit.ts';
import { decryptSecret } from './keys.ts';
import { passesCsrf, readSession } from './session.ts';

/** A refusal, one of AUTH_ERRORS. */
export type AuthRefusal = { refused: (typeof AUTH_ERRORS)[keyof typeof AUTH_ERRORS] };

/** What token checks need. */
export interface BearerOptions {
  storage: Storage;
  masterKey: Uint8Array;
  /** When set, this exact token acts as admin for every project. */
  adminToken?: string;
  /** The clock for exp and nbf, in ms. */
  nowMs: () => number;
  /** Where a request comes from, for the guessing limit. */
  remoteAddress: RemoteAddress;
}

/** Hono variables the read API's routes read. */
export type AccessEnv = { Variables: AccessVariables };

// Digests first: timingSafeEqual needs equal lengths, and the digest hides the token's length.
function sameToken(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

// Three base64url parts: a JWS in compact form (a JWE has five, anything else is not a JWT).
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function refusalOf(error: unknown): AuthRefusal {
  if (error instanceof errors.JWSSignatureVerificationFailed) return { refused: AUTH_ERRORS.badSignature };
  // jose checks exp before iat, so an iat "too far in the past" means exp - iat is over the cap.
  if (error instanceof errors.JWTExpired) return { refused: error.claim === 'iat' ? AUTH_ERRORS.lifetimeTooLong : AUTH_ERRORS.expired };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return { refused: AUTH_ERRORS.notYetValid };
    if (error.claim === 'exp' && error.reason === 'missing') return { refused: AUTH_ERRORS.noExp };
    if (error.claim === 'iat' && error.reason === 'missing') return { refused: AUTH_ERRORS.noIat };
    if (error.claim === 'iat' && error.reason === 'check_failed') return { refused: AUTH_ERRORS.issuedInFuture };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { refused: AUTH_ERRORS.wrongAlgorithm };
  // Malformed payloads and claims (exp not a number, payload not an object, unknown crit...).
  return { refused: AUTH_ERRORS.notJwt };
}

/** A bearer token and, when it is a compact JWS, its decoded header and the key id it names (nothing checked). */
export interface BearerToken {
  token: string;
  header?: ProtectedHeaderParameters;
  kid?: string;
}

/** Reads an Authorization header value; undefined when it holds no bearer token. */
export function readBearer(authorization: string | undefined): BearerToken | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const token = match[1]!;
  if (!COMPACT_JWS.test(token)) return { token };
  try {
    const header = decodeProtectedHeader(token);
    return { token, header, kid: typeof header.kid === 'string' && header.kid !== '' ? header.kid : undefined };
  } catch {
    return { token };
  }
}

/**
 * Checks a bearer token (readBearer's); resolves to the access it grants or why it is refused.
 */
export async function verifyBearer(
  bearer: BearerToken | undefined,
  options: BearerOptions,
): Promise<Exclude<Access, { kind: 'user' }> | AuthRefusal> {
  if (!bearer) return { refused: AUTH_ERRORS.missingToken };
  const { token, header } = bearer;
  if (options.adminToken !== undefined && sameToken(token, options.adminToken)) return { kind: 'admin' };
  if (!header) return { refused: AUTH_ERRORS.notJwt };
  // Decided from the header before any key is touched: `none`, HS512, RS256... never get further.
  if (header.alg !== 'HS256') return { refused: AUTH_ERRORS.wrongAlgorithm };
  if (bearer.kid === undefined) return { refused: AUTH_ERRORS.noKid };

  const key = await options.storage.getProjectKey(bearer.kid);
  if (!key) return { refused: AUTH_ERRORS.unknownKid };
  if (key.revokedAt !== null) return { refused: AUTH_ERRORS.revokedKid };
  const secret = new TextEncoder().encode(decryptSecret(options.masterKey, key.kid, key.secretEncrypted));
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat'],
      // Requires iat and refuses one in the future (beyond the tolerance); the lifetime cap
      // below is what bounds a token, as exp - iat <= max also keeps now - iat under it.
      maxTokenAge: JWT_MAX_LIFETIME_SECONDS,
      clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(options.nowMs()),
    }));
  } catch (error) {
    return refusalOf(error);
  }
  // `exp: 1e309` parses as Infinity and year 9999 is a valid number: neither passes this.
  // Written so that NaN (Infinity - Infinity) fails too.
  if (!(claims.exp! - claims.iat! <= JWT_MAX_LIFETIME_SECONDS)) return { refused: AUTH_ERRORS.lifetimeTooLong };
  return { kind: 'key', clientId: key.clientId, kid: key.kid };
}

/** Answers a refusal: 401 with the message and a Bearer challenge. */
export function refuse(c: Context, message: AuthRefusal['refused']): Response {
  return c.json({ error: message }, 401, { 'WWW-Authenticate': 'Bearer' });
}

/**
 * Middleware: a bearer token when the request has an Authorization header, else the
 * session cookie (state-changing requests with the cookie must carry its CSRF token);
 * refuses without either, else sets `access` for the routes. Failed bearer authentications
 * are limited per address (guess-limit.ts); an address over its limit is answered 429
 * before anything is looked up. Not per key: a key id is no secret, and a limit per key
 * would let anyone lock a team's tool out by guessing at it.
 */
export function authenticate(options: BearerOptions): MiddlewareHandler<AccessEnv> {
  const guesses = createGuessLimit(options.nowMs);
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization === undefined && c.req.header('cookie')?.includes(SESSION_COOKIE.name)) {
      const session = await readSession(c, options.storage.team, options.nowMs());
      if (session?.kind === 'user') {
        if (!passesCsrf(c, session)) return c.json({ error: TEAM_ERRORS.csrf }, 403);
        c.set('access', session);
        return next();
      }
    }
    const bearer = readBearer(authorization);
    const address = options.remoteAddress(c);
    const verdict = guesses.check(address);
    if (!verdict.ok) {
      const retryAfter = { 'Retry-After': String(verdict.retryAfterSeconds) };
      return c.json({ error: READ_API_ERRORS.tooManyFailures }, 429, retryAfter);
    }
    const result = await verifyBearer(bearer, options);
    if ('refused' in result) {
      // No token at all is no guess (a page or a tool without its header): only tokens count.
      if (result.refused !== AUTH_ERRORS.missingToken) guesses.failed(address);
      return refuse(c, result.refused);
    }
    c.set('access', result);
    await next();
  };
}
