/** Paints the editor's live view: the shot as it will be sent, plus the crop and selection guides. */
import type { AnnotatedShot, Rect } from './annotations';
import { type Context2D, paintShot } from './flatten';

/** The 2D context calls the live view needs on top of the shot's painting. */
export type EditorContext = Context2D & Pick<CanvasRenderingContext2D, 'setTransform' | 'clearRect' | 'setLineDash' | 'strokeRect'>;

/** Which part of the image the view shows, and how big. */
export type EditorView = {
  /** The image area shown, in image px: the crop, or the whole image while cropping. */
  area: Rect;
  /** Display (CSS) px per image px. */
  scale: number;
  /** Canvas (device) px per display px, so the view is sharp on high-density screens. */
  pixelRatio: number;
};

/** Guides drawn over the shot; they are never part of the sent image. */
export type EditorGuides = {
  /** The crop being chosen: everything outside it is dimmed. */
  crop?: Rect;
  /** The selected annotation's box. */
  selected?: Rect;
  /** Colour of the guides' dashes (the theme's accent). */
  accent: string;
};

/** Size in canvas (device) px of the view's backing store. */
export function viewCanvasSize(view: EditorView): { width: number; height: number } {
  const factor = view.scale * view.pixelRatio;
  return { width: Math.max(1, Math.round(view.area.width * factor)), height: Math.max(1, Math.round(view.area.height * factor)) };
}

/** Repaints the whole view: the shot (with any in-progress annotation already in it), then the guides. */
export function paintEditor(
  ctx: EditorContext,
  image: CanvasImageSource,
  shot: AnnotatedShot,
  view: EditorView,
  guides: EditorGuides,
): void {
  const size = viewCanvasSize(view);
  const factor = view.scale * view.pixelRatio;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.setTransform(factor, 0, 0, factor, -view.area.x * factor, -view.area.y * factor);
  paintShot(ctx, image, shot);
  // Guides are sized in display px, whatever the zoom.
  const px = 1 / view.scale;
  if (guides.crop) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, shot.width, shot.height);
    ctx.rect(guides.crop.x, guides.crop.y, guides.crop.width, guides.crop.height);
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fill('evenodd');
    ctx.restore();
    dashedBox(ctx, guides.crop, px, guides.accent);
  }
  if (guides.selected) {
    const pad = 4 * px;
    const box = guides.selected;
    dashedBox(ctx, { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad }, px, guides.accent);
  }
}

/** Sizes a page canvas for the view (backing store in device px, CSS size in display px) and paints it. */
export function renderEditor(
  canvas: HTMLCanvasElement,
  image: CanvasImageSource,
  shot: AnnotatedShot,
  view: EditorView,
  guides: EditorGuides,
): void {
  const size = viewCanvasSize(view);
  // Assigning a canvas's size clears and reallocates it, even to the same value.
  if (canvas.width !== size.width) canvas.width = size.width;
  if (canvas.height !== size.height) canvas.height = size.height;
  canvas.style.width = `${view.area.width * view.scale}px`;
  canvas.style.height = `${view.area.height * view.scale}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) paintEditor(ctx, image, shot, view, guides);
}

// White under the coloured dashes, so the guide shows on dark and light pixels alike.
function dashedBox(ctx: EditorContext, box: Rect, px: number, colour: string): void {
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2 * px;
  ctx.setLineDash([]);
  ctx.strokeStyle = '#ffffff';
  ctx.strokeRect(box.x, box.y, box.width, box.height);
  ctx.setLineDash([6 * px, 4 * px]);
  ctx.strokeStyle = colour;
  ctx.strokeRect(box.x, box.y, box.width, box.height);
  ctx.restore();
}
