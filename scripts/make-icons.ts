/**
 * Draws Loupe's icon, a magnifying glass, at every size the stores and browsers ask for, into
 * public/icon/<size>.png (`npx tsx scripts/make-icons.ts`). The PNGs are committed; a test
 * checks they are still what this script draws.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';

/** Every icon size: 16 and 32 for the toolbar, 48 for the extensions page, 96 for Firefox's HiDPI, 128 for the stores. */
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

type Rgb = readonly [number, number, number];
/** The panel's accent (assets/theme.css `--accent`). */
const BRAND: Rgb = [0x4f, 0x46, 0xe5];
/** The lens: a pale tint of the brand, so the mark also reads on a dark toolbar. */
const GLASS: Rgb = [0xe6, 0xe8, 0xff];
const GLINT: Rgb = [0xff, 0xff, 0xff];

/** Samples per pixel along each axis: 8 × 8 gives smooth edges without a blur. */
const SUPERSAMPLE = 8;

/** The geometry on a 128-unit canvas; strokes get a floor in pixels so 16 px stays legible. */
function shapes(size: number) {
  const unit = size / 128;
  const ring = Math.max(12 * unit, 2); // lens rim thickness
  const handle = Math.max(20 * unit, 3.2); // handle width
  const centre = 52 * unit;
  const outer = 42 * unit;
  return {
    centre,
    outer,
    inner: outer - ring,
    handleFrom: 52 * unit + (outer - ring / 2) * Math.SQRT1_2,
    handleTo: 116 * unit,
    handleRadius: handle / 2,
    // A short arc of light on the glass, only where there are pixels enough to show it.
    glint: size >= 48 ? { radius: outer - ring - 9 * unit, width: 5 * unit } : undefined,
  };
}

/** Distance from (x, y) to the segment a–b, both ends on the diagonal x = y. */
function distanceToDiagonal(x: number, y: number, from: number, to: number): number {
  const t = Math.min(Math.max((x + y) / 2, from), to);
  return Math.hypot(x - t, y - t);
}

/** The colour of the topmost shape under one sample point, or undefined where it is transparent. */
function colourAt(x: number, y: number, s: ReturnType<typeof shapes>): Rgb | undefined {
  const r = Math.hypot(x - s.centre, y - s.centre);
  // The glass is on top, so the handle's rounded end never shows inside the lens.
  if (r <= s.inner) {
    if (s.glint && Math.abs(r - s.glint.radius) <= s.glint.width / 2) {
      // Upper left quarter, away from the handle: between 200° and 250° from the x axis.
      const angle = (Math.atan2(y - s.centre, x - s.centre) * 180) / Math.PI + 360;
      if (angle % 360 >= 200 && angle % 360 <= 250) return GLINT;
    }
    return GLASS;
  }
  if (r <= s.outer || distanceToDiagonal(x, y, s.handleFrom, s.handleTo) <= s.handleRadius) return BRAND;
  return undefined;
}

/** The icon at `size` × `size` pixels, as PNG bytes (deterministic: same size, same bytes). */
export function drawIcon(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const s = shapes(size);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const colour = colourAt(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE, s);
          if (!colour) continue;
          covered++;
          for (let c = 0; c < 3; c++) sum[c]! += colour[c]!;
        }
      }
      const i = (py * size + px) * 4;
      // Straight (not premultiplied) alpha: the mean colour of the covered samples.
      for (let c = 0; c < 3; c++) png.data[i + c] = covered ? Math.round(sum[c]! / covered) : 0;
      png.data[i + 3] = Math.round((covered / samples) * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** Where the icons live: public/ is copied into the build as is. */
export const ICON_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icon');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(ICON_DIR, { recursive: true });
  for (const size of ICON_SIZES) {
    writeFileSync(join(ICON_DIR, `${size}.png`), drawIcon(size));
    console.log(`public/icon/${size}.png`);
  }
}
