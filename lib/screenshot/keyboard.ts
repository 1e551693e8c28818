/**
 * The screenshot editor without a mouse: what a key pressed on the focused canvas does to
 * the shot and the selection, and what is said about it to screen readers. Pure: the
 * editor applies the outcome, one undo step per press (a held key's repeats are one).
 */
import { STRINGS } from '../strings';
import { type AnnotatedShot, type Annotation, type History, type Point, type Rect, addAnnotation, amend, clearCrop, deleteAnnotation, record, replaceAnnotation, setCrop } from './annotations';
import { MIN_CROP_PX } from './geometry';
import { annotationBounds } from './hit-test';
import { type KeyPress, type Tool, strokeWidthFor, textSizeFor } from './tools';
import { cropInMiddle, moveAnnotation, moveRect, resizeAnnotation, resizeRect, shapeInMiddle, textPointInMiddle } from './transform';

/** What a key on the canvas asks for; `dx` and `dy` count steps (Shift makes each ten). */
export type CanvasKey =
  | { type: 'place' }
  | { type: 'nudge'; dx: number; dy: number; resize: boolean }
  | { type: 'cycle'; by: 1 | -1 };

/** Shift multiplies an arrow key's step by this. */
export const BIG_STEP = 10;
/** An arrow key moves a shape this many display px (at least one image px). */
const STEP_DISPLAY_PX = 1;
/** Shapes are never resized smaller than this many steps a side. */
const MIN_SIZE_STEPS = 4;
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * The canvas key of a press: Enter or Space places a shape, arrow keys move the selected
 * one (with Alt they resize it), [ and ] select the previous or next shape.
 */
export function canvasKeyFor(press: KeyPress): CanvasKey | undefined {
  if (press.metaKey) return undefined;
  // [ and ] are typed with AltGr (Ctrl+Alt on Windows) or Option on some layouts.
  if (press.key === '[' || press.key === ']') return { type: 'cycle', by: press.key === ']' ? 1 : -1 };
  if (press.ctrlKey) return undefined;
  if (press.key === 'Enter' || press.key === ' ') return press.altKey || press.shiftKey ? undefined : { type: 'place' };
  const arrow = ARROWS[press.key];
  if (!arrow) return undefined;
  const times = press.shiftKey ? BIG_STEP : 1;
  return { type: 'nudge', dx: arrow[0] * times, dy: arrow[1] * times, resize: press.altKey };
}

/** Image px per arrow key step at a display scale: about one display px, whole image px. */
export function stepFor(scale: number): number {
  return scale > 0 ? Math.max(1, Math.round(STEP_DISPLAY_PX / scale)) : 1;
}

/** What the keys act on. */
export type CanvasState = {
  shot: AnnotatedShot;
  tool: Tool;
  selectedId: string | undefined;
  /** The image area shown: new shapes go in its middle and moves stay inside it. */
  area: Rect;
  /** Image px per step (see `stepFor`). */
  step: number;
  colour: string;
  /** The id a shape added by this key gets. */
  id: string;
};

/** What a key did: the next shot (the same object when unchanged) and selection, and what to say. */
export type KeyOutcome = {
  shot: AnnotatedShot;
  selectedId: string | undefined;
  /** The text tool's field opens here. */
  textAt?: Point;
  /** The crop is done: the editor goes back to the tool used before cropping. */
  cropDone?: boolean;
  /** Said politely to screen readers. */
  message?: string;
  /** Repeats of a held key with the same `merge` are one undo step. */
  merge?: string;
};

const shapeName = (kind: Annotation['kind'] | 'crop') => STRINGS.editorShape[kind];
const round = (value: number) => Math.round(value);

// What a move or resize leaves the shape as, for the announcement.
function describe(annotation: Annotation, resized: boolean): string {
  const name = shapeName(annotation.kind);
  if (resized && annotation.kind === 'arrow') return STRINGS.editorTipMoved(round(annotation.to.x), round(annotation.to.y));
  const box = 'rect' in annotation ? annotation.rect : annotationBounds(annotation);
  return resized ? STRINGS.editorResized(name, round(box.width), round(box.height)) : STRINGS.editorMoved(name, round(box.x), round(box.y));
}

function cycle(state: CanvasState, by: number): KeyOutcome {
  const list = state.shot.annotations;
  if (list.length === 0) return { shot: state.shot, selectedId: undefined, message: STRINGS.editorNoShapes };
  const index = list.findIndex((annotation) => annotation.id === state.selectedId);
  const next = index < 0 ? (by > 0 ? 0 : list.length - 1) : (index + by + list.length) % list.length;
  const chosen = list[next]!;
  return { shot: state.shot, selectedId: chosen.id, message: STRINGS.editorSelected(shapeName(chosen.kind), next + 1, list.length) };
}

