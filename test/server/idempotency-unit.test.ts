import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdempotency, parseIdempotencyKey, type Execute, type JsonAnswer, type WriteOutcome } from '../../server/idempotency.ts';
import { jsonDepthExceeds } from '../../server/json-depth.ts';
import { newFeedbackRow } from '../../server/new-rows.ts';
import type { RememberedAnswer, Storage } from '../../server/storage/types.ts';
import { openTestStorage } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';

let under: Awaited<ReturnType<typeof openTestStorage>>;
let storage: Storage;
let now = Date.parse('2026-01-01T00:00:00.000Z');
const logged: unknown[] = [];

beforeEach(async () => {
  under = await openTestStorage();
  storage = under.storage;
  logged.length = 0;
});
afterEach(() => under.dispose());

const gate = () => createIdempotency({ storage, nowMs: () => now, logError: (_m, e) => logged.push(e) });
const scope = { route: 'POST /api/feedback', clientId: 'client_a', key: 'k1' };
const ok = (id: string): JsonAnswer => ({ status: 200, body: { success: true, feedbackId: id } });
const answered = (answer: JsonAnswer): WriteOutcome => ({ answer });

describe('parseIdempotencyKey', () => {
  it('tells absent, usable and invalid keys apart', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ kind: 'absent' });
    expect(parseIdempotencyKey(null)).toEqual({ kind: 'absent' });
    expect(parseIdempotencyKey('!')).toEqual({ kind: 'key', key: '!' });
    expect(parseIdempotencyKey('~'.repeat(255)).kind).toBe('key');
    for (const bad of ['', ' ', 'a b', '~'.repeat(256), 'caf\u00e9', 'a\u007f', '\u0000']) {
      expect(parseIdempotencyKey(bad), JSON.stringify(bad)).toEqual({ kind: 'invalid' });
    }
  });
});

describe('createIdempotency', () => {
  it('runs once, then replays the answer committed with the row', async () => {
    const idem = gate();
    const client = await createClient(storage, { name: 'Once' });
    const keyed = { ...scope, clientId: client.id };
    let runs = 0;
    const execute: Execute = async (tx) => {
      const row = newFeedbackRow(feedbackInput(client.id, { comment: 'once' }), tx.nowMs);
      const answer = ok(`fb_${++runs}`);
      return { answer, earlier: await storage.insertFeedback(row, tx.remember(answer)) };
    };
    expect(await idem.run(keyed, execute)).toEqual({ answer: ok('fb_1'), replayed: false });
    expect(await idem.run(keyed, execute)).toEqual({ answer: ok('fb_1'), replayed: true });
    expect(runs).toBe(1);
    expect(await storage.listFeedback(client.id)).toHaveLength(1);
  });

  it('lets a waiting request run on its own when the first attempt throws', async () => {
    const idem = gate();
    let fail!: (error: Error) => void;
    const failing = new Promise<WriteOutcome>((_resolve, reject) => (fail = reject));
    // It may reject before the gate has read the database and taken it up: not unhandled.
    failing.catch(() => undefined);
    const first = idem.run(scope, () => failing);
    const second = idem.run(scope, async () => answered(ok('fb_second')));
    fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    expect(await second).toEqual({ answer: ok('fb_second'), replayed: false });
  });

  it('hands the write an answer to remember only for a key and a 2xx answer', async () => {
    const idem = gate();
    const seen: (RememberedAnswer | undefined)[] = [];
    const remembering = (answer: JsonAnswer) => async (tx: { remember(a: JsonAnswer): RememberedAnswer | undefined }) => {
      seen.push(tx.remember(answer));
      return answered(answer);
    };
    await idem.run(scope, remembering({ status: 400, body: { error: 'Invalid data provided' } }));
    await idem.once(remembering(ok('fb_unkeyed')));
    await idem.run(scope, remembering(ok('fb_keyed')));
    expect(seen.slice(0, 2)).toEqual([undefined, undefined]);
    expect(seen[2]).toEqual({
      scope,
      answer: { status: 200, bodyJson: JSON.stringify(ok('fb_keyed').body) },
      createdAtIso: new Date(now).toISOString(),
      expiresAtIso: new Date(now + 7 * 24 * 60 * 60 * 1000).toISOString(),
    });
  });

  it('answers with the earlier answer storage says won, as a replay', async () => {
    const earlier = { status: 200, bodyJson: JSON.stringify(ok('fb_first').body) };
    expect(await gate().run(scope, async () => ({ answer: ok('fb_mine'), earlier }))).toEqual({ answer: ok('fb_first'), replayed: true });
  });
});

describe('jsonDepthExceeds', () => {
  it('measures nesting without recursion', () => {
    expect(jsonDepthExceeds('x', 0)).toBe(false);
    expect(jsonDepthExceeds({ a: [1] }, 2)).toBe(false);
    expect(jsonDepthExceeds({ a: [[1]] }, 2)).toBe(true);
    expect(jsonDepthExceeds(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), 64)).toBe(true);
  });
});
