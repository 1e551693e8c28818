import { describe, expect, it } from 'vitest';
import {
  clampRect,
  cropFromDrag,
  distanceToSegment,
  fitScale,
  MIN_CROP_PX,
  normaliseRect,
  outputSize,
  rectFromPoints,
  toDisplayPoint,
  toDisplayRect,
  toImagePoint,
  toImageRect,
} from '@/lib/screenshot/geometry';

const IMAGE = { width: 1000, height: 500 };

describe('crop maths', () => {
  it('turns a drag up and to the left into a box with a positive size', () => {
    expect(normaliseRect({ x: 100, y: 80, width: -40, height: -30 })).toEqual({ x: 60, y: 50, width: 40, height: 30 });
    expect(rectFromPoints({ x: 100, y: 80 }, { x: 60, y: 50 })).toEqual({ x: 60, y: 50, width: 40, height: 30 });
  });

  it('keeps a box inside the image', () => {
    expect(clampRect({ x: -20, y: 400, width: 100, height: 200 }, IMAGE)).toEqual({ x: 0, y: 400, width: 80, height: 100 });
    expect(clampRect({ x: 1200, y: 10, width: 50, height: 50 }, IMAGE)).toMatchObject({ width: 0 });
  });

  it('crops to whole pixels, within the image, whichever way the drag went', () => {
    expect(cropFromDrag({ x: 300.7, y: 200.2 }, { x: 100.4, y: 50.9 }, IMAGE)).toEqual({ x: 100, y: 50, width: 201, height: 151 });
    expect(cropFromDrag({ x: -50, y: -50 }, { x: 2000, y: 2000 }, IMAGE)).toEqual({ x: 0, y: 0, width: 1000, height: 500 });
  });

  it(`ignores a crop under ${MIN_CROP_PX} image pixels either way (a stray click)`, () => {
    expect(cropFromDrag({ x: 10, y: 10 }, { x: 10 + MIN_CROP_PX - 1, y: 300 }, IMAGE)).toBeUndefined();
    expect(cropFromDrag({ x: 10, y: 10 }, { x: 300, y: 12 }, IMAGE)).toBeUndefined();
    expect(cropFromDrag({ x: 10, y: 10 }, { x: 10 + MIN_CROP_PX, y: 10 + MIN_CROP_PX }, IMAGE)).toEqual({ x: 10, y: 10, width: 8, height: 8 });
    // Mostly off the image: what is left is too small.
    expect(cropFromDrag({ x: 995, y: 10 }, { x: 1400, y: 300 }, IMAGE)).toBeUndefined();
  });

  it('sends the crop size, or the whole image without a crop', () => {
    const shot = { ...IMAGE, crop: { x: 10, y: 20, width: 300, height: 100 } };
    expect(outputSize(shot)).toEqual({ width: 300, height: 100 });
    expect(outputSize(IMAGE)).toEqual({ width: 1000, height: 500 });
    expect(outputSize({ ...IMAGE, crop: { x: 900, y: 0, width: 500, height: 500 } })).toEqual({ width: 100, height: 500 });
  });
});

describe('display and image coordinates', () => {
  it('fits the image in the editor, never enlarging it past the limit', () => {
    expect(fitScale({ width: 2880, height: 1800 }, { width: 1440, height: 1200 })).toBe(0.5);
    expect(fitScale({ width: 2880, height: 1800 }, { width: 2000, height: 450 })).toBe(0.25);
    expect(fitScale({ width: 100, height: 100 }, { width: 1000, height: 1000 }, 2)).toBe(2);
  });

  it('converts a pointer position to image pixels and back', () => {
    const origin = { x: 200, y: 100 };
    const image = toImagePoint({ x: 50, y: 30 }, 0.5, origin);
    expect(image).toEqual({ x: 300, y: 160 });
    expect(toDisplayPoint(image, 0.5, origin)).toEqual({ x: 50, y: 30 });
  });

  it('converts boxes both ways, normalising them', () => {
    expect(toImageRect({ x: 10, y: 10, width: -5, height: 20 }, 0.5)).toEqual({ x: 10, y: 20, width: 10, height: 40 });
    expect(toDisplayRect({ x: 100, y: 50, width: 40, height: 20 }, 2, { x: 90, y: 50 })).toEqual({ x: 20, y: 0, width: 80, height: 40 });
  });

  it('measures how far a click is from a line', () => {
    expect(distanceToSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    expect(distanceToSegment({ x: 13, y: 4 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(distanceToSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5);
  });
});
