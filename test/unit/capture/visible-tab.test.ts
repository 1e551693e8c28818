import { describe, expect, it } from 'vitest';
import { createCaptureQueue } from '@/lib/capture/visible-tab';

describe('the capture queue', () => {
  it('spaces calls so no more than 2 start in any second', async () => {
    const startsMs: number[] = [];
    const capture = createCaptureQueue(async () => {
      startsMs.push(Date.now());
      return 'data:image/png;base64,';
    }, 120);
    await Promise.all([1, 2, 3, 4].map(() => capture(1)));
    const gaps = startsMs.slice(1).map((start, i) => start - startsMs[i]!);
    expect(startsMs).toHaveLength(4);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(115);
  });

  it('waits out a quota error and retries instead of failing', async () => {
    let calls = 0;
    const capture = createCaptureQueue(async () => {
      calls++;
      if (calls === 1) throw new Error('This request exceeds the MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND quota.');
      return 'data:image/png;base64,ok';
    }, 10);
    await expect(capture(1)).resolves.toBe('data:image/png;base64,ok');
    expect(calls).toBe(2);
  });

  it('passes other errors on, and keeps serving later calls', async () => {
    let fail = true;
    const capture = createCaptureQueue(async () => {
      if (fail) {
        fail = false;
        throw new Error('Cannot access contents of the page');
      }
      return 'data:image/png;base64,next';
    }, 10);
    await expect(capture(1)).rejects.toThrow('Cannot access');
    await expect(capture(1)).resolves.toBe('data:image/png;base64,next');
  });
});