// While cropping the keys act on the crop: the first makes one over the middle half, Enter applies it.
function cropKey(state: CanvasState, key: CanvasKey): KeyOutcome {
  const { shot } = state;
  const crop = shot.crop;
  if (key.type === 'cycle') return { shot, selectedId: undefined };
  if (!crop) return { shot: setCrop(shot, cropInMiddle(state.area)), selectedId: undefined, message: STRINGS.editorCropAdded };
  if (key.type === 'place') return { shot, selectedId: undefined, cropDone: true, message: STRINGS.editorCropApplied };
  const image = { x: 0, y: 0, width: shot.width, height: shot.height };
  const [dx, dy] = [key.dx * state.step, key.dy * state.step];
  const rect = key.resize ? resizeRect(crop, dx, dy, image, MIN_CROP_PX) : moveRect(crop, dx, dy, image);
  const same = rect.x === crop.x && rect.y === crop.y && rect.width === crop.width && rect.height === crop.height;
  const name = shapeName('crop');
  return {
    shot: same ? shot : setCrop(shot, rect),
    selectedId: undefined,
    merge: key.resize ? 'resize:crop' : 'move:crop',
    message: key.resize ? STRINGS.editorResized(name, rect.width, rect.height) : STRINGS.editorMoved(name, rect.x, rect.y),
  };
}

/**
 * What a canvas key does: Enter adds the tool's shape in the middle of the area and selects
 * it (the text tool opens its field there; the select tool selects the next shape); arrow
 * keys move the selected shape, or resize it with Alt, inside the area; [ and ] cycle the
 * selection. While cropping they make, move, resize and apply the crop instead.
 */
export function canvasKeyOutcome(state: CanvasState, key: CanvasKey): KeyOutcome {
  const { shot, selectedId } = state;
  if (state.tool === 'crop') return cropKey(state, key);
  if (key.type === 'cycle') return cycle(state, key.by);
  if (key.type === 'place') {
    if (state.tool === 'select') return cycle(state, 1);
    if (state.tool === 'text') return { shot, selectedId, textAt: textPointInMiddle(state.area, textSizeFor(shot.width)) };
    const annotation = shapeInMiddle(state.tool, state.id, state.area, { colour: state.colour, width: strokeWidthFor(shot.width) });
    return { shot: addAnnotation(shot, annotation), selectedId: annotation.id, message: STRINGS.editorAdded(shapeName(annotation.kind)) };
  }
  const target = shot.annotations.find((annotation) => annotation.id === selectedId);
  if (!target) return { shot, selectedId: undefined, message: STRINGS.editorNothingSelected };
  const [dx, dy] = [key.dx * state.step, key.dy * state.step];
  const next = key.resize
    ? resizeAnnotation(target, dx, dy, state.area, MIN_SIZE_STEPS * state.step)
    : moveAnnotation(target, dx, dy, state.area);
  return {
    // At the edge nothing changes, and the position is said again.
    shot: next === target ? shot : replaceAnnotation(shot, next),
    selectedId,
    merge: `${key.resize ? 'resize' : 'move'}:${target.id}`,
    message: describe(next, key.resize),
  };
}

/** Delete or Backspace: removes the crop while cropping, else the selected shape. */
export function deleteOutcome(state: Pick<CanvasState, 'shot' | 'tool' | 'selectedId'>): KeyOutcome {
  const { shot } = state;
  if (state.tool === 'crop') {
    return shot.crop ? { shot: clearCrop(shot), selectedId: undefined, message: STRINGS.editorCropRemoved } : { shot, selectedId: undefined };
  }
  const target = shot.annotations.find((annotation) => annotation.id === state.selectedId);
  if (!target) return { shot, selectedId: undefined };
  return { shot: deleteAnnotation(shot, target.id), selectedId: undefined, message: STRINGS.editorDeleted(shapeName(target.kind)) };
}

/** The last keyboard edit, which a held key's repeats may amend. */
export type MergeableEdit = { merge: string; shot: AnnotatedShot };

/**
 * The history after a key's outcome: each press is one undo step, but the repeats of a
 * held key amend the step its first press made (while nothing else changed the shot).
 */
export function recordKeyEdit(
  history: History,
  outcome: KeyOutcome,
  repeat: boolean,
  last: MergeableEdit | undefined,
): { history: History; last: MergeableEdit | undefined } {
  if (outcome.shot === history.present) return { history, last };
  const merging = repeat && outcome.merge !== undefined && last?.merge === outcome.merge && last.shot === history.present;
  return {
    history: merging ? amend(history, outcome.shot) : record(history, outcome.shot),
    last: outcome.merge === undefined ? undefined : { merge: outcome.merge, shot: outcome.shot },
  };
}
