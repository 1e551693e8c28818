import { describe, expect, it } from 'vitest';
import { type AnnotatedShot, type Annotation, type History, type Point, addAnnotation, createShot, setCrop, startHistory, undo } from '@/lib/screenshot/annotations';
import { outputRect } from '@/lib/screenshot/geometry';
import { canvasKeyFor, canvasKeyOutcome, deleteOutcome, type MergeableEdit, recordKeyEdit, stepFor } from '@/lib/screenshot/keyboard';
import type { KeyPress, Tool } from '@/lib/screenshot/tools';
import { STRINGS } from '@/lib/strings';

const colour = '#e5484d';
const keyPress = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers });

/** The editor as the keys see it: what `createEditorState` keeps between presses. */
type Session = { history: History; tool: Tool; selectedId?: string; last?: MergeableEdit; said?: string; textAt?: Point; cropDone?: boolean };
let ids = 0;
const open = (shot: AnnotatedShot, tool: Tool): Session => ({ history: startHistory(shot), tool });
const shotOf = (session: Session) => session.history.present;
const selected = (session: Session) => shotOf(session).annotations.find((annotation) => annotation.id === session.selectedId);

/** Presses `key` on the canvas (one step is one image px), as the editor does. */
function press(session: Session, key: string, modifiers: Partial<KeyPress> = {}, repeat = false): Session {
  const canvasKey = canvasKeyFor(keyPress(key, modifiers));
  if (!canvasKey) throw new Error(`${key} is not a canvas key`);
  const shot = shotOf(session);
  const area = session.tool === 'crop' ? { x: 0, y: 0, width: shot.width, height: shot.height } : outputRect(shot);
  const outcome = canvasKeyOutcome({ shot, tool: session.tool, selectedId: session.selectedId, area, step: 1, colour, id: `new${++ids}` }, canvasKey);
  const { history, last } = recordKeyEdit(session.history, outcome, repeat, session.last);
  return { ...session, history, last, selectedId: outcome.selectedId, said: outcome.message, textAt: outcome.textAt, cropDone: outcome.cropDone };
}
const pressAll = (session: Session, keys: string[], modifiers: Partial<KeyPress> = {}) => keys.reduce((next, key) => press(next, key, modifiers), session);

const blank = () => createShot('data:image/png;base64,AAAA', 1000, 500);
const box = (id: string, rect = { x: 100, y: 100, width: 50, height: 40 }): Annotation => ({ id, kind: 'rect', colour, width: 4, rect });

describe('the canvas keys', () => {
  it('place with Enter or Space, move with the arrow keys (Shift: ten times), resize with Alt, cycle with [ and ]', () => {
    expect(canvasKeyFor(keyPress('Enter'))).toEqual({ type: 'place' });
    expect(canvasKeyFor(keyPress(' '))).toEqual({ type: 'place' });
    expect(canvasKeyFor(keyPress('ArrowLeft'))).toEqual({ type: 'nudge', dx: -1, dy: 0, resize: false });
    expect(canvasKeyFor(keyPress('ArrowDown', { shiftKey: true }))).toEqual({ type: 'nudge', dx: 0, dy: 10, resize: false });
    expect(canvasKeyFor(keyPress('ArrowRight', { altKey: true, shiftKey: true }))).toEqual({ type: 'nudge', dx: 10, dy: 0, resize: true });
    expect(canvasKeyFor(keyPress(']'))).toEqual({ type: 'cycle', by: 1 });
    // A German layout types [ with AltGr, which the browser reports as Ctrl+Alt.
    expect(canvasKeyFor(keyPress('[', { ctrlKey: true, altKey: true }))).toEqual({ type: 'cycle', by: -1 });
  });

  it('leave the editor shortcuts and browser keys alone', () => {
    expect(canvasKeyFor(keyPress('Enter', { ctrlKey: true }))).toBeUndefined(); // Ctrl+Enter saves
    expect(canvasKeyFor(keyPress('ArrowLeft', { metaKey: true }))).toBeUndefined();
    expect(canvasKeyFor(keyPress('Tab'))).toBeUndefined(); // focus moves on: the canvas is no trap
    expect(canvasKeyFor(keyPress('r'))).toBeUndefined();
  });

  it('step about one display px, in whole image px', () => {
    expect([stepFor(1), stepFor(2), stepFor(0.5), stepFor(0.3)]).toEqual([1, 1, 2, 3]);
  });
});

