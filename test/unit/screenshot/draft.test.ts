import { describe, expect, it } from 'vitest';
import { draftAnnotation, draftCrop, extendDraft, finishDraft, startDraft, type DragTool } from '@/lib/screenshot/draft';

const IMAGE = { width: 1000, height: 500 };
const style = { colour: '#e5484d', width: 4 };
const drag = (tool: DragTool, ...points: [number, number][]) => {
  const [[x, y], ...rest] = points as [[number, number], ...[number, number][]];
  return rest.reduce((draft, [px, py]) => extendDraft(draft, { x: px, y: py }), startDraft(tool, { x, y }, style));
};

describe('drawing by dragging', () => {
  it('makes a pen stroke through every point, skipping moves too small to see', () => {
    const draft = drag('pen', [10, 10], [10.2, 10.3], [20, 15], [40, 30]);
    const result = finishDraft(draft, 'id', IMAGE, 4);
    expect(result).toMatchObject({ type: 'annotation', annotation: { kind: 'pen', width: 4, colour: '#e5484d' } });
    expect(result?.type === 'annotation' && result.annotation.kind === 'pen' && result.annotation.points).toEqual([
      { x: 10, y: 10 },
      { x: 20, y: 15 },
      { x: 40, y: 30 },
    ]);
  });

  it('makes an arrow from where the drag started to where it ended', () => {
    const result = finishDraft(drag('arrow', [100, 100], [150, 120], [300, 40]), 'a', IMAGE, 4);
    expect(result).toEqual({
      type: 'annotation',
      annotation: { id: 'a', kind: 'arrow', colour: '#e5484d', width: 4, from: { x: 100, y: 100 }, to: { x: 300, y: 40 } },
    });
  });

  it('makes a box whichever way the drag went', () => {
    const result = finishDraft(drag('rect', [300, 200], [100, 50]), 'r', IMAGE, 4);
    expect(result).toMatchObject({ annotation: { kind: 'rect', rect: { x: 100, y: 50, width: 200, height: 150 } } });
  });

  it('keeps redactions and highlights inside the image', () => {
    const redaction = finishDraft(drag('redact', [900, 400], [1200, 700]), 'x', IMAGE, 4);
    expect(redaction).toMatchObject({ annotation: { kind: 'redact', rect: { x: 900, y: 400, width: 100, height: 100 } } });
    expect(draftAnnotation(drag('highlight', [-10, -10], [20, 20]), 'h', IMAGE)).toMatchObject({ rect: { x: 0, y: 0, width: 20, height: 20 } });
  });

  it('treats a press that barely moved as a click, not a shape', () => {
    expect(finishDraft(drag('arrow', [100, 100], [102, 101]), 'a', IMAGE, 4)).toBeUndefined();
    expect(finishDraft(drag('rect', [100, 100], [300, 102]), 'r', IMAGE, 4)).toBeUndefined();
    expect(finishDraft(drag('pen', [100, 100]), 'p', IMAGE, 4)).toBeUndefined();
  });

  it('shows the shape while the drag goes on', () => {
    const draft = drag('rect', [10, 10], [60, 40]);
    expect(draftAnnotation(draft, 'draft', IMAGE)).toMatchObject({ kind: 'rect', rect: { x: 10, y: 10, width: 50, height: 30 } });
    expect(draftAnnotation(drag('crop', [0, 0], [9, 9]), 'draft', IMAGE)).toBeUndefined();
  });
});

describe('cropping by dragging', () => {
  it('crops to whole pixels inside the image', () => {
    const draft = drag('crop', [50.5, 20.2], [1400, 300.5]);
    expect(draftCrop(draft, IMAGE)).toEqual({ x: 50.5, y: 20.2, width: 949.5, height: 280.3 });
    expect(finishDraft(draft, 'c', IMAGE, 4)).toEqual({ type: 'crop', rect: { x: 50, y: 20, width: 950, height: 281 } });
  });

  it('ignores a crop too small to be meant', () => {
    expect(finishDraft(drag('crop', [50, 50], [54, 400]), 'c', IMAGE, 4)).toBeUndefined();
  });
});
