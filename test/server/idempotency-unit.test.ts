import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdempotency, parseIdempotencyKey, type JsonAnswer } from '../../server/idempotency.ts';
import { jsonDepthExceeds } from '../../server/json-depth.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/types.ts';

let dir: string;
let storage: Storage;
let now = Date.parse('2026-01-01T00:00:00.000Z');
const logged: unknown[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-idem-'));
  storage = openSqliteStorage(join(dir, 'loupe.db'));
  logged.length = 0;
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

const gate = () => createIdempotency({ storage, nowMs: () => now, logError: (_m, e) => logged.push(e) });
const scope = { route: 'POST /api/feedback', clientId: 'client_a', key: 'k1' };
const ok = (id: string): JsonAnswer => ({ status: 200, body: { success: true, feedbackId: id } });

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
  it('runs once, then replays the stored answer', async () => {
    const idem = gate();
    let runs = 0;
    const execute = async () => ok(`fb_${++runs}`);
    expect(await idem.run(scope, execute)).toEqual({ answer: ok('fb_1'), replayed: false });
    expect(await idem.run(scope, execute)).toEqual({ answer: ok('fb_1'), replayed: true });
    expect(runs).toBe(1);
  });

  it('lets a waiting request run on its own when the first attempt throws', async () => {
    const idem = gate();
    let fail!: (error: Error) => void;
    const failing = new Promise<JsonAnswer>((_resolve, reject) => (fail = reject));
    const first = idem.run(scope, () => failing);
    const second = idem.run(scope, async () => ok('fb_second'));
    fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    expect(await second).toEqual({ answer: ok('fb_second'), replayed: false });
  });

  it('does not remember 4xx/5xx answers', async () => {
    const idem = gate();
    await idem.run(scope, async () => ({ status: 400, body: { error: 'Invalid data provided' } }));
    expect(await storage.getIdempotent(scope, new Date(now).toISOString())).toBeUndefined();
    expect((await idem.run(scope, async () => ok('fb_ok'))).replayed).toBe(false);
  });

  it('still answers when remembering fails, and reports it', async () => {
    // Only the three methods the gate uses.
    const broken = {
      getIdempotent: (s, nowIso) => storage.getIdempotent(s, nowIso),
      pruneIdempotent: (nowIso) => storage.pruneIdempotent(nowIso),
      putIdempotent: async () => Promise.reject(new Error('read-only')),
    } as Pick<Storage, 'getIdempotent' | 'pruneIdempotent' | 'putIdempotent'> as Storage;
    const idem = createIdempotency({ storage: broken, nowMs: () => now, logError: (_m, e) => logged.push(e) });
    expect(await idem.run(scope, async () => ok('fb_x'))).toEqual({ answer: ok('fb_x'), replayed: false });
    expect(logged).toHaveLength(1);
  });
});

describe('SQLite idempotency records', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it('keeps the first live answer, replaces an expired one, and prunes expired rows', async () => {
    const answer = (id: string) => ({ status: 200, bodyJson: JSON.stringify({ feedbackId: id }) });
    await storage.putIdempotent(scope, answer('first'), iso(now), iso(now + 1000));
    await storage.putIdempotent(scope, answer('second'), iso(now + 10), iso(now + 2000));
    expect(await storage.getIdempotent(scope, iso(now + 999))).toEqual(answer('first'));
    expect(await storage.getIdempotent(scope, iso(now + 1000))).toBeUndefined();
    await storage.putIdempotent(scope, answer('third'), iso(now + 1000), iso(now + 3000));
    expect(await storage.getIdempotent(scope, iso(now + 1000))).toEqual(answer('third'));
    await storage.putIdempotent({ ...scope, key: 'other' }, answer('x'), iso(now), iso(now + 5));
    expect(await storage.pruneIdempotent(iso(now + 100))).toBe(1);
    expect(await storage.pruneIdempotent(iso(now + 100))).toBe(0);
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
