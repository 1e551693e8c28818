/**
 * Exactly-once writes behind an `Idempotency-Key` header: the first successful answer for a
 * (route, client, key) is stored and replayed to every retry, and a retry that arrives while
 * the first attempt is still running waits for it instead of writing a second time.
 * Route-agnostic, so every ingest route (feedback, screenshots, replays) uses the same rules.
 */
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_PRUNE_INTERVAL_MS, IDEMPOTENCY_TTL_MS } from './constants.ts';
import type { IdempotencyScope, Storage } from './storage/types.ts';

/** A JSON answer a route produces; only 2xx ones are remembered. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  /** Sent with this answer only, never stored (e.g. `Retry-After`). */
  headers?: Record<string, string>;
}

/** What `run` hands back: the answer, and whether it is a replay of an earlier one. */
export interface IdempotentResult {
  answer: JsonAnswer;
  replayed: boolean;
}

/** What the header said: no key, a usable key, or something that is not a key. */
export type KeyHeader = { kind: 'absent' } | { kind: 'key'; key: string } | { kind: 'invalid' };

/** Reads an `Idempotency-Key` header value (`null` when the header is absent). */
export function parseIdempotencyKey(value: string | null | undefined): KeyHeader {
  if (value === null || value === undefined) return { kind: 'absent' };
  return IDEMPOTENCY_KEY_PATTERN.test(value) ? { kind: 'key', key: value } : { kind: 'invalid' };
}

/** The exactly-once gate of one app instance. */
export interface Idempotency {
  /** Replays the remembered (or in-flight) answer for `scope`, or runs `execute` once. */
  run(scope: IdempotencyScope, execute: () => Promise<JsonAnswer>): Promise<IdempotentResult>;
}

/** What the gate is built from. */
export interface IdempotencyOptions {
  storage: Storage;
  /** The clock; tests move it to expire keys. */
  nowMs: () => number;
  /** Where a failure to remember an answer is reported (the answer itself still goes out). */
  logError: (message: string, error: unknown) => void;
  ttlMs?: number;
}

const isSuccess = (answer: JsonAnswer) => answer.status >= 200 && answer.status < 300;

// JSON of a (route, client, key) triple; the parts may contain any visible character.
const scopeId = (scope: IdempotencyScope) => JSON.stringify([scope.route, scope.clientId, scope.key]);

/** A gate whose in-flight map lives and dies with the app that created it. */
export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { storage, nowMs, logError } = options;
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  // In-process exclusivity is enough: SQLite has one writer process. Entries leave the map
  // as soon as their attempt settles, so the map only ever holds running requests.
  const inFlight = new Map<string, Promise<IdempotentResult>>();
  let lastPruneMs = Number.NEGATIVE_INFINITY;

  async function pruneNowAndThen(now: number): Promise<void> {
    if (now - lastPruneMs < IDEMPOTENCY_PRUNE_INTERVAL_MS) return;
    lastPruneMs = now;
    try {
      await storage.pruneIdempotent(new Date(now).toISOString());
    } catch (error) {
      logError('Failed to prune expired idempotency keys:', error);
    }
  }

  async function attempt(scope: IdempotencyScope, execute: () => Promise<JsonAnswer>): Promise<IdempotentResult> {
    const now = nowMs();
    await pruneNowAndThen(now);
    const stored = await storage.getIdempotent(scope, new Date(now).toISOString());
    if (stored) return { answer: { status: stored.status, body: JSON.parse(stored.bodyJson) }, replayed: true };
    const answer = await execute();
    if (isSuccess(answer)) {
      const doneMs = nowMs();
      try {
        const record = { status: answer.status, bodyJson: JSON.stringify(answer.body) };
        await storage.putIdempotent(scope, record, new Date(doneMs).toISOString(), new Date(doneMs + ttlMs).toISOString());
      } catch (error) {
        // The write happened; failing the request now would only invite a duplicate retry.
        logError('Failed to remember an idempotent answer:', error);
      }
    }
    return { answer, replayed: false };
  }

  return {
    async run(scope, execute) {
      const id = scopeId(scope);
      for (;;) {
        const running = inFlight.get(id);
        if (running) {
          // A failed first attempt is not remembered: then this request runs on its own.
          const outcome = await running.catch(() => undefined);
          if (outcome && isSuccess(outcome.answer)) return { answer: outcome.answer, replayed: true };
          continue;
        }
        const mine = attempt(scope, execute);
        inFlight.set(id, mine);
        try {
          return await mine;
        } finally {
          inFlight.delete(id);
        }
      }
    },
  };
}
