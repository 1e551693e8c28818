import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchRrweb, RRWEB_PATCHES, rrwebPatches } from '@/scripts/rrweb-patches';

const rrwebFile = createRequire(import.meta.url).resolve('@rrweb/record').replace(/record\.c?js$/, 'record.js');
const rrwebSource = readFileSync(rrwebFile, 'utf8');

describe('the build-time rrweb patches', () => {
  it('applies each patch exactly once to the installed rrweb', () => {
    const patched = patchRrweb(rrwebSource);
    for (const patch of RRWEB_PATCHES) {
      expect(patched.split(patch.replace)).toHaveLength(2);
      if (!patch.replace.includes(patch.find)) expect(patched).not.toContain(patch.find);
    }
    expect(patched.match(/checkVisibility\?\.\(\{ contentVisibilityAuto: true \}\)/g)).toHaveLength(1);
    expect(patched).toMatch(/globalThis\.customElements\?\.get\(tagName\)/);
    expect(patched).toMatch(/export function setMutationGate\(gate\)/);
  });

  it('fails the build naming the patch when rrweb changed and its spot is gone, rather than dropping the fix', () => {
    expect(() => patchRrweb('export const nothing = 1;')).toThrow(/"scroll reads of unrendered elements" no longer matches/);
    const withoutGateSpot = rrwebSource.replace(RRWEB_PATCHES.at(-1)!.find, 'processMutations');
    expect(() => patchRrweb(withoutGateSpot)).toThrow(/"mutation gate" no longer matches/);
  });

  it('refuses a spot that appears twice, since it could not tell which one to patch', () => {
    const twice = rrwebSource + RRWEB_PATCHES[1]!.find;
    expect(() => patchRrweb(twice)).toThrow(/"customElements in an isolated world" no longer matches rrweb's source once/);
  });

  it('transforms only the @rrweb/record bundle', () => {
    const plugin = rrwebPatches();
    expect(plugin.transform('const n = 1;', '/x/node_modules/solid-js/dist/solid.js')).toBeUndefined();
    expect(plugin.transform(rrwebSource, rrwebFile)?.code).toContain('loupeMutationGate(callbackWrapper(');
  });
});
