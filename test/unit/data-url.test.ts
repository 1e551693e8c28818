import { describe, expect, it } from 'vitest';
import { blobToDataUrl, dataUrlToBytes } from '@/lib/data-url';

describe('data URLs', () => {
  it('decodes a PNG data URL into its bytes', () => {
    expect([...new Uint8Array(dataUrlToBytes('data:image/png;base64,iVBORw0KGgo='))]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('carries every byte of a large blob there and back', async () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256);
    const dataUrl = await blobToDataUrl(new Blob([bytes]), 'image/jpeg');
    expect(dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(Buffer.from(dataUrlToBytes(dataUrl)).equals(Buffer.from(bytes))).toBe(true);
  });
});
