import { describe, expect, it } from 'vitest';
import {
  type Annotation,
  addAnnotation,
  amend,
  canRedo,
  canUndo,
  clearCrop,
  createShot,
  deleteAnnotation,
  HISTORY_LIMIT,
  paintOrder,
  record,
  redo,
  replaceAnnotation,
  setCrop,
  startHistory,
  undo,
} from '@/lib/screenshot/annotations';

const IMAGE = 'data:image/png;base64,AAAA';
const arrow = (id: string): Annotation => ({ id, kind: 'arrow', colour: '#e5484d', from: { x: 0, y: 0 }, to: { x: 50, y: 50 }, width: 3 });
const redaction = (id: string): Annotation => ({ id, kind: 'redact', colour: '#e5484d', rect: { x: 1, y: 1, width: 9, height: 9 } });

describe('the annotation model', () => {
  it('adds annotations on top and deletes one by id', () => {
    const shot = addAnnotation(addAnnotation(createShot(IMAGE, 800, 600), arrow('a')), arrow('b'));
    expect(shot.annotations.map((a) => a.id)).toEqual(['a', 'b']);
    expect(deleteAnnotation(shot, 'a').annotations.map((a) => a.id)).toEqual(['b']);
  });

  it('leaves the shot as it is when deleting an id it does not have', () => {
    const shot = addAnnotation(createShot(IMAGE, 800, 600), arrow('a'));
    expect(deleteAnnotation(shot, 'missing')).toBe(shot);
  });

  it('replaces an annotation by id, keeping its place in the drawing order', () => {
    const shot = addAnnotation(addAnnotation(createShot(IMAGE, 800, 600), arrow('a')), arrow('b'));
    const moved = { ...arrow('a'), to: { x: 60, y: 60 } };
    expect(replaceAnnotation(shot, moved).annotations).toEqual([moved, arrow('b')]);
  });

  it('sets, replaces and clears the crop', () => {
    const shot = createShot(IMAGE, 800, 600);
    const cropped = setCrop(setCrop(shot, { x: 1, y: 2, width: 3, height: 4 }), { x: 10, y: 20, width: 30, height: 40 });
    expect(cropped.crop).toEqual({ x: 10, y: 20, width: 30, height: 40 });
    expect('crop' in clearCrop(cropped)).toBe(false);
  });

  it('never changes the original image or the shot it was given', () => {
    const shot = createShot(IMAGE, 800, 600);
    const edited = clearCrop(setCrop(deleteAnnotation(addAnnotation(shot, arrow('a')), 'a'), { x: 0, y: 0, width: 9, height: 9 }));
    expect(edited.image).toBe(IMAGE);
    expect(shot).toEqual({ image: IMAGE, width: 800, height: 600, annotations: [] });
  });

  it('paints redactions last, keeping the order of everything else', () => {
    const order = paintOrder([redaction('r1'), arrow('a'), redaction('r2'), arrow('b')]).map((a) => a.id);
    expect(order).toEqual(['a', 'b', 'r1', 'r2']);
  });
});

describe('the undo history', () => {
  const base = createShot(IMAGE, 800, 600);
  const one = addAnnotation(base, arrow('a'));
  const two = addAnnotation(one, arrow('b'));

  it('undoes and redoes edits step by step', () => {
    const history = record(record(startHistory(base), one), two);
    expect(undo(history).present).toBe(one);
    expect(undo(undo(history)).present).toBe(base);
    expect(redo(undo(undo(history))).present).toBe(one);
    expect(redo(redo(undo(undo(history)))).present).toBe(two);
  });

  it('forgets the redo steps when a new edit is made after undoing', () => {
    const history = record(undo(record(record(startHistory(base), one), two)), setCrop(one, { x: 0, y: 0, width: 9, height: 9 }));
    expect(canRedo(history)).toBe(false);
    expect(redo(history)).toBe(history);
    expect(undo(history).present).toBe(one);
  });

  it('says when there is something to undo or redo, and does nothing otherwise', () => {
    const start = startHistory(base);
    expect([canUndo(start), canRedo(start)]).toEqual([false, false]);
    expect(undo(start)).toBe(start);
    const edited = record(start, one);
    expect([canUndo(edited), canRedo(edited)]).toEqual([true, false]);
    expect([canUndo(undo(edited)), canRedo(undo(edited))]).toEqual([false, true]);
  });

  it('undoes a crop and a removed crop like any other edit', () => {
    const cropped = setCrop(one, { x: 5, y: 5, width: 50, height: 50 });
    const history = record(record(startHistory(one), cropped), clearCrop(cropped));
    expect(history.present.crop).toBeUndefined();
    expect(undo(history).present.crop).toEqual({ x: 5, y: 5, width: 50, height: 50 });
  });

  it('amends the current step in place, so one undo goes back past all of it', () => {
    const history = amend(record(startHistory(base), one), two);
    expect(history.present).toBe(two);
    expect(undo(history).present).toBe(base);
  });

  it('records nothing for an edit that changed nothing', () => {
    const history = startHistory(one);
    expect(record(history, deleteAnnotation(one, 'missing'))).toBe(history);
  });

  it(`keeps the last ${HISTORY_LIMIT} steps`, () => {
    let history = startHistory(base);
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) history = record(history, addAnnotation(history.present, arrow(String(i))));
    let steps = 0;
    while (canUndo(history)) {
      history = undo(history);
      steps++;
    }
    expect(steps).toBe(HISTORY_LIMIT);
    expect(history.present.annotations).toHaveLength(10);
  });
});
