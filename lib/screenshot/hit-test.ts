/** Which annotation a click lands on, and the box that outlines a selected one. */
import { type Annotation, type Point, type Rect, paintOrder } from './annotations';
import { distanceToSegment, normaliseRect, rectContains, rectFromPoints } from './geometry';

// Canvas text metrics need a canvas; an average glyph is about this share of the font size.
const GLYPH_WIDTH_EM = 0.6;

/** The box an annotation covers, in image pixels (text estimated from its length). */
export function annotationBounds(annotation: Annotation): Rect {
  switch (annotation.kind) {
    case 'pen': {
      const xs = annotation.points.map((point) => point.x);
      const ys = annotation.points.map((point) => point.y);
      const half = annotation.width / 2;
      const x = Math.min(...xs) - half;
      const y = Math.min(...ys) - half;
      return { x, y, width: Math.max(...xs) + half - x, height: Math.max(...ys) + half - y };
    }
    case 'arrow': {
      const line = rectFromPoints(annotation.from, annotation.to);
      const half = annotation.width / 2;
      return { x: line.x - half, y: line.y - half, width: line.width + annotation.width, height: line.height + annotation.width };
    }
    case 'text':
      return {
        ...annotation.at,
        width: annotation.text.length * annotation.size * GLYPH_WIDTH_EM,
        height: annotation.size * 1.2,
      };
    default:
      return normaliseRect(annotation.rect);
  }
}

function hits(annotation: Annotation, point: Point, tolerance: number): boolean {
  switch (annotation.kind) {
    case 'pen': {
      const reach = tolerance + annotation.width / 2;
      const [first, ...rest] = annotation.points;
      if (!first) return false;
      if (rest.length === 0) return Math.hypot(point.x - first.x, point.y - first.y) <= reach;
      let previous = first;
      for (const next of rest) {
        if (distanceToSegment(point, previous, next) <= reach) return true;
        previous = next;
      }
      return false;
    }
    case 'arrow':
      return distanceToSegment(point, annotation.from, annotation.to) <= tolerance + annotation.width / 2;
    case 'rect': {
      // Only the outline: the inside of an outlined box still belongs to what it frames.
      const reach = tolerance + annotation.width / 2;
      const box = normaliseRect(annotation.rect);
      const inner = { x: box.x + reach, y: box.y + reach, width: box.width - 2 * reach, height: box.height - 2 * reach };
      return rectContains(box, point, reach) && !(inner.width > 0 && inner.height > 0 && rectContains(inner, point));
    }
    default:
      return rectContains(annotationBounds(annotation), point, tolerance);
  }
}

/**
 * The topmost annotation at `point` (image px), `tolerance` image px around thin strokes
 * counting as a hit; topmost as painted, so a redaction wins over what it covers.
 */
export function annotationAt(annotations: readonly Annotation[], point: Point, tolerance: number): Annotation | undefined {
  return paintOrder(annotations)
    .reverse()
    .find((annotation) => hits(annotation, point, tolerance));
}
