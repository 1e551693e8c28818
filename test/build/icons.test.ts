/** The icon the toolbar, the extensions page and the stores show: every size, sharp, in the build. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawIcon, ICON_DIR, ICON_SIZES } from '../../scripts/make-icons';
import { EXTENSION_DIR } from '../e2e/support/browser';

const readPng = (path: string) => PNG.sync.read(readFileSync(path));

describe('the icon', () => {
  it.each(ICON_SIZES)('is a %i px square PNG with a transparent corner and an opaque mark', (size) => {
    const png = readPng(join(ICON_DIR, `${size}.png`));
    expect([png.width, png.height]).toEqual([size, size]);
    expect(png.data[3]).toBe(0); // top left corner: nothing drawn there
    const opaque = png.data.filter((_, i) => i % 4 === 3 && png.data[i] === 255).length;
    expect(opaque / (size * size)).toBeGreaterThan(0.25);
  });

  it('is what scripts/make-icons.ts draws (run `npm run icons` after changing it)', () => {
    // Pixels, not bytes: another zlib may compress the same image differently.
    for (const size of ICON_SIZES) expect(readPng(join(ICON_DIR, `${size}.png`)).data.equals(PNG.sync.read(drawIcon(size)).data)).toBe(true);
  });

  it('is declared for the extension and its toolbar button at every size, and shipped in the build', () => {
    const { icons, action } = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    expect(Object.keys(icons).map(Number)).toEqual([...ICON_SIZES]);
    expect(action.default_icon).toEqual(icons);
    for (const size of ICON_SIZES) {
      const png = readPng(join(EXTENSION_DIR, icons[size]));
      expect([png.width, png.height]).toEqual([size, size]);
    }
  });
});
