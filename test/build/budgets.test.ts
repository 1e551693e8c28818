/** Budgets checked on the built extension: nothing injected unasked, a small panel. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from '../e2e/support/browser';

const PANEL_MAX_GZIP_BYTES = 60 * 1024;
const manifest = () => JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));

describe('the built extension', () => {
  it('declares no content script: nothing runs on a page until the user asks', () => {
    expect(manifest().content_scripts).toBeUndefined();
  });

  it('asks for no broad host permission at install and exposes no resource to pages', () => {
    const { host_permissions: hosts = [], permissions = [], web_accessible_resources, externally_connectable } = manifest();
    for (const pattern of [...hosts, ...permissions]) {
      expect(pattern).not.toMatch(/<all_urls>|^\*:\/\/\*|^https?:\/\/\*\//);
    }
    expect(hosts).toEqual(['https://usero.io/*']);
    expect(permissions).toEqual(expect.arrayContaining(['activeTab', 'scripting']));
    expect(web_accessible_resources).toBeUndefined();
    expect(externally_connectable).toBeUndefined();
  });

  it('keeps the injected panel script under 60 KB gzipped', () => {
    const gzipBytes = gzipSync(readFileSync(join(EXTENSION_DIR, 'content-scripts/panel.js')), { level: 9 }).length;
    console.info(`panel.js: ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
    expect(gzipBytes).toBeLessThanOrEqual(PANEL_MAX_GZIP_BYTES);
  });

  it('keeps the network out of the panel: only the worker calls fetch', () => {
    const panel = readFileSync(join(EXTENSION_DIR, 'content-scripts/panel.js'), 'utf8');
    expect(panel).not.toMatch(/\bfetch\(|XMLHttpRequest|sendBeacon|WebSocket\(/);
    expect(readFileSync(join(EXTENSION_DIR, 'background.js'), 'utf8')).toMatch(/\bfetch\(/);
  });

  it('ships only ASCII scripts, which Chromium always reads as UTF-8', () => {
    for (const file of ['background.js', 'content-scripts/panel.js']) {
      expect(readFileSync(join(EXTENSION_DIR, file)).every((byte) => byte < 0x80)).toBe(true);
    }
  });
});
