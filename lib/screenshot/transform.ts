/**
 * Moving and resizing annotations and crops by whole steps, kept inside an area, and the
 * shapes the keyboard adds. Pure, in image pixels, like the rest of the annotation model.
 */
import type { Annotation, Point, Rect } from './annotations';
import { normaliseRect } from './geometry';
import { annotationBounds } from './hit-test';

/** The tools that add a shape where the keyboard asks (the text tool opens a field instead). */
export type ShapeTool = 'pen' | 'arrow' | 'rect' | 'highlight' | 'redact';

/** Text is never made smaller than this (image px): it would be unreadable. */
export const MIN_TEXT_PX = 8;

// On one axis: how far a span from `start` of `size` may move by `delta` and stay in
// [min, max]; one already partly outside may move back in, never further out.
function clampAxis(start: number, size: number, delta: number, min: number, max: number): number {
  if (delta < 0) return Math.max(delta, Math.min(0, min - start));
  if (delta > 0) return Math.min(delta, Math.max(0, max - (start + size)));
  return 0;
}

// On one axis: the size after growing by `delta` (never past `max`) or shrinking (never under `min`).
function resizeAxis(start: number, size: number, delta: number, max: number, min: number): number {
  if (delta > 0) return size + Math.min(delta, Math.max(0, max - (start + size)));
  if (delta < 0) return Math.max(size + delta, Math.min(size, min));
  return size;
}

/** How far `box` can move towards (dx, dy) and stay inside `limits`. */
export function clampShift(box: Rect, dx: number, dy: number, limits: Rect): Point {
  return {
    x: clampAxis(box.x, box.width, dx, limits.x, limits.x + limits.width),
    y: clampAxis(box.y, box.height, dy, limits.y, limits.y + limits.height),
  };
}

/** The box moved by (dx, dy), as far as it stays inside `limits`. */
export function moveRect(rect: Rect, dx: number, dy: number, limits: Rect): Rect {
  const box = normaliseRect(rect);
  const shift = clampShift(box, dx, dy, limits);
  return { ...box, x: box.x + shift.x, y: box.y + shift.y };
}

/** The box with its right and bottom edges moved by (dx, dy): inside `limits`, at least `minSize` a side. */
export function resizeRect(rect: Rect, dx: number, dy: number, limits: Rect, minSize: number): Rect {
  const box = normaliseRect(rect);
  return {
    ...box,
    width: resizeAxis(box.x, box.width, dx, limits.x + limits.width, minSize),
    height: resizeAxis(box.y, box.height, dy, limits.y + limits.height, minSize),
  };
}

const add = (point: Point, by: Point): Point => ({ x: point.x + by.x, y: point.y + by.y });

/** The annotation moved by (dx, dy), as far as all of it stays inside `limits` (the same object when it cannot move). */
export function moveAnnotation(annotation: Annotation, dx: number, dy: number, limits: Rect): Annotation {
  const by = clampShift(annotationBounds(annotation), dx, dy, limits);
  if (by.x === 0 && by.y === 0) return annotation;
  switch (annotation.kind) {
    case 'pen':
      return { ...annotation, points: annotation.points.map((point) => add(point, by)) };
    case 'arrow':
      return { ...annotation, from: add(annotation.from, by), to: add(annotation.to, by) };
    case 'text':
      return { ...annotation, at: add(annotation.at, by) };
    default: {
      const box = normaliseRect(annotation.rect);
      return { ...annotation, rect: { ...box, x: box.x + by.x, y: box.y + by.y } };
    }
  }
}

/**
 * The annotation resized by (dx, dy) inside `limits`: a box by its right and bottom edges,
 * an arrow by moving its tip, a pen stroke scaled from its top-left corner, a text's font
 * size by whichever of dx or dy is not zero. The same object when nothing changes.
 */
export function resizeAnnotation(annotation: Annotation, dx: number, dy: number, limits: Rect, minSize: number): Annotation {
  switch (annotation.kind) {
    case 'arrow': {
      const by = clampShift({ ...annotation.to, width: 0, height: 0 }, dx, dy, limits);
      return by.x === 0 && by.y === 0 ? annotation : { ...annotation, to: add(annotation.to, by) };
    }
    case 'pen': {
      const xs = annotation.points.map((point) => point.x);
      const ys = annotation.points.map((point) => point.y);
      const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
      const next = resizeRect(box, dx, dy, limits, minSize);
      // A straight line has no extent across it: nothing to scale that way.
      const sx = box.width > 0 ? next.width / box.width : 1;
      const sy = box.height > 0 ? next.height / box.height : 1;
      if (sx === 1 && sy === 1) return annotation;
      return { ...annotation, points: annotation.points.map((p) => ({ x: box.x + (p.x - box.x) * sx, y: box.y + (p.y - box.y) * sy })) };
    }
    case 'text': {
      const size = Math.max(MIN_TEXT_PX, annotation.size + (dx || dy));
      const next = { ...annotation, size };
      const grows = size > annotation.size;
      const bounds = annotationBounds(next);
      const fits = bounds.x + bounds.width <= limits.x + limits.width && bounds.y + bounds.height <= limits.y + limits.height;
      return size === annotation.size || (grows && !fits) ? annotation : next;
    }
    default: {
      const rect = resizeRect(annotation.rect, dx, dy, limits, minSize);
      const same = rect.width === annotation.rect.width && rect.height === annotation.rect.height;
      return same ? annotation : { ...annotation, rect };
    }
  }
}

// A box a quarter of the area's shorter side high, half as wide again, in the middle of the area.
function middleBox(area: Rect): Rect {
  const side = Math.max(1, Math.round(Math.min(area.width, area.height) / 4));
  const width = Math.min(Math.round(area.width), Math.round(side * 1.5));
  return { x: Math.round(area.x + (area.width - width) / 2), y: Math.round(area.y + (area.height - side) / 2), width, height: side };
}

/**
 * The shape a tool adds by keyboard, in the middle of the area shown: a box, a diagonal
 * arrow pointing up and right across it, or a stroke underlining it.
 */
export function shapeInMiddle(tool: ShapeTool, id: string, area: Rect, style: { colour: string; width: number }): Annotation {
  const box = middleBox(area);
  const { colour, width } = style;
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  switch (tool) {
    case 'pen':
      return { id, kind: 'pen', colour, width, points: [{ x: box.x, y: bottom }, { x: right, y: bottom }] };
    case 'arrow':
      return { id, kind: 'arrow', colour, width, from: { x: box.x, y: bottom }, to: { x: right, y: box.y } };
    case 'rect':
      return { id, kind: 'rect', colour, width, rect: box };
    case 'highlight':
    case 'redact':
      return { id, kind: tool, colour, rect: box };
  }
}

/** Where the text tool's field opens by keyboard: at the left of the middle box, centred on its height. */
export function textPointInMiddle(area: Rect, textSize: number): Point {
  const box = middleBox(area);
  return { x: box.x, y: Math.round(area.y + area.height / 2 - textSize * 0.6) };
}

/** The crop the keyboard starts with: the middle half of the area, in whole pixels. */
export function cropInMiddle(area: Rect): Rect {
  const width = Math.max(1, Math.round(area.width / 2));
  const height = Math.max(1, Math.round(area.height / 2));
  return { x: Math.round(area.x + (area.width - width) / 2), y: Math.round(area.y + (area.height - height) / 2), width, height };
}
