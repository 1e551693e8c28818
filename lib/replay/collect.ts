/**
 * The worker's side of replays: freezing a tab's window when the panel opens, and taking
 * it (this page's events after the pages handed over before it) when the user sends.
 */
import { sendToTab } from '../messaging/protocol';
import { loadReplaySettings } from '../settings';
import { selectWindow } from './buffer';
import { gzipJsonArray } from './gzip';
import type { TabStore } from './tab-store';

/** A replay ready for the outbox. */
export type CollectedReplay = { gz: ArrayBuffer; offsetMs: number; durationMs: number; eventCount: number };

/** The origin of a page URL, or undefined. */
export function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/** Freezes the tab's window at this moment; the seconds it covers, or null when the tab records nothing. */
export async function freezeReplay(tabId: number, url: string | undefined, store: TabStore): Promise<number | null> {
  const atMs = Date.now();
  const frozen = await sendToTab(tabId, 'recorder:freeze', { atMs });
  if (!frozen) return null;
  const origin = originOf(url);
  const { bufferSeconds } = await loadReplaySettings();
  const windowMs = bufferSeconds * 1000;
  const covered = frozen.firstEventMs !== null && frozen.firstEventMs <= atMs - windowMs;
  const earlier = origin && !covered ? selectWindow(await store.get(tabId, origin), atMs, windowMs) : [];
  const firstMs = earlier[0]?.timestamp ?? frozen.firstEventMs;
  return firstMs === null ? null : Math.min(bufferSeconds, Math.round((atMs - firstMs) / 1000));
}

/**
 * The frozen replay of a tab, gzipped: earlier pages' events that fall in the window,
 * then this page's. Undefined when the tab records nothing.
 */
export async function takeReplay(tabId: number, url: string | undefined, store: TabStore): Promise<CollectedReplay | undefined> {
  const taken = await sendToTab(tabId, 'recorder:take', {});
  if (!taken) return undefined;
  const current = taken.events;
  const origin = originOf(url);
  const { bufferSeconds } = await loadReplaySettings();
  const windowMs = bufferSeconds * 1000;
  // This page may record nothing yet (engagement delay, sampled out): earlier pages then make the whole replay.
  const firstCurrentMs = current[0]?.timestamp ?? Infinity;
  // Earlier pages only fill what this page's own events leave of the window.
  const earlier =
    origin && firstCurrentMs > taken.frozenAtMs - windowMs
      ? selectWindow(await store.get(tabId, origin), taken.frozenAtMs, windowMs).filter(
          (event) => event.timestamp < firstCurrentMs,
        )
      : [];
  const events = [...earlier, ...current];
  if (events.length === 0) return undefined;
  const startMs = events[0]!.timestamp;
  return {
    gz: await gzipJsonArray(events.map((event) => event.json)),
    offsetMs: Math.max(0, taken.frozenAtMs - startMs),
    durationMs: events[events.length - 1]!.timestamp - startMs,
    eventCount: events.length,
  };
}
