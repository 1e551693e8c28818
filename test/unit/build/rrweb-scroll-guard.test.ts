import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { guardScrollReads, rrwebScrollGuard } from '@/scripts/rrweb-scroll-guard';

const rrwebFile = createRequire(import.meta.url).resolve('@rrweb/record').replace(/record\.c?js$/, 'record.js');

describe('the rrweb scroll guard', () => {
  it('guards the one place where the installed rrweb reads scroll offsets in a full snapshot', () => {
    const source = readFileSync(rrwebFile, 'utf8');
    const guarded = guardScrollReads(source);
    expect(guarded.length).toBeGreaterThan(source.length);
    expect(guarded.match(/checkVisibility\?\.\(\{ contentVisibilityAuto: true \}\)/g)).toHaveLength(1);
  });

  it('fails the build when rrweb changed and the spot is gone, rather than dropping the fix', () => {
    expect(() => guardScrollReads('export const nothing = 1;')).toThrow(/rrweb no longer reads scroll offsets/);
  });

  it('transforms only the @rrweb/record bundle', () => {
    const plugin = rrwebScrollGuard();
    expect(plugin.transform('const n = 1;', '/x/node_modules/solid-js/dist/solid.js')).toBeUndefined();
    expect(plugin.transform(readFileSync(rrwebFile, 'utf8'), rrwebFile)?.code).toContain('contentVisibilityAuto');
  });
});
