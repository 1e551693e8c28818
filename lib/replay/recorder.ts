/**
 * The page-side recorder: rrweb with Loupe's privacy defaults, feeding the rolling buffer,
 * with forced checkouts on a timer (rrweb's own checkoutEveryNms waits for the next event,
 * so an idle page would never roll), mutations merged while a page keeps changing, and a
 * pause during mutation storms.
 */
import { record, setMutationGate } from '@rrweb/record';
import { createRollingBuffer, EVENT_TYPE, selectWindow, type RecordedEvent, type Segment } from './buffer';
import { createMutationGate, type MutationGate } from './mutation-gate';
import { waitForCalm } from './storm-guard';

/** Never recorded: elements the site marks, and Loupe's own panel. */
export const BLOCK_SELECTOR = '[data-loupe-block], loupe-feedback';
/** Text replaced by asterisks in the recording. */
export const MASK_TEXT_SELECTOR = '[data-loupe-mask]';

export type RecorderOptions = {
  /** The window kept, e.g. 30 s. */
  windowMs: number;
  /** The per-tab byte cap of the buffer. */
  maxBytes: number;
  /** A full snapshot is forced this often; a segment spans at most this long. */
  checkoutMs: number;
};

/** A console storm must not fill the buffer: custom events beyond this rate are left out of the replay. */
export const CUSTOM_EVENTS_PER_SECOND = 20;

/** A running recorder. */
export type Recorder = {
  /** Keeps the window that ends at `atMs` (the panel opening) until it is dropped. */
  freeze(atMs: number): void;
  /** The frozen window (or the live one when nothing is frozen), oldest event first, and when it ends. */
  frozen(): { events: RecordedEvent[]; frozenAtMs: number };
  dropFrozen(): void;
  /** Adds an rrweb custom event (type 5) while recording; at most CUSTOM_EVENTS_PER_SECOND, the rest are dropped. */
  annotate(tag: string, payload: Record<string, unknown>): void;
  /** All segments kept now, for handing over to the worker when the page goes away. */
  segments(): Segment[];
  stop(): void;
};

/** Starts recording the document; everything it starts, `stop()` ends. */
export function startRecorder(options: RecorderOptions): Recorder {
  const buffer = createRollingBuffer({ windowMs: options.windowMs, maxBytes: options.maxBytes });
  // Copied at freeze time (the events themselves are shared): the buffer keeps rolling
  // while the user writes, and must not take the frozen window's start with it.
  let frozen: { events: RecordedEvent[]; frozenAtMs: number } | undefined;
  // The running rrweb session; none while a mutation storm pauses recording.
  let session: { gate: MutationGate; stop(): void } | undefined;
  let stopWaitingForCalm: (() => void) | undefined;
  // The time of the newest event kept.
  let keptUntilMs = -Infinity;
  let rateSecond = 0;
  let rateCount = 0;

  const checkout = () => {
    if (!session) return;
    // Held records must not reach rrweb after the snapshot that already shows their effect.
    session.gate.flush();
    record.takeFullSnapshot(true);
  };
  const start = () => {
    const gate = createMutationGate({ onStorm: pause });
    setMutationGate(gate.wrap);
    const stopRecord = record({
      emit(event) {
        // A merged batch carries the time its first change was seen, not when rrweb got it: a
        // change made before the panel opened is never left out for being processed after.
        // Never before an event already kept: the buffer stays in time order, and a change
        // never comes before the click that caused it.
        const changedAtMs = gate.changedAtMs();
        if (changedAtMs !== undefined && event.type === EVENT_TYPE.incremental) event.timestamp = Math.max(changedAtMs, keptUntilMs);
        keptUntilMs = event.timestamp;
        // Every full snapshot starts with a Meta event (rrweb flags only the snapshot after
        // it as the checkout): a segment opens there, so it can start a replay on its own.
        if (event.type === EVENT_TYPE.meta) buffer.startSegment();
        buffer.add({ timestamp: event.timestamp, json: JSON.stringify(event) });
        // One segment alone over the cap: roll now, so the old one can go.
        if (buffer.totalBytes() > options.maxBytes) checkout();
      },
      maskAllInputs: true,
      maskInputOptions: { password: true },
      blockSelector: BLOCK_SELECTOR,
      maskTextSelector: MASK_TEXT_SELECTOR,
      // Keep the replay small: no fonts, canvases or inlined images.
      inlineImages: false,
      collectFonts: false,
      recordCanvas: false,
      slimDOMOptions: 'all',
      sampling: { mousemove: 50, scroll: 150, input: 'last' },
    });
    session = {
      gate,
      stop() {
        gate.stop();
        stopRecord?.();
      },
    };
  };
  // The storm's batch was not processed: rrweb stops, and starts again with a full snapshot once the page is calm.
  const pause = () => {
    session?.stop();
    session = undefined;
    stopWaitingForCalm = waitForCalm(document, () => {
      stopWaitingForCalm = undefined;
      start();
    });
  };

  start();
  const checkoutTimer = setInterval(checkout, options.checkoutMs);

  return {
    freeze(atMs) {
      // What the gate holds was seen before the panel opened (or just after, and is left out by its time).
      session?.gate.flush();
      frozen = { events: selectWindow(buffer.segments(), atMs, options.windowMs), frozenAtMs: atMs };
    },
    frozen() {
      const nowMs = Date.now();
      return frozen ?? { events: selectWindow(buffer.segments(), nowMs, options.windowMs), frozenAtMs: nowMs };
    },
    dropFrozen() {
      frozen = undefined;
    },
    annotate(tag, payload) {
      // Paused by a mutation storm: rrweb would throw.
      if (!session) return;
      const second = Math.floor(Date.now() / 1000);
      if (second !== rateSecond) [rateSecond, rateCount] = [second, 0];
      if (++rateCount <= CUSTOM_EVENTS_PER_SECOND) record.addCustomEvent(tag, payload);
    },
    segments() {
      session?.gate.flush();
      return buffer.segments();
    },
    stop() {
      clearInterval(checkoutTimer);
      stopWaitingForCalm?.();
      session?.stop();
      session = undefined;
      setMutationGate(undefined);
      buffer.clear();
    },
  };
}
