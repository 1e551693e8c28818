import { describe, expect, it } from 'vitest';
import { nudgeRect } from '@/lib/capture/page-picker';

const viewport = { width: 1000, height: 600 };
const box = { x: 250, y: 150, width: 500, height: 300 };

describe("the region picker's keyboard box", () => {
  it('moves by 10 px per arrow key, 100 px with Shift', () => {
    expect(nudgeRect(box, 'ArrowRight', false, false, viewport)).toEqual({ ...box, x: 260 });
    expect(nudgeRect(box, 'ArrowUp', true, false, viewport)).toEqual({ ...box, y: 50 });
  });

  it('resizes with Alt, from its top-left corner', () => {
    expect(nudgeRect(box, 'ArrowRight', false, true, viewport)).toEqual({ ...box, width: 510 });
    expect(nudgeRect(box, 'ArrowUp', true, true, viewport)).toEqual({ ...box, height: 200 });
  });

  it('stays inside the viewport and never shrinks to nothing', () => {
    expect(nudgeRect({ ...box, x: 495 }, 'ArrowRight', true, false, viewport).x).toBe(500);
    expect(nudgeRect({ ...box, width: 8 }, 'ArrowLeft', false, true, viewport).width).toBe(4);
    expect(nudgeRect(box, 'ArrowDown', true, true, { width: 1000, height: 350 }).height).toBe(350);
  });
});
