import { describe, expect, it } from 'vitest';
import { type Annotation, createShot } from '@/lib/screenshot/annotations';
import { paintEditor, viewCanvasSize } from '@/lib/screenshot/paint-editor';
import { fakeImage, recordingContext } from './fake-context';

const shot = { ...createShot('data:image/png;base64,AAAA', 2000, 1000), crop: { x: 500, y: 200, width: 800, height: 400 } };
const box: Annotation = { id: 'box', kind: 'rect', colour: '#e5484d', width: 4, rect: { x: 600, y: 300, width: 100, height: 50 } };

describe("the editor's live view", () => {
  it('is sharp on high-density screens: the canvas has the display size times the pixel ratio', () => {
    const view = { area: shot.crop, scale: 0.5, pixelRatio: 2 };
    expect(viewCanvasSize(view)).toEqual({ width: 800, height: 400 });
    const { ctx, calls } = recordingContext();
    paintEditor(ctx, fakeImage(), { ...shot, annotations: [box] }, view, { accent: '#4f46e5' });
    // Cleared, then drawn in image pixels shifted to the shown area.
    expect(calls[1]).toMatchObject({ name: 'clearRect', args: [0, 0, 800, 400] });
    expect(calls[2]).toMatchObject({ name: 'setTransform', args: [1, 0, 0, 1, -500, -200] });
    expect(calls.some((call) => call.name === 'drawImage')).toBe(true);
  });

  it('draws the crop guide and the selection over the shot, never under it', () => {
    const { ctx, calls } = recordingContext();
    const guides = { crop: shot.crop, selected: box.rect, accent: '#4f46e5' };
    paintEditor(ctx, fakeImage(), { ...shot, annotations: [box] }, { area: { x: 0, y: 0, width: 2000, height: 1000 }, scale: 0.5, pixelRatio: 1 }, guides);
    const lastShotCall = calls.findIndex((call) => call.name === 'stroke');
    const guideCalls = calls.filter((call, index) => index > lastShotCall && call.name === 'strokeRect');
    // Crop and selection, each a white line under accent dashes.
    expect(guideCalls.map((call) => call.state.strokeStyle)).toEqual(['#ffffff', '#4f46e5', '#ffffff', '#4f46e5']);
    // The selection outline stands 4 display px (8 image px at half size) off the shape.
    expect(guideCalls[2]!.args).toEqual([592, 292, 116, 66]);
  });
});
