/**
 * Paints a shot (the original image, then its annotations) onto a 2D canvas context, and
 * flattens it into a new canvas of the cropped size for upload. The editor reuses the
 * same painting for its live view, so what the user sees is what is sent.
 */
import { dataUrlToBytes } from '../data-url';
import { type Annotation, type AnnotatedShot, paintOrder } from './annotations';
import { outputRect } from './geometry';

/** The part of a 2D context painting needs; both canvas kinds' contexts (and test fakes) have it. */
export type Context2D = Pick<
  CanvasRenderingContext2D,
  | 'save' | 'restore' | 'translate' | 'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'rect' | 'clip'
  | 'stroke' | 'fill' | 'fillRect' | 'strokeText' | 'fillText' | 'drawImage'
  | 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'lineCap' | 'lineJoin' | 'globalAlpha'
  | 'globalCompositeOperation' | 'font' | 'textBaseline'
>;

/** A canvas `flattenShot` can paint on: an OffscreenCanvas, an HTMLCanvasElement or a fake. */
export type FlatCanvas = { width: number; height: number; getContext(contextId: '2d'): Context2D | null };

/** The canvas kinds of a browser page. */
export type PageCanvas = OffscreenCanvas | HTMLCanvasElement;

/** How much a highlight dims everything outside its box (black at this alpha). */
export const HIGHLIGHT_DIM = 'rgba(0, 0, 0, 0.55)';
/** The colour of a redaction, whatever colour was picked. */
export const REDACT_FILL = '#000000';
/** The font of text annotations, before the size. */
export const TEXT_FONT = '600 {size}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Paints one annotation in image coordinates (highlights are painted by `paintShot` instead). */
export function drawAnnotation(ctx: Context2D, annotation: Annotation): void {
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  switch (annotation.kind) {
    case 'pen': {
      const [first, ...rest] = annotation.points;
      if (!first) break;
      ctx.strokeStyle = annotation.colour;
      ctx.lineWidth = annotation.width;
      ctx.beginPath();
      ctx.moveTo(first.x, first.y);
      for (const point of rest) ctx.lineTo(point.x, point.y);
      ctx.stroke();
      break;
    }
    case 'arrow':
      drawArrow(ctx, annotation);
      break;
    case 'rect': {
      const { x, y, width, height } = annotation.rect;
      ctx.strokeStyle = annotation.colour;
      ctx.lineWidth = annotation.width;
      ctx.beginPath();
      ctx.rect(x, y, width, height);
      ctx.stroke();
      break;
    }
    case 'highlight':
      // Every highlight's dimming is one pass in `paintShot`, so overlapping highlights
      // keep each other bright instead of dimming each other's box.
      break;
    case 'text':
      ctx.font = TEXT_FONT.replace('{size}', String(annotation.size));
      ctx.textBaseline = 'top';
      // A halo of the opposite lightness keeps the text readable on any page.
      ctx.strokeStyle = isLight(annotation.colour) ? 'rgba(0, 0, 0, 0.75)' : 'rgba(255, 255, 255, 0.85)';
      ctx.lineWidth = Math.max(2, annotation.size / 6);
      ctx.strokeText(annotation.text, annotation.at.x, annotation.at.y);
      ctx.fillStyle = annotation.colour;
      ctx.fillText(annotation.text, annotation.at.x, annotation.at.y);
      break;
    case 'redact': {
      // Solid, opaque and widened to whole pixels: no anti-aliased edge or translucency may
      // leave the hidden pixels recoverable from the uploaded image.
      const { x, y, width, height } = annotation.rect;
      const left = Math.floor(Math.min(x, x + width));
      const top = Math.floor(Math.min(y, y + height));
      ctx.fillStyle = REDACT_FILL;
      ctx.fillRect(left, top, Math.ceil(Math.max(x, x + width)) - left, Math.ceil(Math.max(y, y + height)) - top);
      break;
    }
  }
  ctx.restore();
}

