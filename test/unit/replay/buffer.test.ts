import { describe, expect, it } from 'vitest';
import { createRollingBuffer, selectWindow, type RecordedEvent } from '@/lib/replay/buffer';

/** An event of rrweb `type` whose JSON is padded to exactly `bytes` characters. */
function event(type: number, timestamp: number, bytes: number): RecordedEvent {
  const bare = JSON.stringify({ type, timestamp, pad: '' });
  return { timestamp, json: bare.replace('"pad":""', `"pad":"${'x'.repeat(bytes - bare.length)}"`) };
}
const typeOf = (recorded: RecordedEvent) => (JSON.parse(recorded.json) as { type: number }).type;

/** Feeds a page that checks out every `segmentMs` and emits an event every 100 ms, until `untilMs`. */
function record(buffer: ReturnType<typeof createRollingBuffer>, segmentMs: number, untilMs: number, bytes = 50) {
  for (let t = 0; t <= untilMs; t += 100) {
    if (t % segmentMs === 0) {
      buffer.startSegment();
      buffer.add(event(4, t, bytes));
      buffer.add(event(2, t, bytes));
    } else {
      buffer.add(event(3, t, bytes));
    }
  }
}

describe('the rolling replay buffer', () => {
  it('always keeps at least the window, starting on a full snapshot, and at most one segment more', () => {
    const buffer = createRollingBuffer({ windowMs: 3_000, maxBytes: 1e9 });
    for (const untilMs of [3_000, 7_300, 12_000, 20_900]) {
      record(buffer, 1_000, untilMs);
      const events = selectWindow(buffer.segments(), untilMs, 3_000);
      expect(typeOf(events[0]!)).toBe(4);
      expect(typeOf(events[1]!)).toBe(2);
      expect(untilMs - events[0]!.timestamp).toBeGreaterThanOrEqual(3_000);
      expect(untilMs - events[0]!.timestamp).toBeLessThanOrEqual(4_000);
      buffer.clear();
    }
  });

  it('drops the oldest segments once newer ones cover the window', () => {
    const buffer = createRollingBuffer({ windowMs: 3_000, maxBytes: 1e9 });
    record(buffer, 1_000, 10_000);
    expect(buffer.segments().map((segment) => segment.startMs)).toEqual([7_000, 8_000, 9_000, 10_000]);
  });

  it('never holds more than the byte cap, dropping the oldest segment first', () => {
    const buffer = createRollingBuffer({ windowMs: 60_000, maxBytes: 5_000 });
    record(buffer, 1_000, 30_000, 100); // 10 events of 100 bytes per segment: 1,000 bytes each
    expect(buffer.totalBytes()).toBeLessThanOrEqual(5_000);
    expect(buffer.segments().map((segment) => segment.startMs)).toEqual([26_000, 27_000, 28_000, 29_000, 30_000]);
  });

  it('rolls on an idle page too: each forced checkout opens a segment without any other event', () => {
    const buffer = createRollingBuffer({ windowMs: 2_000, maxBytes: 1e9 });
    for (let t = 0; t <= 10_000; t += 1_000) {
      buffer.startSegment();
      buffer.add(event(4, t, 50));
      buffer.add(event(2, t, 50));
    }
    expect(buffer.segments().map((segment) => segment.startMs)).toEqual([8_000, 9_000, 10_000]);
  });

  it('leaves out everything after the freeze', () => {
    const buffer = createRollingBuffer({ windowMs: 3_000, maxBytes: 1e9 });
    record(buffer, 1_000, 9_000);
    const frozen = selectWindow(buffer.segments(), 8_500, 2_000);
    expect(frozen.every((event) => event.timestamp <= 8_500)).toBe(true);
    expect(frozen[0]!.timestamp).toBe(6_000);
    expect(frozen.at(-1)!.timestamp).toBe(8_500);
  });
});
