/** Where an item's screenshots, replay and own page are, as absolute URLs. */
import { safeHttpUrl } from './dom.ts';
import type { FeedbackItem, ReplayInfo, ScreenshotRef } from './types.ts';

// What the server's file store names look like: `<clientId>/<name>`, nothing that climbs.
const STORED_NAME = /^[A-Za-z0-9_-]+\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The absolute address of one item in the inbox (sign-in required to see it). */
export function feedbackUrl(base: URL, id: string): string {
  return new URL(`feedback/${encodeURIComponent(id)}`, base).href;
}

/**
 * Where a screenshot is shown from: this server's copy when the item's client stored it here
 * (so it loads whatever address the inbox is reached by), else its own URL if http(s).
 */
export function screenshotUrl(base: URL, item: FeedbackItem, shot: ScreenshotRef): string | undefined {
  const name = shot.fileName;
  if (typeof name === 'string' && STORED_NAME.test(name) && name.startsWith(`${item.clientId}/`)) {
    return new URL(`files/${name}`, base).href;
  }
  return safeHttpUrl(shot.url);
}

/** The replay's gzip on this server (same origin, so the page's policy lets it be fetched). */
export function replayFileUrl(base: URL, replay: ReplayInfo): string {
  return new URL(`replays/${encodeURIComponent(replay.id)}.json.gz`, base).href;
}