function drawArrow(ctx: Context2D, arrow: Extract<Annotation, { kind: 'arrow' }>): void {
  const { from, to, width } = arrow;
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const head = Math.min(Math.max(width * 5, 16), length);
  const spread = Math.PI / 7;
  // The shaft stops inside the head, so a thick round cap cannot poke out of the tip.
  const shaftEnd = { x: to.x - Math.cos(angle) * head * 0.6, y: to.y - Math.sin(angle) * head * 0.6 };
  ctx.strokeStyle = arrow.colour;
  ctx.fillStyle = arrow.colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(shaftEnd.x, shaftEnd.y);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(to.x, to.y);
  ctx.lineTo(to.x - Math.cos(angle - spread) * head, to.y - Math.sin(angle - spread) * head);
  ctx.lineTo(to.x - Math.cos(angle + spread) * head, to.y - Math.sin(angle + spread) * head);
  ctx.closePath();
  ctx.fill();
}

function isLight(colour: string): boolean {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour)?.[1];
  if (!hex) return false;
  const [r, g, b] = [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.6;
}

/**
 * Paints the whole shot in image coordinates: the original image, the highlights'
 * dimming, the annotations in order, and the redactions last (see `paintOrder`).
 */
export function paintShot(ctx: Context2D, image: CanvasImageSource, shot: AnnotatedShot): void {
  ctx.drawImage(image, 0, 0, shot.width, shot.height);
  const highlights = shot.annotations.filter((annotation) => annotation.kind === 'highlight');
  if (highlights.length > 0) {
    ctx.save();
    // Each clip keeps what lies outside one box; together, what lies outside all of them.
    for (const { rect } of highlights) {
      ctx.beginPath();
      ctx.rect(0, 0, shot.width, shot.height);
      ctx.rect(rect.x, rect.y, rect.width, rect.height);
      ctx.clip('evenodd');
    }
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'source-over';
    ctx.fillStyle = HIGHLIGHT_DIM;
    ctx.fillRect(0, 0, shot.width, shot.height);
    ctx.restore();
  }
  for (const annotation of paintOrder(shot.annotations)) drawAnnotation(ctx, annotation);
}

/** Where `flattenShot` gets its canvas and decoded image; the defaults need a browser page. */
export type FlattenOptions<C extends FlatCanvas> = {
  createCanvas?: (width: number, height: number) => C;
  loadImage?: (dataUrl: string) => Promise<CanvasImageSource>;
};

/** A canvas of that size: an OffscreenCanvas where there is one, else a `<canvas>` element. */
export function createPageCanvas(width: number, height: number): PageCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** Decodes a shot's data URL into a bitmap (close it when done with it). */
export async function loadShotImage(dataUrl: string): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([dataUrlToBytes(dataUrl)]));
}

/**
 * A new canvas of the shot's cropped size holding the image with its annotations burnt
 * in; the shot itself is left as it is, so it stays editable.
 */
export async function flattenShot<C extends FlatCanvas = PageCanvas>(
  shot: AnnotatedShot,
  options: FlattenOptions<C> = {},
): Promise<C> {
  const image = await (options.loadImage ?? loadShotImage)(shot.image);
  try {
    const area = outputRect(shot);
    const x = Math.round(area.x);
    const y = Math.round(area.y);
    const make = options.createCanvas ?? (createPageCanvas as unknown as (width: number, height: number) => C);
    const canvas = make(Math.max(1, Math.round(area.width)), Math.max(1, Math.round(area.height)));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas context to flatten the screenshot on.');
    // Whole-pixel offset: the crop's edge pixels are copied, not resampled.
    if (x !== 0 || y !== 0) ctx.translate(-x, -y);
    paintShot(ctx, image, shot);
    return canvas;
  } finally {
    if ('close' in image && typeof image.close === 'function') image.close();
  }
}
