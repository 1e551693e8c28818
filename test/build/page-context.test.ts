/** The page-context script runs in every page of a turned-on site, in the page's own world: small, and blind to what it must not see. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from '../e2e/support/browser';

const PAGE_SCRIPT_MAX_GZIP_BYTES = 4 * 1024;
const script = () => readFileSync(join(EXTENSION_DIR, 'content-scripts/page-context.js'));

describe('the page-context script', () => {
  it('stays under 4 KB gzipped, in ASCII', () => {
    const gzipBytes = gzipSync(script(), { level: 9 }).length;
    console.info(`page-context.js: ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
    expect(gzipBytes).toBeLessThanOrEqual(PAGE_SCRIPT_MAX_GZIP_BYTES);
    expect(script().every((byte) => byte < 0x80)).toBe(true);
  });

  it('never touches cookies, headers or bodies, and makes no request of its own', () => {
    const code = script().toString('utf8');
    for (const forbidden of [/cookie/i, /headers/i, /getResponseHeader/, /responseText|responseXML|\.response\b/, /\.body\b/, /\.clone\(\)|\.json\(\)|\.text\(\)|\.blob\(\)|arrayBuffer/, /sendBeacon|WebSocket|localStorage|sessionStorage/]) {
      expect(code).not.toMatch(forbidden);
    }
  });

  it('is named loupe-page-context.js in stack traces (modules/page-context-source-url.ts)', () => {
    expect(script().toString('utf8').trimEnd().endsWith('//# sourceURL=loupe-page-context.js')).toBe(true);
  });
});
