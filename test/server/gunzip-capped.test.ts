import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipCapped } from '../../server/gunzip-capped.ts';

const MB = 1024 * 1024;

describe('gunzipCapped', () => {
  it('hands over every byte of a gzip within the limit, across concatenated members', async () => {
    const input = Buffer.concat([gzipSync('hello '), gzipSync('world')]);
    const chunks: Buffer[] = [];
    const outcome = await gunzipCapped(input, 100, (chunk) => chunks.push(chunk) > 0);
    expect(outcome).toEqual({ kind: 'ok', sizeBytes: 11 });
    expect(Buffer.concat(chunks).toString()).toBe('hello world');
  });

  it('stops inflating at the limit: a 1 GB claim costs no more than the limit', async () => {
    const member = gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    const bomb = Buffer.concat(Array<Buffer>(16).fill(member));
    let handedOverBytes = 0;
    const outcome = await gunzipCapped(bomb, 5 * MB, (chunk) => {
      handedOverBytes += chunk.length;
      return true;
    });
    expect(outcome).toEqual({ kind: 'too-large' });
    expect(handedOverBytes).toBeLessThanOrEqual(5 * MB);
  });

  it('tells apart bytes that are not gzip, broken gzip, and a reader that stopped', async () => {
    expect(await gunzipCapped(Buffer.from('{"a":1}'), MB, () => true)).toEqual({ kind: 'not-gzip' });
    expect(await gunzipCapped(gzipSync('x'.repeat(1000)).subarray(0, 15), MB, () => true)).toEqual({ kind: 'corrupt' });
    expect(await gunzipCapped(gzipSync('abc'), MB, () => false)).toEqual({ kind: 'stopped' });
  });
});
