import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORM_NODES } from '@/lib/replay/mutation-gate';
import { CALM_MS, waitForCalm } from '@/lib/replay/storm-guard';

/** A MutationObserver the test feeds batches to; records only need `type` and node lists here. */
class FakeObserver {
  static last: FakeObserver | undefined;
  observing = false;
  constructor(readonly callback: (records: MutationRecord[]) => void) {
    FakeObserver.last = this;
  }
  observe() {
    this.observing = true;
  }
  disconnect() {
    this.observing = false;
  }
  /** The page changes `nodes` nodes in one batch. */
  batch(nodes: number) {
    this.callback([{ type: 'childList', addedNodes: { length: nodes }, removedNodes: { length: 0 } } as unknown as MutationRecord]);
  }
}

describe('waiting for calm after a mutation storm', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('MutationObserver', FakeObserver);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('resumes once CALM_MS pass without another stormy batch; ordinary batches do not delay it', () => {
    const onCalm = vi.fn();
    waitForCalm({} as Node, onCalm);
    const observer = FakeObserver.last!;
    vi.advanceTimersByTime(CALM_MS - 100);
    observer.batch(STORM_NODES + 1);
    vi.advanceTimersByTime(CALM_MS - 1);
    expect(onCalm).not.toHaveBeenCalled();
    observer.batch(50);
    vi.advanceTimersByTime(1);
    expect(onCalm).toHaveBeenCalledTimes(1);
    expect(observer.observing).toBe(false);
  });

  it('stops watching, and never resumes, once disposed', () => {
    const onCalm = vi.fn();
    const stop = waitForCalm({} as Node, onCalm);
    stop();
    vi.advanceTimersByTime(CALM_MS * 2);
    expect(onCalm).not.toHaveBeenCalled();
    expect(FakeObserver.last!.observing).toBe(false);
  });
});
