/**
 * The rolling replay window: rrweb events kept in segments, each opened by a full
 * snapshot (so any segment can start a replay). Old segments go once newer ones cover
 * the window, or when the byte cap is reached, oldest first.
 */

/**
 * An rrweb event as kept: its time and its JSON. Text takes a fraction of the heap of the
 * event's objects, its length is the byte count the cap needs, and it is ready to upload.
 */
export type RecordedEvent = { timestamp: number; json: string };

/** Events from one full snapshot to the next; `bytes` is the length of their JSON. */
export type Segment = { startMs: number; events: RecordedEvent[]; bytes: number };

/** The per-tab cap of a replay's memory (16 MB): the events, and what rrweb keeps besides them. */
export const REPLAY_MAX_BYTES_PER_TAB = 16 * 1024 * 1024;
/**
 * rrweb's own state (its map of the page's nodes, its serializer's objects): a heap snapshot
 * of the 5,000-node bench page held about 3 MB of it beside the events' text.
 */
const RRWEB_STATE_RESERVE_BYTES = 4 * 1024 * 1024;
/** The byte cap of the events a tab keeps, so that they and rrweb's state stay within REPLAY_MAX_BYTES_PER_TAB. */
export const REPLAY_MAX_EVENT_BYTES_PER_TAB = REPLAY_MAX_BYTES_PER_TAB - RRWEB_STATE_RESERVE_BYTES;

/** rrweb's event types that matter here. */
export const EVENT_TYPE = { fullSnapshot: 2, incremental: 3, meta: 4 } as const;

/**
 * The segments needed to replay `windowMs` before `atMs`: from the newest one that starts
 * at or before the window's start, so the replay begins with a full snapshot. Events after
 * `atMs` are left out (what the user does in the panel is not part of the replay).
 */
export function selectWindow(segments: readonly Segment[], atMs: number, windowMs: number): RecordedEvent[] {
  const windowStartMs = atMs - windowMs;
  let first = 0;
  for (let i = 0; i < segments.length; i++) if (segments[i]!.startMs <= windowStartMs) first = i;
  return segments.slice(first).flatMap((segment) => segment.events.filter((event) => event.timestamp <= atMs));
}

/** A rolling buffer of segments, bounded by time and bytes. */
export type RollingBuffer = {
  /** The next event opens a new segment (it is the Meta that starts a full snapshot). */
  startSegment(): void;
  /** Adds an event, then drops what the window and cap allow. */
  add(event: RecordedEvent): void;
  /** A copy of the segments, oldest first. */
  segments(): Segment[];
  totalBytes(): number;
  clear(): void;
};

/** Creates a buffer that keeps at least `windowMs` of events and at most `maxBytes`. */
export function createRollingBuffer(options: { windowMs: number; maxBytes: number }): RollingBuffer {
  let segments: Segment[] = [];
  let bytes = 0;
  let openNext = true;

  const dropOldest = () => {
    bytes -= segments.shift()!.bytes;
  };

  return {
    startSegment() {
      openNext = true;
    },
    add(event) {
      const size = event.json.length;
      if (openNext || segments.length === 0) {
        segments.push({ startMs: event.timestamp, events: [], bytes: 0 });
        openNext = false;
      }
      const current = segments[segments.length - 1]!;
      current.events.push(event);
      current.bytes += size;
      bytes += size;
      // The second segment alone covers the window: the first is no longer needed.
      const windowStartMs = event.timestamp - options.windowMs;
      while (segments.length > 1 && segments[1]!.startMs <= windowStartMs) dropOldest();
      while (segments.length > 1 && bytes > options.maxBytes) dropOldest();
    },
    segments: () => segments.map((segment) => ({ ...segment, events: [...segment.events] })),
    totalBytes: () => bytes,
    clear() {
      segments = [];
      bytes = 0;
      openNext = true;
    },
  };
}
