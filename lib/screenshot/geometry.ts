/**
 * Rectangle and crop maths between the editor's display (CSS pixels of the scaled canvas)
 * and the image (device pixels of the original capture).
 */
import type { AnnotatedShot, Point, Rect } from './annotations';

/** A crop smaller than this many image pixels either way is a stray click, not a crop. */
export const MIN_CROP_PX = 8;

/** Width and height of an image or a box. */
export type Size = { width: number; height: number };

/** The same box with a non-negative width and height (dragging up or left gives negative ones). */
export function normaliseRect(rect: Rect): Rect {
  return {
    x: Math.min(rect.x, rect.x + rect.width),
    y: Math.min(rect.y, rect.y + rect.height),
    width: Math.abs(rect.width),
    height: Math.abs(rect.height),
  };
}

/** The normalised box spanned by a drag from `a` to `b`. */
export function rectFromPoints(a: Point, b: Point): Rect {
  return normaliseRect({ x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y });
}

/** The part of `rect` inside an image of `size` (zero-sized when they do not overlap). */
export function clampRect(rect: Rect, size: Size): Rect {
  const box = normaliseRect(rect);
  const x = Math.min(Math.max(box.x, 0), size.width);
  const y = Math.min(Math.max(box.y, 0), size.height);
  const right = Math.min(Math.max(box.x + box.width, 0), size.width);
  const bottom = Math.min(Math.max(box.y + box.height, 0), size.height);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * The crop a drag from `a` to `b` makes: normalised, widened to whole pixels (so the
 * output has no half-covered edge), clamped to the image; undefined when it is smaller
 * than `minPx` either way.
 */
export function cropFromDrag(a: Point, b: Point, size: Size, minPx = MIN_CROP_PX): Rect | undefined {
  const drag = rectFromPoints(a, b);
  const x = Math.floor(drag.x);
  const y = Math.floor(drag.y);
  const whole = { x, y, width: Math.ceil(drag.x + drag.width) - x, height: Math.ceil(drag.y + drag.height) - y };
  const crop = clampRect(whole, size);
  return crop.width < minPx || crop.height < minPx ? undefined : crop;
}

/** The largest scale (display px per image px) at which `content` fits in `box`, at most `maxScale`. */
export function fitScale(content: Size, box: Size, maxScale = 1): number {
  if (content.width <= 0 || content.height <= 0) return maxScale;
  return Math.max(0, Math.min(box.width / content.width, box.height / content.height, maxScale));
}

/** An image point from a display point, the display showing image pixels from `origin` at `scale`. */
export function toImagePoint(point: Point, scale: number, origin: Point = { x: 0, y: 0 }): Point {
  return { x: point.x / scale + origin.x, y: point.y / scale + origin.y };
}

/** A display point from an image point (the inverse of `toImagePoint`). */
export function toDisplayPoint(point: Point, scale: number, origin: Point = { x: 0, y: 0 }): Point {
  return { x: (point.x - origin.x) * scale, y: (point.y - origin.y) * scale };
}

/** An image box from a display box. */
export function toImageRect(rect: Rect, scale: number, origin: Point = { x: 0, y: 0 }): Rect {
  const corner = toImagePoint(rect, scale, origin);
  return normaliseRect({ ...corner, width: rect.width / scale, height: rect.height / scale });
}

/** A display box from an image box. */
export function toDisplayRect(rect: Rect, scale: number, origin: Point = { x: 0, y: 0 }): Rect {
  const corner = toDisplayPoint(rect, scale, origin);
  return normaliseRect({ ...corner, width: rect.width * scale, height: rect.height * scale });
}

/** The part of the image a shot sends: its crop (clamped to the image) or the whole image. */
export function outputRect(shot: Pick<AnnotatedShot, 'width' | 'height' | 'crop'>): Rect {
  const whole = { x: 0, y: 0, width: shot.width, height: shot.height };
  if (!shot.crop) return whole;
  const crop = clampRect(shot.crop, shot);
  return crop.width > 0 && crop.height > 0 ? crop : whole;
}

/** The pixel size of the image a shot sends, after its crop. */
export function outputSize(shot: Pick<AnnotatedShot, 'width' | 'height' | 'crop'>): Size {
  const { width, height } = outputRect(shot);
  return { width: Math.round(width), height: Math.round(height) };
}

/** Distance from `p` to the segment from `a` to `b`. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Whether `p` lies in `rect`, grown by `margin` on every side. */
export function rectContains(rect: Rect, p: Point, margin = 0): boolean {
  const box = normaliseRect(rect);
  return (
    p.x >= box.x - margin && p.x <= box.x + box.width + margin && p.y >= box.y - margin && p.y <= box.y + box.height + margin
  );
}