describe('adding shapes by keyboard', () => {
  it('adds the tool shape in the middle of what is shown, selected, in one undo step', () => {
    const session = press(open(blank(), 'rect'), 'Enter');
    const added = selected(session);
    expect(added).toMatchObject({ kind: 'rect', colour, rect: { width: 188, height: 125 } });
    const rect = added?.kind === 'rect' ? added.rect : undefined;
    expect(rect && [rect.x + rect.width / 2, rect.y + rect.height / 2]).toEqual([500, 250.5]);
    expect(session.said).toBe(STRINGS.editorAdded(STRINGS.editorShape.rect));
    expect(session.history.past).toHaveLength(1);
    expect(undo(session.history).present.annotations).toEqual([]);
  });

  it('adds a diagonal arrow, a stroke, a highlight and a redaction, each announced by name', () => {
    const arrow = press(open(blank(), 'arrow'), 'Enter');
    expect(selected(arrow)).toMatchObject({ kind: 'arrow', from: { x: 406, y: 313 }, to: { x: 594, y: 188 } });
    expect(selected(press(open(blank(), 'pen'), ' '))).toMatchObject({ kind: 'pen', points: [{ x: 406, y: 313 }, { x: 594, y: 313 }] });
    expect(selected(press(open(blank(), 'highlight'), 'Enter'))?.kind).toBe('highlight');
    const redaction = press(open(blank(), 'redact'), 'Enter');
    expect(redaction.said).toBe(STRINGS.editorAdded(STRINGS.editorShape.redact));
  });

  it('puts it in the middle of the crop on a cropped shot', () => {
    const session = press(open(setCrop(blank(), { x: 600, y: 0, width: 400, height: 200 }), 'redact'), 'Enter');
    expect(selected(session)).toMatchObject({ rect: { x: 763, y: 75, width: 75, height: 50 } });
  });

  it('opens the text field in the middle with the text tool, changing nothing yet', () => {
    const session = press(open(blank(), 'text'), 'Enter');
    expect(session.textAt).toEqual({ x: 406, y: 242 });
    expect(session.history.past).toHaveLength(0);
  });
});

describe('moving and resizing the selected shape', () => {
  const withBox = (rect?: { x: number; y: number; width: number; height: number }) => ({
    ...open(addAnnotation(blank(), box('b', rect)), 'select' as Tool),
    selectedId: 'b',
  });

  it('moves it a step per arrow key, ten with Shift, each press one undo step', () => {
    let session = press(withBox(), 'ArrowRight');
    session = press(session, 'ArrowDown', { shiftKey: true });
    expect(selected(session)).toMatchObject({ rect: { x: 101, y: 110, width: 50, height: 40 } });
    expect(session.said).toBe(STRINGS.editorMoved(STRINGS.editorShape.rect, 101, 110));
    expect(session.history.past).toHaveLength(2);
    expect(undo(session.history).present.annotations[0]).toMatchObject({ rect: { x: 101, y: 100 } });
  });

  it('makes one undo step of a held key', () => {
    let session = press(withBox(), 'ArrowLeft');
    for (let i = 0; i < 5; i++) session = press(session, 'ArrowLeft', {}, true);
    expect(selected(session)).toMatchObject({ rect: { x: 94 } });
    expect(session.history.past).toHaveLength(1);
    // A held key that switches to resizing starts a new step.
    session = press(session, 'ArrowLeft', { altKey: true }, true);
    expect(session.history.past).toHaveLength(2);
  });

  it('stops at the edge of the image, adding no undo step there', () => {
    const session = pressAll(withBox({ x: 5, y: 5, width: 50, height: 40 }), ['ArrowLeft', 'ArrowLeft'], { shiftKey: true });
    expect(selected(session)).toMatchObject({ rect: { x: 0, y: 5 } });
    expect(session.history.past).toHaveLength(1);
    expect(session.said).toBe(STRINGS.editorMoved(STRINGS.editorShape.rect, 0, 5));
  });

  it('keeps it inside the crop on a cropped shot', () => {
    const session = { ...open(setCrop(addAnnotation(blank(), box('b')), { x: 0, y: 0, width: 160, height: 160 }), 'rect'), selectedId: 'b' };
    expect(selected(press(session, 'ArrowRight', { shiftKey: true }))).toMatchObject({ rect: { x: 110 } });
  });

  it('resizes a box by its right and bottom edges with Alt, never below a few steps', () => {
    let session = press(withBox(), 'ArrowRight', { altKey: true });
    session = press(session, 'ArrowUp', { altKey: true, shiftKey: true });
    expect(selected(session)).toMatchObject({ rect: { x: 100, y: 100, width: 51, height: 30 } });
    expect(session.said).toBe(STRINGS.editorResized(STRINGS.editorShape.rect, 51, 30));
    session = pressAll(session, ['ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp'], { altKey: true, shiftKey: true });
    expect(selected(session)).toMatchObject({ rect: { height: 4 } });
  });

  it('moves an arrow tip with Alt, the tail staying', () => {
    const arrow: Annotation = { id: 'a', kind: 'arrow', colour, width: 4, from: { x: 10, y: 10 }, to: { x: 100, y: 50 } };
    const session = press({ ...open(addAnnotation(blank(), arrow), 'arrow'), selectedId: 'a' }, 'ArrowDown', { altKey: true, shiftKey: true });
    expect(selected(session)).toMatchObject({ from: { x: 10, y: 10 }, to: { x: 100, y: 60 } });
    expect(session.said).toBe(STRINGS.editorTipMoved(100, 60));
  });

  it('says so when no shape is selected, changing nothing', () => {
    const session = press(open(addAnnotation(blank(), box('b')), 'rect'), 'ArrowLeft');
    expect(session.said).toBe(STRINGS.editorNothingSelected);
    expect(session.history.past).toHaveLength(0);
  });
});

