/** Recognises an uploaded image from its bytes, never from what the sender declared. */
import { imageSize } from 'image-size';
import { STORED_IMAGE_TYPES } from './constants.ts';

/** An image extension the store accepts, e.g. `png`. */
export type ImageExt = keyof typeof STORED_IMAGE_TYPES;

/** What the bytes turned out to be. */
export interface ImageInfo {
  mimeType: string;
  ext: ImageExt;
  width: number;
  height: number;
}

// image-size's type names for the formats we keep. SVG is deliberately absent: served from
// our origin it could run script; BMP, TIFF, ICO and friends have no use as screenshots.
const ACCEPTED: Record<string, ImageExt> = { png: 'png', jpg: 'jpg', gif: 'gif', webp: 'webp' };

/** PNG, JPEG, GIF or WebP bytes with positive dimensions, or `undefined` for anything else. */
export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  let size;
  try {
    size = imageSize(bytes);
  } catch {
    return undefined; // not a format image-size knows, or a truncated header
  }
  const ext = size.type === undefined ? undefined : ACCEPTED[size.type];
  if (!ext || !(size.width > 0) || !(size.height > 0)) return undefined;
  return { mimeType: STORED_IMAGE_TYPES[ext], ext, width: size.width, height: size.height };
}
