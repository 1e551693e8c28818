import { describe, expect, it } from 'vitest';
import type { Annotation } from '@/lib/screenshot/annotations';
import { cropInMiddle, MIN_TEXT_PX, moveAnnotation, resizeAnnotation, shapeInMiddle } from '@/lib/screenshot/transform';

const colour = '#e5484d';
const IMAGE = { x: 0, y: 0, width: 1000, height: 500 };
const pen: Annotation = { id: 'p', kind: 'pen', colour, width: 4, points: [{ x: 10, y: 10 }, { x: 30, y: 20 }, { x: 50, y: 10 }] };
const text: Annotation = { id: 't', kind: 'text', colour, at: { x: 100, y: 100 }, text: 'Typo', size: 20 };
const redaction: Annotation = { id: 'r', kind: 'redact', colour, rect: { x: 980, y: 10, width: 40, height: 20 } };

describe('moving an annotation', () => {
  it('moves every point of a stroke and the corner of a text', () => {
    expect(moveAnnotation(pen, 5, 5, IMAGE)).toMatchObject({ points: [{ x: 15, y: 15 }, { x: 35, y: 25 }, { x: 55, y: 15 }] });
    expect(moveAnnotation(text, -10, 0, IMAGE)).toMatchObject({ at: { x: 90, y: 100 } });
  });

  it('stops where its edge (stroke included) meets the area, and returns the same object when it cannot move', () => {
    expect(moveAnnotation(pen, -20, 0, IMAGE)).toMatchObject({ points: [{ x: 2, y: 10 }, { x: 22, y: 20 }, { x: 42, y: 10 }] });
    const atEdge = moveAnnotation(pen, -20, 0, IMAGE);
    expect(moveAnnotation(atEdge, -1, 0, IMAGE)).toBe(atEdge);
  });

  it('lets a shape already sticking out move back in, never further out', () => {
    expect(moveAnnotation(redaction, 10, 0, IMAGE)).toBe(redaction);
    expect(moveAnnotation(redaction, -10, 0, IMAGE)).toMatchObject({ rect: { x: 970 } });
  });
});

describe('resizing an annotation', () => {
  it('scales a stroke from its top-left corner', () => {
    expect(resizeAnnotation(pen, 40, 0, IMAGE, 4)).toMatchObject({ points: [{ x: 10, y: 10 }, { x: 50, y: 20 }, { x: 90, y: 10 }] });
  });

  it('changes a text size, never below readable nor past the area', () => {
    expect(resizeAnnotation(text, 0, 4, IMAGE, 4)).toMatchObject({ size: 24 });
    expect(resizeAnnotation(text, -100, 0, IMAGE, 4)).toMatchObject({ size: MIN_TEXT_PX });
    expect(resizeAnnotation(text, 0, 1000, IMAGE, 4)).toBe(text);
  });
});

describe('shapes made by keyboard', () => {
  it('sit in the middle of the area, sized from its shorter side', () => {
    const tall = { x: 0, y: 0, width: 400, height: 4000 };
    expect(shapeInMiddle('rect', 'r', tall, { colour, width: 4 })).toMatchObject({ rect: { x: 125, y: 1950, width: 150, height: 100 } });
    expect(cropInMiddle({ x: 10, y: 20, width: 101, height: 51 })).toEqual({ x: 35, y: 33, width: 51, height: 26 });
  });
});
