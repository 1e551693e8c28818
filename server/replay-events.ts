/**
 * The upload check of a replay: the gzip of a JSON array of rrweb events that starts with
 * a Meta and a FullSnapshot event (without them rrweb's Replayer has nothing to rebuild).
 * Inflated and scanned as a stream, never held or parsed whole; only the top level is
 * read, the events' contents are the player's business.
 */
import { REPLAY_ERRORS, REPLAY_MAX_EVENTS, REPLAY_MAX_UNPACKED_BYTES } from '../lib/api/schemas.ts';
import { RRWEB_EVENT_TYPES } from './constants.ts';
import { gunzipCapped, type GzipFile } from './gunzip-capped.ts';
import { createReplayScanner, type ScanResult } from './replay-scan.ts';

/** What the check read from a valid replay. */
export interface ReplaySummary {
  eventCount: number;
  /** Last event's timestamp minus the first's (0 if the recording clock stepped back). */
  durationMs: number;
  /** The first event's timestamp, in ms since the epoch. */
  startedAtMs: number;
}

/** The verdict: a summary, or the 400 message naming what is wrong. */
export type ReplayCheck = { ok: true; summary: ReplaySummary } | { ok: false; error: string };

function judge(scan: ScanResult): ReplayCheck {
  // The scanner stops at the first event over the cap, so the rest was never read.
  if (scan.eventCount > REPLAY_MAX_EVENTS) return { ok: false, error: REPLAY_ERRORS.tooManyEvents };
  if (scan.syntaxError) return { ok: false, error: REPLAY_ERRORS.notJson };
  if (!scan.isArray) return { ok: false, error: REPLAY_ERRORS.notArray };
  if (scan.firstBadEvent !== undefined) {
    return { ok: false, error: `${REPLAY_ERRORS.notEvent} (event ${scan.firstBadEvent} is not)` };
  }
  const [first, second] = scan.leadingTypes;
  if (first !== RRWEB_EVENT_TYPES.meta || second !== RRWEB_EVENT_TYPES.fullSnapshot) {
    return { ok: false, error: REPLAY_ERRORS.badStart };
  }
  const startedAtMs = scan.firstTimestamp!;
  return {
    ok: true,
    summary: {
      eventCount: scan.eventCount,
      // Whole milliseconds, as stored: rrweb timestamps are, but a sender's may have decimals.
      durationMs: Math.max(0, Math.round(scan.lastTimestamp! - startedAtMs)),
      startedAtMs,
    },
  };
}

/** Inflates (at most REPLAY_MAX_UNPACKED_BYTES) and checks an uploaded replay, in memory or on disk. */
export async function checkReplayUpload(gzip: Uint8Array | GzipFile): Promise<ReplayCheck> {
  // fatal: invalid UTF-8 is refused rather than turned into U+FFFD and stored as valid.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const scanner = createReplayScanner({ maxEvents: REPLAY_MAX_EVENTS });
  let isJson = true;
  const outcome = await gunzipCapped(gzip, REPLAY_MAX_UNPACKED_BYTES, (chunk) => {
    try {
      return scanner.write(decoder.decode(chunk, { stream: true }));
    } catch {
      isJson = false;
      return false;
    }
  });
  switch (outcome.kind) {
    case 'not-gzip':
      return { ok: false, error: REPLAY_ERRORS.notGzip };
    case 'corrupt':
      return { ok: false, error: REPLAY_ERRORS.corruptGzip };
    case 'too-large':
      return { ok: false, error: REPLAY_ERRORS.tooLargeUnpacked };
    case 'trailing-bytes':
      return { ok: false, error: REPLAY_ERRORS.trailingBytes };
    case 'stopped':
      return isJson ? judge(scanner.end()) : { ok: false, error: REPLAY_ERRORS.notJson };
  }
  try {
    isJson &&= scanner.write(decoder.decode());
  } catch {
    isJson = false;
  }
  return isJson ? judge(scanner.end()) : { ok: false, error: REPLAY_ERRORS.notJson };
}
