import { describe, expect, it } from 'vitest';
import { createRollingBuffer, selectWindow, type ReplayEvent } from '@/lib/replay/buffer';

const meta = (timestamp: number): ReplayEvent => ({ type: 4, timestamp });
const full = (timestamp: number): ReplayEvent => ({ type: 2, timestamp });
const step = (timestamp: number): ReplayEvent => ({ type: 3, timestamp });

/** Feeds a page that checks out every `segmentMs` and emits an event every 100 ms, until `untilMs`. */
function record(buffer: ReturnType<typeof createRollingBuffer>, segmentMs: number, untilMs: number, bytes = 10) {
  for (let t = 0; t <= untilMs; t += 100) {
    if (t % segmentMs === 0) {
      buffer.startSegment();
      buffer.add(meta(t), bytes);
      buffer.add(full(t), bytes);
    } else {
      buffer.add(step(t), bytes);
    }
  }
}

describe('the rolling replay buffer', () => {
  it('always keeps at least the window, starting on a full snapshot, and at most one segment more', () => {
    const buffer = createRollingBuffer({ windowMs: 3_000, maxBytes: 1e9 });
    for (const untilMs of [3_000, 7_300, 12_000, 20_900]) {
      record(buffer, 1_000, untilMs);
      const events = selectWindow(buffer.segments(), untilMs, 3_000);
      expect(events[0]!.type).toBe(4);
      expect(events[1]!.type).toBe(2);
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
    const buffer = createRollingBuffer({ windowMs: 60_000, maxBytes: 1_000 });
    record(buffer, 1_000, 30_000, 20); // 10 events of 20 bytes per segment: 200 bytes each
    expect(buffer.totalBytes()).toBeLessThanOrEqual(1_000);
    expect(buffer.segments().map((segment) => segment.startMs)).toEqual([26_000, 27_000, 28_000, 29_000, 30_000]);
  });

  it('rolls on an idle page too: each forced checkout opens a segment without any other event', () => {
    const buffer = createRollingBuffer({ windowMs: 2_000, maxBytes: 1e9 });
    for (let t = 0; t <= 10_000; t += 1_000) {
      buffer.startSegment();
      buffer.add(meta(t), 10);
      buffer.add(full(t), 10);
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
