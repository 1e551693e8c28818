/**
 * What recorders handed over when their page went away, per tab, in IndexedDB (the worker
 * may die between two page loads): the start of a replay that spans navigations.
 */
import { openDB } from 'idb';
import type { Segment } from './buffer';

type TabEntry = { tabId: number; origin: string; segments: Segment[] };

const DB_NAME = 'loupe-replay';

/** Per-tab handed-over segments. */
export type TabStore = {
  /** Appends a page's segments, keeping only what the window and byte cap allow. */
  append(tabId: number, origin: string, segments: Segment[], windowMs: number, maxBytes: number): Promise<void>;
  /** The tab's segments from the same site, oldest first. */
  get(tabId: number, origin: string): Promise<Segment[]>;
  forgetTab(tabId: number): Promise<void>;
  /** Drops everything recorded on a site (it was turned off). */
  forgetOrigin(origin: string): Promise<void>;
};

/** Opens the store. */
export async function openTabStore(name = DB_NAME): Promise<TabStore> {
  const db = await openDB(name, 1, {
    upgrade(database) {
      database.createObjectStore('tabs', { keyPath: 'tabId' });
    },
  });
  return {
    async append(tabId, origin, segments, windowMs, maxBytes) {
      const previous: TabEntry | undefined = await db.get('tabs', tabId);
      // A replay never spans two sites: another site's recording starts over.
      let kept = [...(previous?.origin === origin ? previous.segments : []), ...segments];
      const latestMs = Math.max(...kept.flatMap((segment) => segment.events.map((event) => event.timestamp)));
      const windowStartMs = latestMs - windowMs;
      while (kept.length > 1 && kept[1]!.startMs <= windowStartMs) kept = kept.slice(1);
      while (kept.length > 1 && kept.reduce((sum, segment) => sum + segment.bytes, 0) > maxBytes) kept = kept.slice(1);
      await db.put('tabs', { tabId, origin, segments: kept } satisfies TabEntry);
    },
    async get(tabId, origin) {
      const entry: TabEntry | undefined = await db.get('tabs', tabId);
      return entry?.origin === origin ? entry.segments : [];
    },
    forgetTab: (tabId) => db.delete('tabs', tabId),
    async forgetOrigin(origin) {
      for (const entry of (await db.getAll('tabs')) as TabEntry[]) {
        if (entry.origin === origin) await db.delete('tabs', entry.tabId);
      }
    },
  };
}
