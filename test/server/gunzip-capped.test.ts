import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it.each([
    ['a NUL and some HTML', Buffer.from('\0<html><script>alert(1)</script></html>')],
    ['zero padding', Buffer.alloc(512)],
    ['a single NUL', Buffer.from([0])],
  ])('refuses bytes after the last member (zlib drops what starts with NUL): %s', async (_name, trailer) => {
    const input = Buffer.concat([gzipSync('hello '), gzipSync('world'), trailer]);
    expect(await gunzipCapped(input, MB, () => true)).toEqual({ kind: 'trailing-bytes' });
  });

  it('reads a file as a stream with the same verdicts, 19 MB of trailing HTML included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-gunzip-'));
    try {
      const good = join(dir, 'good.gz');
      const padded = join(dir, 'padded.gz');
      await writeFile(good, Buffer.concat([gzipSync('hello '), gzipSync('world')]));
      await writeFile(padded, Buffer.concat([gzipSync('hello'), Buffer.from([0]), Buffer.alloc(19 * MB, '<p>html</p>')]));
      const chunks: Buffer[] = [];
      expect(await gunzipCapped({ path: good }, 100, (chunk) => chunks.push(chunk) > 0)).toEqual({ kind: 'ok', sizeBytes: 11 });
      expect(Buffer.concat(chunks).toString()).toBe('hello world');
      expect(await gunzipCapped({ path: padded }, MB, () => true)).toEqual({ kind: 'trailing-bytes' });
      await writeFile(join(dir, 'plain'), '{"a":1}');
      expect(await gunzipCapped({ path: join(dir, 'plain') }, MB, () => true)).toEqual({ kind: 'not-gzip' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
