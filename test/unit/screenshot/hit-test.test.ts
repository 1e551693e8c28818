import { describe, expect, it } from 'vitest';
import type { Annotation } from '@/lib/screenshot/annotations';
import { annotationAt, annotationBounds } from '@/lib/screenshot/hit-test';

const colour = '#e5484d';
const arrow: Annotation = { id: 'arrow', kind: 'arrow', colour, width: 4, from: { x: 0, y: 100 }, to: { x: 200, y: 100 } };
const box: Annotation = { id: 'box', kind: 'rect', colour, width: 4, rect: { x: 300, y: 300, width: 100, height: 100 } };
const text: Annotation = { id: 'text', kind: 'text', colour, at: { x: 500, y: 50 }, text: 'Typo here', size: 20 };
const pen: Annotation = { id: 'pen', kind: 'pen', colour, width: 6, points: [{ x: 10, y: 10 }, { x: 60, y: 10 }, { x: 60, y: 60 }] };
const redact: Annotation = { id: 'redact', kind: 'redact', colour, rect: { x: 0, y: 80, width: 50, height: 40 } };

describe('selecting an annotation by clicking it', () => {
  it('finds a line when the click lands near it, and nothing away from it', () => {
    expect(annotationAt([arrow], { x: 100, y: 105 }, 6)?.id).toBe('arrow');
    expect(annotationAt([arrow], { x: 100, y: 130 }, 6)).toBeUndefined();
    expect(annotationAt([pen], { x: 62, y: 35 }, 3)?.id).toBe('pen');
    expect(annotationAt([pen], { x: 30, y: 40 }, 3)).toBeUndefined();
  });

  it('finds a box by its outline, leaving what it frames clickable', () => {
    expect(annotationAt([box], { x: 301, y: 350 }, 6)?.id).toBe('box');
    expect(annotationAt([box], { x: 350, y: 350 }, 6)).toBeUndefined();
  });

  it('finds a text anywhere on its words', () => {
    expect(annotationAt([text], { x: 560, y: 60 }, 2)?.id).toBe('text');
    expect(annotationAt([text], { x: 700, y: 60 }, 2)).toBeUndefined();
  });

  it('picks the one on top: the latest drawn, and a redaction over anything', () => {
    const later: Annotation = { ...arrow, id: 'later' };
    expect(annotationAt([arrow, later], { x: 150, y: 100 }, 6)?.id).toBe('later');
    expect(annotationAt([redact, arrow], { x: 20, y: 100 }, 6)?.id).toBe('redact');
  });
});

describe('the outline of a selected annotation', () => {
  it('covers the whole stroke, including its width', () => {
    expect(annotationBounds(pen)).toEqual({ x: 7, y: 7, width: 56, height: 56 });
    expect(annotationBounds({ ...arrow, from: { x: 0, y: 150 } })).toEqual({ x: -2, y: 98, width: 204, height: 54 });
  });
});
