import { describe, expect, it } from 'vitest';
import { type AnnotatedShot, type Annotation, createShot } from '@/lib/screenshot/annotations';
import { drawAnnotation, type FlatCanvas, flattenShot, HIGHLIGHT_DIM, paintShot, REDACT_FILL } from '@/lib/screenshot/flatten';
import { type Call, fakeImage, recordingContext } from './fake-context';

const RED = '#e5484d';
const pen: Annotation = { id: 'pen', kind: 'pen', colour: RED, width: 4, points: [{ x: 1, y: 1 }, { x: 20, y: 5 }, { x: 30, y: 30 }] };
const arrow: Annotation = { id: 'arrow', kind: 'arrow', colour: '#0b84f3', width: 3, from: { x: 0, y: 0 }, to: { x: 100, y: 0 } };
const box: Annotation = { id: 'box', kind: 'rect', colour: '#30a46c', width: 5, rect: { x: 10, y: 10, width: 40, height: 20 } };
const text: Annotation = { id: 'text', kind: 'text', colour: '#ffffff', at: { x: 50, y: 60 }, text: 'Broken', size: 24 };
const redact: Annotation = { id: 'redact', kind: 'redact', colour: RED, rect: { x: 10.4, y: 5.6, width: 10.2, height: 3 } };
const highlight: Annotation = { id: 'hl', kind: 'highlight', colour: RED, rect: { x: 100, y: 100, width: 50, height: 50 } };

const shotWith = (...annotations: Annotation[]): AnnotatedShot => ({ ...createShot('data:image/png;base64,AAAA', 400, 300), annotations });
// The calls that put pixels on the canvas, in order.
const drawing = (calls: Call[]) => calls.filter((call) => ['drawImage', 'stroke', 'fill', 'fillRect', 'fillText', 'strokeText'].includes(call.name));

describe('painting a shot', () => {
  it('draws the original image first, at its full size', () => {
    const { ctx, calls } = recordingContext();
    const image = fakeImage();
    paintShot(ctx, image, shotWith(pen, box));
    expect(drawing(calls)[0]).toMatchObject({ name: 'drawImage', args: [image, 0, 0, 400, 300] });
  });

  it('draws the annotations in the order they were made, each in its colour', () => {
    const { ctx, calls } = recordingContext();
    paintShot(ctx, fakeImage(), shotWith(pen, arrow, box, text));
    const colours = drawing(calls)
      .slice(1)
      .map((call) => (call.name === 'fill' || call.name === 'fillText' ? call.state.fillStyle : call.state.strokeStyle));
    // Arrow: shaft then head; text: halo then letters.
    expect(colours).toEqual([RED, '#0b84f3', '#0b84f3', '#30a46c', 'rgba(0, 0, 0, 0.75)', '#ffffff']);
    expect(calls.find((call) => call.name === 'fillText')).toMatchObject({ args: ['Broken', 50, 60], state: { font: expect.stringContaining('24px') } });
  });

  it('paints redactions last, solid black and fully opaque, whatever came before', () => {
    const { ctx, calls } = recordingContext();
    ctx.globalAlpha = 0.3;
    ctx.globalCompositeOperation = 'multiply';
    paintShot(ctx, fakeImage(), shotWith(redact, highlight, pen, text));
    const last = drawing(calls).at(-1)!;
    expect(last.name).toBe('fillRect');
    expect(last.state).toMatchObject({ fillStyle: REDACT_FILL, globalAlpha: 1, globalCompositeOperation: 'source-over' });
    expect(REDACT_FILL).toBe('#000000');
  });

  it('widens a redaction to whole pixels, so no edge pixel is only half hidden', () => {
    const { ctx, calls } = recordingContext();
    drawAnnotation(ctx, redact);
    expect(calls.find((call) => call.name === 'fillRect')?.args).toEqual([10, 5, 11, 4]);
  });

  it('dims everything outside the highlights once, before the marks, leaving redactions opaque', () => {
    const { ctx, calls } = recordingContext();
    const second: Annotation = { ...highlight, id: 'hl2', rect: { x: 120, y: 120, width: 60, height: 60 } };
    paintShot(ctx, fakeImage(), shotWith(redact, highlight, box, second));
    const dims = calls.filter((call) => call.name === 'fillRect' && call.state.fillStyle === HIGHLIGHT_DIM);
    expect(dims).toHaveLength(1);
    expect(calls.filter((call) => call.name === 'clip')).toHaveLength(2);
    const names = drawing(calls).map((call) => call.name);
    expect(names).toEqual(['drawImage', 'fillRect', 'stroke', 'fillRect']);
    expect(drawing(calls).at(-1)!.state.globalAlpha).toBe(1);
  });

  it('draws an arrow head at the tip', () => {
    const { ctx, calls } = recordingContext();
    drawAnnotation(ctx, arrow);
    const head = calls.slice(calls.findIndex((call) => call.name === 'stroke') + 1);
    expect(head.find((call) => call.name === 'moveTo')?.args).toEqual([100, 0]);
    expect(head.some((call) => call.name === 'fill')).toBe(true);
  });
});

describe('flattening a shot for upload', () => {
  const fakeCanvas = (log: { size?: [number, number]; calls?: Call[] }) => (width: number, height: number) => {
    const { ctx, calls } = recordingContext();
    log.size = [width, height];
    log.calls = calls;
    return { width, height, getContext: () => ctx } satisfies FlatCanvas;
  };

  it('makes a canvas of the whole image when there is no crop', async () => {
    const log: { size?: [number, number]; calls?: Call[] } = {};
    const image = fakeImage();
    const canvas = await flattenShot(shotWith(box), { createCanvas: fakeCanvas(log), loadImage: async () => image });
    expect([canvas.width, canvas.height]).toEqual([400, 300]);
    expect(log.calls?.find((call) => call.name === 'drawImage')?.state.offset).toEqual({ x: 0, y: 0 });
    expect(image.closed).toBe(true);
  });

  it('makes a canvas of the crop size and shifts the drawing by the crop offset', async () => {
    const log: { size?: [number, number]; calls?: Call[] } = {};
    const shot = { ...shotWith(box, redact), crop: { x: 30, y: 40, width: 120, height: 80 } };
    await flattenShot(shot, { createCanvas: fakeCanvas(log), loadImage: async () => fakeImage() });
    expect(log.size).toEqual([120, 80]);
    for (const call of drawing(log.calls!)) expect(call.state.offset).toEqual({ x: -30, y: -40 });
    expect(drawing(log.calls!).at(-1)).toMatchObject({ name: 'fillRect', state: { fillStyle: REDACT_FILL, globalAlpha: 1 } });
  });

  it('leaves the shot untouched, so it can be edited again', async () => {
    const shot = { ...shotWith(box, redact), crop: { x: 30, y: 40, width: 120, height: 80 } };
    const before = structuredClone(shot);
    await flattenShot(shot, { createCanvas: fakeCanvas({}), loadImage: async () => fakeImage() });
    expect(shot).toEqual(before);
  });
});
