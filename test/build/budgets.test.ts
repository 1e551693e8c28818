/** Budgets checked on the built extension: nothing injected unasked, a small panel. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from '../e2e/support/browser';

const PANEL_MAX_GZIP_BYTES = 60 * 1024;
/** The recorder runs on every page of a turned-on site: it alone has a tight budget. */
const RECORDER_MAX_GZIP_BYTES = 35 * 1024;
/** The scripts and styles panel.html loads. */
const panelPageFiles = () =>
  [...readFileSync(join(EXTENSION_DIR, 'panel.html'), 'utf8').matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map(
    (match) => match[1]!,
  );
const manifest = () => JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));

describe('the built extension', () => {
  it('declares no content script: nothing runs on a page until the user asks', () => {
    expect(manifest().content_scripts).toBeUndefined();
  });

  it('asks for no broad host permission at install, and exposes only the panel page, by a per-session URL', () => {
    const { host_permissions: hosts = [], permissions = [], web_accessible_resources, externally_connectable } = manifest();
    for (const pattern of [...hosts, ...permissions]) {
      expect(pattern).not.toMatch(/<all_urls>|^\*:\/\/\*|^https?:\/\/\*\//);
    }
    // The default server, plus loopback in this test build only (see wxt.config.ts).
    expect(hosts).toEqual(['https://usero.io/*', 'http://127.0.0.1/*']);
    expect(manifest().optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(permissions).toEqual(expect.arrayContaining(['activeTab', 'scripting']));
    expect(web_accessible_resources).toEqual([
      { resources: ['panel.html'], matches: ['http://*/*', 'https://*/*'], use_dynamic_url: true },
    ]);
    expect(externally_connectable).toBeUndefined();
  });

  it('keeps what is injected into the page, and the panel page it frames, under 60 KB gzipped', () => {
    const panelFiles = panelPageFiles();
    expect(panelFiles.some((file) => file.endsWith('.js'))).toBe(true);
    for (const [name, files] of [['panel-host.js', ['content-scripts/panel-host.js']], ['panel.html', panelFiles]] as const) {
      const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(EXTENSION_DIR, file)), { level: 9 }).length, 0);
      console.info(`${name}: ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
      expect(gzipBytes).toBeLessThanOrEqual(PANEL_MAX_GZIP_BYTES);
    }
  });

  it('keeps the recorder under 35 KB gzipped', () => {
    const gzipBytes = gzipSync(readFileSync(join(EXTENSION_DIR, 'content-scripts/recorder.js')), { level: 9 }).length;
    console.info(`recorder.js: ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
    expect(gzipBytes).toBeLessThanOrEqual(RECORDER_MAX_GZIP_BYTES);
  });

  it('builds the recorder with rrweb patched (scripts/rrweb-patches.ts): scroll reads guarded, no throw per serialized element', () => {
    const recorder = readFileSync(join(EXTENSION_DIR, 'content-scripts/recorder.js'), 'utf8');
    expect(recorder).toContain('contentVisibilityAuto:!0');
    expect(recorder).toMatch(/globalThis\.customElements\?\.get\(/);
    expect(recorder).not.toMatch(/[^.?]customElements\.get\(/);
  });

  it('keeps the network out of the panel: only the worker calls fetch', () => {
    for (const file of ['content-scripts/panel-host.js', 'content-scripts/recorder.js', ...panelPageFiles().filter((f) => f.endsWith('.js'))]) {
      expect(readFileSync(join(EXTENSION_DIR, file), 'utf8')).not.toMatch(/\bfetch\(|XMLHttpRequest|sendBeacon|WebSocket\(/);
    }
    expect(readFileSync(join(EXTENSION_DIR, 'background.js'), 'utf8')).toMatch(/\bfetch\(/);
  });

  it('ships only ASCII scripts, which Chromium always reads as UTF-8', () => {
    for (const file of ['background.js', 'content-scripts/panel-host.js', 'content-scripts/recorder.js']) {
      expect(readFileSync(join(EXTENSION_DIR, file)).every((byte) => byte < 0x80)).toBe(true);
    }
  });
});
