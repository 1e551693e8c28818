/**
 * Capture images composed in the panel page: cropped to a picked box, or stitched from the
 * slices of a full-page capture into as few images as the browser's canvas limits allow.
 */
import { canvasDataUrl } from '../screenshot/encode';
import { loadShotImage } from '../screenshot/flatten';
import type { PageExtent } from './page-scroller';
import type { ViewportRect } from './page-picker';

/** Chromium's largest canvas side, in pixels. */
export const MAX_CANVAS_SIDE = 32_767;
/** Chromium's largest canvas area, in pixels. */
export const MAX_CANVAS_AREA = 268_435_456;

/** A part of a stitched page: its top and height in image pixels. */
export type Part = { top: number; height: number };

/** The scroll positions (CSS px) whose viewports together cover the page, top to bottom. */
export function planSlices(extent: Pick<PageExtent, 'height' | 'viewportHeight'>): number[] {
  const last = Math.max(0, extent.height - extent.viewportHeight);
  const positions: number[] = [];
  for (let y = 0; y < last; y += extent.viewportHeight) positions.push(y);
  positions.push(last);
  return positions;
}

/** Splits an image of `height` × `width` pixels into parts that each fit in one canvas. */
export function planParts(height: number, width: number, maxSide = MAX_CANVAS_SIDE, maxArea = MAX_CANVAS_AREA): Part[] {
  const partHeight = Math.max(1, Math.min(maxSide, Math.floor(maxArea / Math.max(1, width))));
  const parts: Part[] = [];
  for (let top = 0; top < height; top += partHeight) parts.push({ top, height: Math.min(partHeight, height - top) });
  return parts;
}

/** A box in CSS px as whole image pixels of a capture `scale` times larger, clamped to the image (at least 1 × 1). */
export function viewportBoxInImage(rect: ViewportRect, scale: number, imageWidth: number, imageHeight: number): ViewportRect {
  const x = Math.max(0, Math.round(rect.x * scale));
  const y = Math.max(0, Math.round(rect.y * scale));
  return {
    x,
    y,
    width: Math.max(1, Math.min(imageWidth, Math.round((rect.x + rect.width) * scale)) - x),
    height: Math.max(1, Math.min(imageHeight, Math.round((rect.y + rect.height) * scale)) - y),
  };
}


/** The part of a viewport capture under `rect` (CSS px of a viewport `viewportWidth` wide), as a PNG data URL. */
export async function cropCapture(dataUrl: string, rect: ViewportRect, viewportWidth: number): Promise<string> {
  const image = await loadShotImage(dataUrl);
  const box = viewportBoxInImage(rect, image.width / viewportWidth, image.width, image.height);
  const canvas = new OffscreenCanvas(box.width, box.height);
  canvas.getContext('2d')!.drawImage(image, box.x, box.y, box.width, box.height, 0, 0, box.width, box.height);
  image.close();
  return canvasDataUrl(canvas, 'image/png');
}

/** Stitches viewport captures taken at scroll positions `y` (CSS px) into PNG data URLs, top to bottom. */
export async function stitchSlices(slices: { y: number; dataUrl: string }[], extent: PageExtent): Promise<string[]> {
  const images = await Promise.all(slices.map(async (slice) => ({ y: slice.y, image: await loadShotImage(slice.dataUrl) })));
  const scale = images[0]!.image.width / extent.width;
  const width = images[0]!.image.width;
  const height = Math.round(extent.height * scale);
  const parts: string[] = [];
  for (const part of planParts(height, width)) {
    const canvas = new OffscreenCanvas(width, part.height);
    const context = canvas.getContext('2d')!;
    for (const { y, image } of images) {
      const top = Math.round(y * scale) - part.top;
      if (top < part.height && top + image.height > 0) context.drawImage(image, 0, top);
    }
    parts.push(await canvasDataUrl(canvas, 'image/png'));
  }
  for (const { image } of images) image.close();
  return parts;
}
