/**
 * Encodes a flattened screenshot for upload under the server's size limit: PNG keeps
 * text sharp, so it is tried first; JPEG and then downscaling only when PNG is too big.
 */
import { SCREENSHOT_MAX_BYTES } from '../api/schemas';
import { blobToDataUrl } from '../data-url';
import { createPageCanvas, type PageCanvas } from './flatten';

/** The image types the upload accepts. */
export type UploadMimeType = 'image/png' | 'image/jpeg';

/** A screenshot ready to hand to the worker. */
export type EncodedImage = {
  /** `data:image/png;base64,...` or `data:image/jpeg;base64,...`. */
  dataUrl: string;
  mimeType: UploadMimeType;
  /** Pixel size of the encoded image (smaller than the canvas when it had to be downscaled). */
  width: number;
  height: number;
  /** Size of the encoded file, at most `maxBytes`. */
  bytes: number;
};

/** Anything with a pixel size; the encoder and resizer decide what else it must be. */
export type SizedCanvas = { width: number; height: number };

/** Swappable encoding steps, so the strategy can be tested without a real canvas. */
export type EncodeOptions<C extends SizedCanvas> = {
  /** Encodes the canvas as a file of that type (quality only matters for JPEG). */
  encode?: (canvas: C, type: UploadMimeType, quality?: number) => Promise<Blob>;
  /** A copy of the canvas scaled to that size. */
  resize?: (canvas: C, width: number, height: number) => C;
};

/** JPEG qualities tried, best first, before the image is made smaller. */
export const JPEG_QUALITIES = [0.92, 0.8, 0.6] as const;
/** Each downscaling step multiplies both sides by this. */
export const DOWNSCALE_FACTOR = 0.75;

/** Encodes a page canvas with the browser (`convertToBlob` or `toBlob`). */
export function encodePageCanvas(canvas: PageCanvas, type: UploadMimeType, quality?: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The screenshot could not be encoded.'))), type, quality),
  );
}

/** A smoothed, scaled copy of a page canvas. */
export function resizePageCanvas(canvas: PageCanvas, width: number, height: number): PageCanvas {
  const copy = createPageCanvas(width, height);
  const ctx = copy.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('No 2D canvas context to resize the screenshot on.');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(canvas, 0, 0, width, height);
  return copy;
}

/** The canvas encoded as a `data:` URL of that type. */
export async function canvasDataUrl(canvas: PageCanvas, type: UploadMimeType, quality?: number): Promise<string> {
  return blobToDataUrl(await encodePageCanvas(canvas, type, quality), type);
}

/**
 * Encodes the canvas in at most `maxBytes`: PNG; else JPEG at falling qualities; else the
 * same at 75 %, 56 %... of the size, until it fits (it always does before 1x1 pixel).
 */
export async function encodeForUpload<C extends SizedCanvas = PageCanvas>(
  canvas: C,
  maxBytes: number = SCREENSHOT_MAX_BYTES,
  options: EncodeOptions<C> = {},
): Promise<EncodedImage> {
  const encode = options.encode ?? (encodePageCanvas as unknown as NonNullable<EncodeOptions<C>['encode']>);
  const resize = options.resize ?? (resizePageCanvas as unknown as NonNullable<EncodeOptions<C>['resize']>);
  for (let step = 0; ; step++) {
    const scale = DOWNSCALE_FACTOR ** step;
    const width = Math.max(1, Math.floor(canvas.width * scale));
    const height = Math.max(1, Math.floor(canvas.height * scale));
    // Always scaled from the original, so quality is not lost step after step.
    const source = step === 0 ? canvas : resize(canvas, width, height);
    const attempts: [UploadMimeType, number | undefined][] = [
      ...(step === 0 ? [['image/png', undefined] as [UploadMimeType, undefined]] : []),
      ...JPEG_QUALITIES.map((quality): [UploadMimeType, number] => ['image/jpeg', quality]),
    ];
    for (const [type, quality] of attempts) {
      const blob = await encode(source, type, quality);
      if (blob.size > maxBytes) continue;
      // A browser that cannot write JPEG silently writes PNG: label what was written.
      const mimeType: UploadMimeType = blob.type === 'image/png' || blob.type === 'image/jpeg' ? blob.type : type;
      return { dataUrl: await blobToDataUrl(blob, mimeType), mimeType, width, height, bytes: blob.size };
    }
    if (width === 1 && height === 1) throw new Error(`A screenshot cannot be encoded in ${maxBytes} bytes.`);
  }
}
