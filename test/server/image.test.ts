import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../server/image.ts';
import { pngBytes } from './helpers.ts';

const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x20, 0x00, 0x10, 0x00]), Buffer.alloc(16)]);
const jpeg = Buffer.from([
  0xff, 0xd8, // SOI
  0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x07, 0x00, 0x05, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
  0xff, 0xd9,
]);
// RIFF/WEBP with a VP8X chunk: width-1 and height-1 as 24-bit little-endian numbers.
const webp = Buffer.concat([
  Buffer.from('RIFF'), Buffer.from([22, 0, 0, 0]), Buffer.from('WEBPVP8X'), Buffer.from([10, 0, 0, 0]),
  Buffer.from([0, 0, 0, 0, 8, 0, 0, 3, 0, 0]),
]);
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

describe('sniffImage', () => {
  it('reads type and size of a real PNG from its bytes', () => {
    expect(sniffImage(pngBytes(31, 17))).toEqual({ mimeType: 'image/png', ext: 'png', width: 31, height: 17 });
  });

  it('recognises GIF, JPEG and WebP', () => {
    expect(sniffImage(gif)).toEqual({ mimeType: 'image/gif', ext: 'gif', width: 32, height: 16 });
    expect(sniffImage(jpeg)).toEqual({ mimeType: 'image/jpeg', ext: 'jpg', width: 5, height: 7 });
    expect(sniffImage(webp)).toEqual({ mimeType: 'image/webp', ext: 'webp', width: 9, height: 4 });
  });

  it('refuses SVG, which could carry script when served', () => {
    expect(sniffImage(svg)).toBeUndefined();
  });

  it('refuses text, empty input, a truncated PNG and other image formats', () => {
    expect(sniffImage(Buffer.from('definitely not an image'))).toBeUndefined();
    expect(sniffImage(new Uint8Array())).toBeUndefined();
    expect(sniffImage(pngBytes(4, 4).subarray(0, 12))).toBeUndefined();
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0);
    bmp.writeInt32LE(4, 18);
    bmp.writeInt32LE(4, 22);
    expect(sniffImage(bmp)).toBeUndefined();
  });
});
