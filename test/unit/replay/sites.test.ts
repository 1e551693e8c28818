import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { disableSite, enableSite, grantedSites, recordingOrigins, updateSiteScripts } from '@/lib/replay/sites';
import type { TabStore } from '@/lib/replay/tab-store';

const ORIGIN = 'https://shop.example';

/** scripting.* as Chrome keeps it: registrations by id, and the scripts injected. */
function fakeScripting() {
  const registered = new Map<string, { id: string; world?: string; runAt?: string; js?: string[] }>();
  const injected: { files: string[]; world?: string }[] = [];
  return {
    registered,
    injected,
    api: {
      getRegisteredContentScripts: vi.fn(async () => [...registered.values()]),
      registerContentScripts: vi.fn(async (scripts: { id: string }[]) => {
        for (const script of scripts) {
          if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registered.set(script.id, script);
        }
      }),
      unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => {
        for (const id of ids) {
          if (!registered.delete(id)) throw new Error(`Nonexistent script ID '${id}'`);
        }
      }),
      executeScript: vi.fn(async (injection: { files: string[]; world?: string }) => void injected.push(injection)),
    },
  };
}

describe('the sites that record', () => {
  let scripting: ReturnType<typeof fakeScripting>;
  const store = { forgetOrigin: vi.fn(async () => undefined) } as unknown as TabStore;

  beforeEach(() => {
    fakeBrowser.reset();
    scripting = fakeScripting();
    (fakeBrowser as any).scripting = scripting.api;
    (fakeBrowser as any).permissions = { contains: async () => true, remove: async () => true };
  });

  it('are turned on by a grant of exactly one origin, as the popup asks for, and by nothing wider', async () => {
    const sites = grantedSites(['https://shop.example/*', 'http://127.0.0.1:8080/*', 'https://*.example/*', 'https://a.example/path/*', '<all_urls>']);
    expect(sites).toEqual(['https://shop.example', 'http://127.0.0.1:8080']);
    expect(grantedSites(undefined)).toEqual([]);
    await enableSite(sites[0]!, undefined);
    await enableSite(sites[0]!, undefined); // the popup and the grant listener may both do it
    expect(await recordingOrigins()).toEqual([ORIGIN]);
  });

  it('run the page-context script in the page’s own world from document_start, and the recorder after it', async () => {
    await enableSite(ORIGIN, 7);
    expect([...scripting.registered.values()]).toEqual([
      expect.objectContaining({ id: `loupe-page-context:${ORIGIN}`, world: 'MAIN', runAt: 'document_start', js: ['/content-scripts/page-context.js'] }),
      expect.objectContaining({ id: `loupe-recorder:${ORIGIN}`, runAt: 'document_idle', js: ['/content-scripts/recorder.js'] }),
    ]);
    expect(scripting.injected.map((injection) => [injection.files[0], injection.world])).toEqual([
      ['/content-scripts/page-context.js', 'MAIN'],
      ['/content-scripts/recorder.js', undefined],
    ]);
    expect(await recordingOrigins()).toEqual([ORIGIN]);
    await enableSite(ORIGIN, undefined); // again: nothing registered twice
  });

  it('gain the page-context script when an older version turned them on with the recorder alone', async () => {
    scripting.registered.set(`loupe-recorder:${ORIGIN}`, { id: `loupe-recorder:${ORIGIN}` });
    scripting.registered.set('loupe-page-context:https://gone.example', { id: 'loupe-page-context:https://gone.example' });
    await updateSiteScripts();
    expect([...scripting.registered.keys()].sort()).toEqual([`loupe-page-context:${ORIGIN}`, `loupe-recorder:${ORIGIN}`]);
  });

  it('lose both scripts when turned off, even one an older version never registered', async () => {
    scripting.registered.set(`loupe-recorder:${ORIGIN}`, { id: `loupe-recorder:${ORIGIN}` });
    await disableSite(ORIGIN, store);
    await enableSite(ORIGIN, undefined);
    await disableSite(ORIGIN, store);
    expect(scripting.registered.size).toBe(0);
  });
});
