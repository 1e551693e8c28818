/**
 * The annotation model of a screenshot and its undo/redo history. Pure data: coordinates
 * are pixels of the original capture (device pixels), so a shot can be re-opened and
 * edited again at any display size, and the image itself is never changed.
 */

/** A position in image pixels of the original capture. */
export type Point = { x: number; y: number };

/** An axis-aligned box in image pixels of the original capture (width and height >= 0). */
export type Rect = { x: number; y: number; width: number; height: number };

type Base = { id: string; colour: string };

/** A freehand stroke. */
export type PenAnnotation = Base & { kind: 'pen'; points: Point[]; width: number };
/** A straight arrow, its head at `to`. */
export type ArrowAnnotation = Base & { kind: 'arrow'; from: Point; to: Point; width: number };
/** An outlined box (stroke only). */
export type RectAnnotation = Base & { kind: 'rect'; rect: Rect; width: number };
/** A box left bright while everything outside every highlight is dimmed. */
export type HighlightAnnotation = Base & { kind: 'highlight'; rect: Rect };
/** A line of text, `at` being its top-left corner and `size` its font size in image pixels. */
export type TextAnnotation = Base & { kind: 'text'; at: Point; text: string; size: number };
/** An opaque black box hiding what is under it; `colour` is ignored. */
export type RedactAnnotation = Base & { kind: 'redact'; rect: Rect };

/** One mark drawn over a screenshot. */
export type Annotation =
  | PenAnnotation
  | ArrowAnnotation
  | RectAnnotation
  | HighlightAnnotation
  | TextAnnotation
  | RedactAnnotation;

/** The kinds of annotation, as the editor's drawing tools name them. */
export type AnnotationKind = Annotation['kind'];

/** A capture plus everything drawn on it; flattening happens only when it is sent. */
export type AnnotatedShot = {
  /** Data URL of the original capture, never modified. */
  image: string;
  /** Size of the original capture in image pixels. */
  width: number;
  height: number;
  /** In drawing order (redactions are nevertheless painted last, see `paintOrder`). */
  annotations: Annotation[];
  /** The part of the image that is sent; the whole image when absent. */
  crop?: Rect;
};

/** A fresh shot of a capture, with nothing drawn on it. */
export function createShot(image: string, width: number, height: number): AnnotatedShot {
  return { image, width, height, annotations: [] };
}

/** The shot with one more annotation on top. */
export function addAnnotation(shot: AnnotatedShot, annotation: Annotation): AnnotatedShot {
  return { ...shot, annotations: [...shot.annotations, annotation] };
}

/** The shot without the annotation of that id (unchanged when there is none). */
export function deleteAnnotation(shot: AnnotatedShot, id: string): AnnotatedShot {
  if (!shot.annotations.some((annotation) => annotation.id === id)) return shot;
  return { ...shot, annotations: shot.annotations.filter((annotation) => annotation.id !== id) };
}

/** The shot with the annotation of the same id as `annotation` replaced by it, in its place in the drawing order. */
export function replaceAnnotation(shot: AnnotatedShot, annotation: Annotation): AnnotatedShot {
  return { ...shot, annotations: shot.annotations.map((old) => (old.id === annotation.id ? annotation : old)) };
}

/** The shot cropped to `rect` (replacing any previous crop). */
export function setCrop(shot: AnnotatedShot, rect: Rect): AnnotatedShot {
  return { ...shot, crop: { ...rect } };
}

/** The shot showing the whole image again. */
export function clearCrop(shot: AnnotatedShot): AnnotatedShot {
  const { crop: _removed, ...rest } = shot;
  return rest;
}

/**
 * Annotations in the order they are painted: redactions last, so that nothing drawn
 * after them (an arrow, a text, a highlight's dimming) can sit on top of a hidden area.
 */
export function paintOrder(annotations: readonly Annotation[]): Annotation[] {
  return [
    ...annotations.filter((annotation) => annotation.kind !== 'redact'),
    ...annotations.filter((annotation) => annotation.kind === 'redact'),
  ];
}

/** Undo/redo over whole shot states; immutable, so it can live in one Solid signal. */
export type History = {
  readonly past: readonly AnnotatedShot[];
  readonly present: AnnotatedShot;
  readonly future: readonly AnnotatedShot[];
};

/** Undo steps kept; older ones are dropped (each step is small: the image string is shared). */
export const HISTORY_LIMIT = 200;

/** A history whose only state is `initial`. */
export function startHistory(initial: AnnotatedShot): History {
  return { past: [], present: initial, future: [] };
}

/** The history after an edit: `next` becomes current and the redo steps are forgotten. */
export function record(history: History, next: AnnotatedShot): History {
  if (next === history.present) return history;
  return { past: [...history.past, history.present].slice(-HISTORY_LIMIT), present: next, future: [] };
}

/** The history with `next` in place of the current state, in the same undo step (a held key's repeats). */
export function amend(history: History, next: AnnotatedShot): History {
  if (next === history.present) return history;
  return { past: history.past, present: next, future: [] };
}

/** The history one step back (unchanged when there is nothing to undo). */
export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

/** The history one step forward again (unchanged when there is nothing to redo). */
export function redo(history: History): History {
  const [next, ...rest] = history.future;
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}

/** Whether `undo` would change anything. */
export function canUndo(history: History): boolean {
  return history.past.length > 0;
}

/** Whether `redo` would change anything. */
export function canRedo(history: History): boolean {
  return history.future.length > 0;
}