describe('selecting and deleting by keyboard', () => {
  const three = () => [box('a'), box('b'), { ...box('c'), kind: 'redact' } as Annotation].reduce(addAnnotation, blank());

  it('cycles the selection with ] and [, wrapping round, and says which of how many', () => {
    let session = press(open(three(), 'rect'), ']');
    expect([session.selectedId, session.said]).toEqual(['a', STRINGS.editorSelected(STRINGS.editorShape.rect, 1, 3)]);
    session = pressAll(session, [']', ']']);
    expect([session.selectedId, session.said]).toEqual(['c', STRINGS.editorSelected(STRINGS.editorShape.redact, 3, 3)]);
    expect(press(session, ']').selectedId).toBe('a');
    expect(press(open(three(), 'rect'), '[').selectedId).toBe('c');
    expect(press(open(three(), 'select'), 'Enter').selectedId).toBe('a');
    expect(press(open(blank(), 'rect'), ']').said).toBe(STRINGS.editorNoShapes);
  });

  it('deletes the selected shape in one undo step', () => {
    const shot = three();
    const outcome = deleteOutcome({ shot, tool: 'rect', selectedId: 'c' });
    expect(outcome.shot.annotations.map((annotation) => annotation.id)).toEqual(['a', 'b']);
    expect([outcome.selectedId, outcome.message]).toEqual([undefined, STRINGS.editorDeleted(STRINGS.editorShape.redact)]);
    expect(recordKeyEdit(startHistory(shot), outcome, false, undefined).history.past).toEqual([shot]);
    expect(deleteOutcome({ shot, tool: 'rect', selectedId: undefined }).shot).toBe(shot);
  });
});

describe('cropping by keyboard', () => {
  it('makes a crop over the middle half, moves and resizes it inside the image, and applies it with Enter', () => {
    let session = press(open(blank(), 'crop'), 'Enter');
    expect(shotOf(session).crop).toEqual({ x: 250, y: 125, width: 500, height: 250 });
    expect(session.said).toBe(STRINGS.editorCropAdded);
    session = pressAll(session, Array(40).fill('ArrowRight'), { shiftKey: true });
    expect(shotOf(session).crop).toEqual({ x: 500, y: 125, width: 500, height: 250 });
    session = press(session, 'ArrowLeft', { altKey: true, shiftKey: true });
    expect(session.said).toBe(STRINGS.editorResized(STRINGS.editorShape.crop, 490, 250));
    expect(session.cropDone).toBeUndefined();
    session = press(session, 'Enter');
    expect([session.cropDone, session.said]).toEqual([true, STRINGS.editorCropApplied]);
    expect(shotOf(session).crop).toEqual({ x: 500, y: 125, width: 490, height: 250 });
  });

  it('starts with an arrow key too, and Delete removes the crop', () => {
    const session = press(open(blank(), 'crop'), 'ArrowUp');
    expect(shotOf(session).crop).toEqual({ x: 250, y: 125, width: 500, height: 250 });
    const removed = deleteOutcome({ shot: shotOf(session), tool: 'crop', selectedId: undefined });
    expect(['crop' in removed.shot, removed.message]).toEqual([false, STRINGS.editorCropRemoved]);
  });

  it('never makes a crop smaller than a stray click', () => {
    const session = pressAll(press(open(blank(), 'crop'), 'Enter'), Array(60).fill('ArrowLeft'), { altKey: true, shiftKey: true });
    expect(shotOf(session).crop?.width).toBe(8);
  });
});
