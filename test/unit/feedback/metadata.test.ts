import { describe, expect, it } from 'vitest';
import { jsonBytes, METADATA_MAX_BYTES } from '@/lib/api/schemas';
import { buildMetadata, describeUserAgent } from '@/lib/feedback/metadata';
import { PAGE } from '../fixtures';

const page = PAGE;
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

describe('metadata', () => {
  it('holds browser, OS, viewport, screen, pixel ratio, language, time zone and version', () => {
    const metadata = buildMetadata(page, { extensionVersion: '1.2.3', userAgent: CHROME_LINUX, ...describeUserAgent(CHROME_LINUX) });
    expect(metadata).toMatchObject({
      browser: 'Chrome 156',
      os: 'Linux',
      viewport: { width: 1280, height: 720 },
      screen: { width: 1920, height: 1080 },
      devicePixelRatio: 2,
      language: 'en-GB',
      timeZone: 'Europe/London',
      extensionVersion: '1.2.3',
    });
  });

  it('leaves out every technical fact when the user declined them, and keeps what the report itself says', () => {
    const worker = { extensionVersion: '1.2.3', userAgent: CHROME_LINUX, ...describeUserAgent(CHROME_LINUX), technical: false };
    const metadata = buildMetadata(page, worker, { form: { type: 'bug' }, screenshots: [{ dataUrl: 'data:image/png;base64,', mode: 'region' }] });
    expect(metadata).toEqual({ source: 'loupe-extension', type: 'bug', screenshots: [{ capture: 'region' }] });
  });

  it('stays under 10 KB whatever the inputs', () => {
    const huge = 'x'.repeat(1_000_000);
    const hugePage = { ...page, language: huge, timeZone: huge };
    const metadata = buildMetadata(hugePage, { extensionVersion: huge, userAgent: huge, browser: huge, os: huge });
    expect(jsonBytes(metadata)).toBeLessThan(METADATA_MAX_BYTES);
    expect(metadata.viewport).toEqual(page.viewport);
    // Multi-byte characters count as bytes, not characters.
    const wide = '\u{1F600}'.repeat(100_000);
    expect(jsonBytes(buildMetadata({ ...page, language: wide, timeZone: wide }, { extensionVersion: wide, userAgent: wide, browser: wide, os: wide }))).toBeLessThan(METADATA_MAX_BYTES);
  });

  it.each([
    [CHROME_LINUX, 'Chrome 156', 'Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0', 'Edge 140', 'Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:130.0) Gecko/20100101 Firefox/130.0', 'Firefox 130', 'macOS'],
    ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Mobile Safari/537.36', 'Chrome 150', 'Android'],
    ['curl/8.0', 'Unknown', 'Unknown'],
  ])('names the browser and OS of %s', (userAgent, browser, os) => {
    expect(describeUserAgent(userAgent)).toEqual({ browser, os });
  });
});
