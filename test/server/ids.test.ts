import { describe, expect, it } from 'vitest';
import { ID_RANDOM_POOL_BYTES } from '../../server/constants.ts';
import { randomUrlSafe } from '../../server/ids.ts';

describe('random url-safe ids (drawn from a pool of CSPRNG bytes)', () => {
  it('have exactly the length asked for, in the base64url alphabet, across many refills of the pool', () => {
    for (const length of [20, 22, 24]) {
      const ids = Array.from({ length: (20 * ID_RANDOM_POOL_BYTES) / length }, () => randomUrlSafe(length));
      for (const id of ids) expect(id).toMatch(new RegExp(`^[A-Za-z0-9_-]{${length}}$`));
      expect(new Set(ids).size).toBe(ids.length);
      // Every position takes every one of the 64 characters: no stretch is fixed or reused.
      for (let at = 0; at < length; at++) expect(new Set(ids.map((id) => id[at])).size, `position ${at}`).toBe(64);
    }
  });

  it('refuses an id longer than the pool could give', () => {
    expect(() => randomUrlSafe(ID_RANDOM_POOL_BYTES * 2)).toThrow(/pool/);
  });
});
