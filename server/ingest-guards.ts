/**
 * What stands around every ingest write: a per-IP limit (this instance's) and the
 * Idempotency-Key syntax check before the body is read, then the per-client limit (shared
 * by every instance on the database) and exactly-once delivery
 * around the one write a route makes. Owned by the app instance; nothing here is global.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CLOSE_AFTER_ANSWER, IDEMPOTENCY_HEADERS, SERVER_ERRORS } from './constants.ts';
import { createIdempotency, parseIdempotencyKey, type Execute, type JsonAnswer } from './idempotency.ts';
import { createRateLimiter, type RateVerdict } from './rate-limit.ts';
import type { RemoteAddress } from './remote-address.ts';
import { createSharedRateLimiter } from './shared-rate-limit.ts';
import type { Storage } from './storage/types.ts';

/** What the guards are built from. */
export interface IngestGuardOptions {
  storage: Storage;
  /** Requests per minute per remote address; 0 is unlimited. */
  ipPerMin: number;
  /** Writes per minute per client, counted across every instance on the database; 0 is unlimited. */
  clientPerMin: number;
  nowMs: () => number;
  logError: (message: string, error: unknown) => void;
  /** Where a request comes from, for the per-IP limit. */
  remoteAddress: RemoteAddress;
}

/** Which write a request makes, for the client limit and the key's scope. */
export interface WriteScope {
  /** e.g. `POST /api/feedback`. */
  route: string;
  /** The client the write belongs to, after the route checked it exists. */
  clientId: string;
}

/** The guards of one app. */
export interface IngestGuards {
  /** Middleware: refuses over-limit IPs and malformed keys before any of the body is read. */
  beforeBody: MiddlewareHandler;
  /** Runs the route's write once per key, behind the client limit, and answers with its result. */
  write(c: Context, scope: WriteScope, execute: Execute): Promise<Response>;
}

function tooMany(verdict: Extract<RateVerdict, { ok: false }>): JsonAnswer {
  return {
    status: 429,
    body: { error: SERVER_ERRORS.tooManyRequests },
    headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
  };
}

/** Builds the guards with their own limiters and in-flight map. */
export function createIngestGuards(options: IngestGuardOptions): IngestGuards {
  const ipLimiter = createRateLimiter({ perMinute: options.ipPerMin, nowMs: options.nowMs });
  const clientLimiter = createSharedRateLimiter({
    storage: options.storage,
    perMinute: options.clientPerMin,
    nowMs: options.nowMs,
    namespace: 'client:',
    logError: options.logError,
  });
  const idempotency = createIdempotency(options);

  const beforeBody: MiddlewareHandler = async (c, next) => {
    const verdict = ipLimiter.take(options.remoteAddress(c));
    if (!verdict.ok) {
      const answer = tooMany(verdict);
      return c.json(answer.body, 429, { ...answer.headers, ...CLOSE_AFTER_ANSWER });
    }
    if (parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADERS.key)).kind === 'invalid') {
      return c.json({ error: SERVER_ERRORS.invalidIdempotencyKey }, 400, CLOSE_AFTER_ANSWER);
    }
    return next();
  };

  async function write(c: Context, scope: WriteScope, execute: Execute): Promise<Response> {
    // Only writes count against a client, so a replay (which writes nothing) is never refused.
    const limited: Execute = async (tx) => {
      const verdict = await clientLimiter.take(scope.clientId);
      return verdict.ok ? execute(tx) : { answer: tooMany(verdict) };
    };
    const header = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADERS.key));
    const { answer, replayed } =
      header.kind === 'key' ? await idempotency.run({ ...scope, key: header.key }, limited) : await idempotency.once(limited);
    const headers = { ...answer.headers, ...(replayed ? { [IDEMPOTENCY_HEADERS.replayed]: 'true' } : {}) };
    return c.json(answer.body, answer.status as ContentfulStatusCode, headers);
  }

  return { beforeBody, write };
}
