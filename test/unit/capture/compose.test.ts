import { describe, expect, it } from 'vitest';
import { MAX_CANVAS_AREA, MAX_CANVAS_SIDE, planParts, planSlices, viewportBoxInImage } from '@/lib/capture/compose';

describe('full-page slices', () => {
  it('covers the page a viewport at a time, the last slice ending at the bottom', () => {
    expect(planSlices({ height: 2450, viewportHeight: 800 })).toEqual([0, 800, 1600, 1650]);
    expect(planSlices({ height: 2400, viewportHeight: 800 })).toEqual([0, 800, 1600]);
  });

  it('takes one slice of a page no taller than the viewport', () => {
    expect(planSlices({ height: 600, viewportHeight: 800 })).toEqual([0]);
  });

  it('leaves no gap: every page pixel row falls in some slice', () => {
    for (const [height, viewportHeight] of [[5000, 731], [801, 800], [10_000, 997]] as const) {
      const slices = planSlices({ height, viewportHeight });
      for (let row = 0; row < height; row += 7) expect(slices.some((y) => row >= y && row < y + viewportHeight)).toBe(true);
    }
  });
});

describe('splitting a stitched page into canvases', () => {
  it('keeps a page within the limits in one part', () => {
    expect(planParts(16_000, 2400)).toEqual([{ top: 0, height: 16_000 }]);
  });

  it('splits a page taller than the largest canvas side into numbered parts that add up to it', () => {
    const parts = planParts(80_000, 1000);
    expect(parts.map((part) => part.top)).toEqual([0, MAX_CANVAS_SIDE, 2 * MAX_CANVAS_SIDE]);
    expect(parts.reduce((sum, part) => sum + part.height, 0)).toBe(80_000);
  });

  it('keeps each part under the largest canvas area for wide images', () => {
    const width = 16_000;
    for (const part of planParts(40_000, width)) expect(part.height * width).toBeLessThanOrEqual(MAX_CANVAS_AREA);
  });
});

describe('a picked box in image pixels', () => {
  it('scales by the device pixel ratio', () => {
    expect(viewportBoxInImage({ x: 100, y: 50, width: 200, height: 120 }, 2, 2400, 1600)).toEqual({ x: 200, y: 100, width: 400, height: 240 });
  });

  it('clamps a box that reaches past the viewport to the image', () => {
    expect(viewportBoxInImage({ x: -20, y: 700, width: 300, height: 200 }, 1, 1200, 800)).toEqual({ x: 0, y: 700, width: 280, height: 100 });
  });

  it('rounds fractional boxes (zoomed pages) to whole pixels of at least 1 × 1', () => {
    expect(viewportBoxInImage({ x: 10.4, y: 10.6, width: 0.2, height: 0.2 }, 1.5, 100, 100)).toEqual({ x: 16, y: 16, width: 1, height: 1 });
  });
});
