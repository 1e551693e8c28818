import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedRateLimiter } from '../../server/shared-rate-limit.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/types.ts';

let dir: string;
let storage: Storage;
let now = 1_000_000;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-shared-limit-'));
  storage = openSqliteStorage(join(dir, 'loupe.db'));
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

const limiter = (perMinute: number, on: Storage = storage) =>
  createSharedRateLimiter({ storage: on, perMinute, nowMs: () => now, namespace: 'client:', logError: () => {} });

describe('shared rate limit', () => {
  it('two instances on one database draw on one allowance, and both recover with it', async () => {
    const a = limiter(3);
    const b = limiter(3);
    expect([(await a.take('c1')).ok, (await b.take('c1')).ok, (await a.take('c1')).ok]).toEqual([true, true, true]);
    expect(await b.take('c1')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(await a.take('c1')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect((await b.take('c2')).ok).toBe(true);
    now += 20_000;
    expect((await b.take('c1')).ok).toBe(true);
    expect((await a.take('c1')).ok).toBe(false);
  });

  it('claims a second’s worth at a time, so a busy key costs one round trip per batch', async () => {
    let reads = 0;
    const counting = new Proxy(storage, {
      get: (target, name) => {
        if (name === 'getRateBucket') reads += 1;
        const value = Reflect.get(target, name) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const busy = limiter(600, counting);
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => busy.take('c1')));
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(reads).toBe(5); // 600/min claims 10 at a time; concurrent takes wait for the claim under way
  });

  it('a batch claimed is spent within a second or given up, never hoarded past the limit', async () => {
    const a = limiter(120); // batches of 2
    const b = limiter(120);
    expect((await a.take('c1')).ok).toBe(true); // claims 2, spends 1
    now += 1_001;
    // a's spare token has lapsed: a claims again rather than spending a stale one.
    for (let i = 0; i < 118; i++) expect((await b.take('c1')).ok).toBe(true);
    const rest = [];
    for (let i = 0; i < 5; i++) rest.push((await a.take('c1')).ok);
    expect(rest).toEqual([true, true, false, false, false]); // 118 + 2 = the minute's 120
  });

  it('is off at 0 and never touches the database', async () => {
    const untouchable = new Proxy(storage, {
      get: () => () => Promise.reject(new Error('touched')),
    });
    const off = limiter(0, untouchable);
    for (let i = 0; i < 100; i++) expect((await off.take('c1')).ok).toBe(true);
  });
});
