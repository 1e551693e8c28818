import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOWNSCALE_FACTOR, encodeForUpload, type UploadMimeType } from '@/lib/screenshot/encode';

type FakeCanvas = { width: number; height: number };

// Output size follows what real encoders do closely enough: PNG is big, JPEG smaller and
// shrinking with quality, both proportional to the pixel count.
const bytesFor = (type: UploadMimeType, quality: number | undefined, pixels: number) =>
  type === 'image/png' ? pixels * 3 : Math.ceil(pixels * (quality ?? 0.92) * 0.5);

function fakeEncoder(options: { pngOnly?: boolean } = {}) {
  const attempts: string[] = [];
  const encode = async (canvas: FakeCanvas, type: UploadMimeType, quality?: number) => {
    attempts.push(`${type === 'image/png' ? 'png' : `jpeg@${quality}`} ${canvas.width}x${canvas.height}`);
    const written = options.pngOnly ? 'image/png' : type;
    return new Blob([new Uint8Array(bytesFor(written, quality, canvas.width * canvas.height))], { type: written });
  };
  const resized: [FakeCanvas, number, number][] = [];
  const resize = (canvas: FakeCanvas, width: number, height: number) => {
    resized.push([canvas, width, height]);
    return { width, height };
  };
  return { encode, resize, attempts, resized };
}

const decodedBytes = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64').length;

describe('encoding a screenshot for upload', () => {
  const canvas = { width: 100, height: 50 }; // PNG 15000 bytes; JPEG 2300, 2000, 1500.

  it('keeps a PNG that fits, at full size', async () => {
    const fake = fakeEncoder();
    const encoded = await encodeForUpload(canvas, 20_000, fake);
    expect(encoded).toMatchObject({ mimeType: 'image/png', width: 100, height: 50, bytes: 15_000 });
    expect(encoded.dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    expect(decodedBytes(encoded.dataUrl)).toBe(15_000);
    expect(fake.attempts).toEqual(['png 100x50']);
  });

  it('falls back to the best JPEG that fits when the PNG is too big', async () => {
    const fake = fakeEncoder();
    const encoded = await encodeForUpload(canvas, 10_000, fake);
    expect(encoded).toMatchObject({ mimeType: 'image/jpeg', width: 100, height: 50, bytes: 2300 });
    expect(encoded.dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(fake.attempts).toEqual(['png 100x50', 'jpeg@0.92 100x50']);
  });

  it('lowers the JPEG quality before it makes the image smaller', async () => {
    const fake = fakeEncoder();
    const encoded = await encodeForUpload(canvas, 1600, fake);
    expect(encoded).toMatchObject({ mimeType: 'image/jpeg', width: 100, height: 50, bytes: 1500 });
    expect(fake.resized).toEqual([]);
  });

  it('downscales from the original canvas when even the lowest JPEG quality is too big', async () => {
    const fake = fakeEncoder();
    const encoded = await encodeForUpload(canvas, 1000, fake);
    expect(encoded).toMatchObject({ mimeType: 'image/jpeg', width: 75, height: 37 });
    expect(encoded.bytes).toBeLessThanOrEqual(1000);
    expect(fake.resized).toEqual([[canvas, 75, 37]]);
    expect(fake.attempts.at(-1)).toBe('jpeg@0.6 75x37');
  });

  it('always fits, and reports the size it encoded, for any limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 600_000 }),
        async (width, height, maxBytes) => {
          const fake = fakeEncoder();
          const encoded = await encodeForUpload({ width, height }, maxBytes, fake);
          expect(encoded.bytes).toBeLessThanOrEqual(maxBytes);
          expect(decodedBytes(encoded.dataUrl)).toBe(encoded.bytes);
          const last = fake.resized.at(-1);
          expect([encoded.width, encoded.height]).toEqual(last ? [last[1], last[2]] : [width, height]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it(`shrinks each step by ${DOWNSCALE_FACTOR} of the original size`, async () => {
    const fake = fakeEncoder();
    await encodeForUpload({ width: 1000, height: 800 }, 40_000, fake);
    expect(fake.resized.map(([, width, height]) => [width, height])).toEqual([
      [750, 600],
      [562, 450],
      [421, 337],
      [316, 253],
    ]);
  });

  it('labels the image by what the browser wrote, when it could not write JPEG', async () => {
    const fake = fakeEncoder({ pngOnly: true });
    const encoded = await encodeForUpload(canvas, 4000, fake);
    expect(encoded.mimeType).toBe('image/png');
    expect(encoded.dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    expect(encoded.bytes).toBeLessThanOrEqual(4000);
  });

  it('fails only when not even one pixel fits', async () => {
    await expect(encodeForUpload(canvas, 0, fakeEncoder())).rejects.toThrow(/cannot be encoded/);
  });
});
