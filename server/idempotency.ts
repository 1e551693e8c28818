/**
 * Exactly-once writes behind an `Idempotency-Key` header: the first successful answer for a
 * (route, client, key) is committed in the same transaction as the write it answers and
 * replayed to every retry, so a crash at any moment leaves both or neither. A retry that
 * arrives while the first attempt is still running in this process waits for it.
 * Route-agnostic, so every ingest route (feedback, screenshots, replays) uses the same rules.
 */
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_PRUNE_INTERVAL_MS, IDEMPOTENCY_TTL_MS } from './constants.ts';
import type { IdempotencyScope, RememberedAnswer, Storage, StoredAnswer } from './storage/types.ts';

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

/** What a route's write is handed: the time to stamp its rows with, and how to remember its answer. */
export interface WriteTx {
  /** The app clock at the start of the write. */
  readonly nowMs: number;
  /**
   * What to pass to the storage write along with its row so that `answer` commits with it;
   * `undefined` when nothing is remembered (no key, or not a 2xx answer).
   */
  remember(answer: JsonAnswer): RememberedAnswer | undefined;
}

/** What a route's write hands back: its own answer, or the earlier one storage said won. */
export interface WriteOutcome {
  answer: JsonAnswer;
  /** Set when a live answer for the key was already committed: nothing was written, it wins. */
  earlier?: StoredAnswer;
}

/** A route's write: builds its answer, commits its row with `tx.remember(answer)`. */
export type Execute = (tx: WriteTx) => Promise<WriteOutcome>;

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
  run(scope: IdempotencyScope, execute: Execute): Promise<IdempotentResult>;
  /** Runs a write that carries no key: nothing is remembered. */
  once(execute: Execute): Promise<IdempotentResult>;
}

/** What the gate is built from. */
export interface IdempotencyOptions {
  storage: Storage;
  /** The clock; tests move it to expire keys. */
  nowMs: () => number;
  /** Where a failure to prune expired keys is reported. */
  logError: (message: string, error: unknown) => void;
  ttlMs?: number;
}

const isSuccess = (answer: JsonAnswer) => answer.status >= 200 && answer.status < 300;

const fromStored = (stored: StoredAnswer): JsonAnswer => ({ status: stored.status, body: JSON.parse(stored.bodyJson) });

// JSON of a (route, client, key) triple; the parts may contain any visible character.
const scopeId = (scope: IdempotencyScope) => JSON.stringify([scope.route, scope.clientId, scope.key]);

/** A gate whose in-flight map lives and dies with the app that created it. */
export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { storage, nowMs, logError } = options;
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  // The map only spares a waiting retry a second write attempt: exclusivity itself is the
  // storage transaction's (which also holds across processes). Entries leave the map as
  // soon as their attempt settles, so it only ever holds running requests.
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

  // The times come from the app's clock, so tests that move it expire keys without waiting.
  async function write(scope: IdempotencyScope | undefined, execute: Execute): Promise<IdempotentResult> {
    const now = nowMs();
    const tx: WriteTx = {
      nowMs: now,
      remember: (answer) =>
        scope && isSuccess(answer)
          ? {
              scope,
              answer: { status: answer.status, bodyJson: JSON.stringify(answer.body) },
              createdAtIso: new Date(now).toISOString(),
              expiresAtIso: new Date(now + ttlMs).toISOString(),
            }
          : undefined,
    };
    const outcome = await execute(tx);
    return outcome.earlier
      ? { answer: fromStored(outcome.earlier), replayed: true }
      : { answer: outcome.answer, replayed: false };
  }

  async function attempt(scope: IdempotencyScope, execute: Execute): Promise<IdempotentResult> {
    const now = nowMs();
    await pruneNowAndThen(now);
    // The cheap path: a remembered answer goes out without the route writing anything.
    const stored = await storage.getIdempotent(scope, new Date(now).toISOString());
    if (stored) return { answer: fromStored(stored), replayed: true };
    return write(scope, execute);
  }

  return {
    once: (execute) => write(undefined, execute),
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
