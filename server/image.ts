/** Recognises an uploaded image from its bytes, never from what the sender declared. */
import { open } from 'node:fs/promises';
import { imageSize } from 'image-size';
import { IMAGE_SNIFF_MAX_BYTES, STORED_IMAGE_TYPES } from './constants.ts';

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

/** The same for a file on disk, reading only its first IMAGE_SNIFF_MAX_BYTES (the headers). */
export async function sniffImageFile(path: string): Promise<ImageInfo | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(IMAGE_SNIFF_MAX_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return sniffImage(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
