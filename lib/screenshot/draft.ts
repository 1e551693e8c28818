/**
 * A drag in progress on the screenshot, and the annotation or crop it becomes. Pure, in
 * image pixels; the editor feeds it pointer positions already converted from the display.
 */
import type { Annotation, Point, Rect } from './annotations';
import { clampRect, cropFromDrag, rectFromPoints, type Size } from './geometry';

/** The tools that make something by dragging. */
export type DragTool = 'pen' | 'arrow' | 'rect' | 'highlight' | 'redact' | 'crop';

/** A drag in progress: where it started and the points it went through. */
export type Draft = {
  tool: DragTool;
  colour: string;
  /** Stroke width in image pixels (pen, arrow, rectangle). */
  width: number;
  /** The first point is where the drag started, the last where the pointer is now. */
  points: Point[];
};

/** What a finished drag makes. */
export type DraftResult = { type: 'annotation'; annotation: Annotation } | { type: 'crop'; rect: Rect };

/** A drag starting at `at`. */
export function startDraft(tool: DragTool, at: Point, style: { colour: string; width: number }): Draft {
  return { tool, colour: style.colour, width: style.width, points: [at] };
}

/**
 * The drag moved to `to`: a pen keeps every point (closer ones than `minStep` image px
 * add nothing visible and are skipped); other tools only need the latest.
 */
export function extendDraft(draft: Draft, to: Point, minStep = 1): Draft {
  const first = draft.points[0]!;
  if (draft.tool !== 'pen') return { ...draft, points: [first, to] };
  const last = draft.points.at(-1)!;
  if (Math.hypot(to.x - last.x, to.y - last.y) < minStep) return draft;
  return { ...draft, points: [...draft.points, to] };
}

/** The annotation the drag shows right now (for the live preview), if the tool makes one. */
export function draftAnnotation(draft: Draft, id: string, image: Size): Annotation | undefined {
  const first = draft.points[0]!;
  const last = draft.points.at(-1)!;
  const { colour, width } = draft;
  switch (draft.tool) {
    case 'pen':
      return { id, kind: 'pen', colour, width, points: draft.points };
    case 'arrow':
      return { id, kind: 'arrow', colour, width, from: first, to: last };
    case 'rect':
      return { id, kind: 'rect', colour, width, rect: rectFromPoints(first, last) };
    case 'highlight':
      return { id, kind: 'highlight', colour, rect: clampRect(rectFromPoints(first, last), image) };
    case 'redact':
      return { id, kind: 'redact', colour, rect: clampRect(rectFromPoints(first, last), image) };
    case 'crop':
      return undefined;
  }
}

/** The box a crop drag shows right now (for the live preview). */
export function draftCrop(draft: Draft, image: Size): Rect | undefined {
  if (draft.tool !== 'crop') return undefined;
  return clampRect(rectFromPoints(draft.points[0]!, draft.points.at(-1)!), image);
}

/**
 * What the finished drag makes, or undefined when it was too small to mean anything
 * (under `minSize` image px, a click rather than a drag: the editor then selects).
 */
export function finishDraft(draft: Draft, id: string, image: Size, minSize: number): DraftResult | undefined {
  const first = draft.points[0]!;
  const last = draft.points.at(-1)!;
  if (draft.tool === 'crop') {
    const rect = cropFromDrag(first, last, image);
    return rect && { type: 'crop', rect };
  }
  const annotation = draftAnnotation(draft, id, image);
  if (!annotation) return undefined;
  const xs = draft.points.map((point) => point.x);
  const ys = draft.points.map((point) => point.y);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  // Lines only need length; boxes need both sides (a flat box is invisible or useless).
  const big =
    annotation.kind === 'pen' || annotation.kind === 'arrow'
      ? Math.max(spanX, spanY) >= minSize
      : 'rect' in annotation && annotation.rect.width >= minSize && annotation.rect.height >= minSize;
  return big ? { type: 'annotation', annotation } : undefined;
}
