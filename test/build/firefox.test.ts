/**
 * The Firefox build (`npm test` makes it in .output/test/firefox-mv3, the release manifest in
 * a test folder): a manifest Firefox and AMO accept, and Mozilla's linter finds no error in it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from '../e2e/support/browser';

const run = promisify(execFile);
const FIREFOX_DIR = resolve(process.env.LOUPE_FIREFOX_DIR ?? '.output/test/firefox-mv3');
const WEB_EXT = resolve('node_modules/web-ext/bin/web-ext.js');
const WXT = resolve('node_modules/wxt/bin/wxt.mjs');

type LintMessage = { code: string; message: string; file?: string; line?: number; column?: number };
type LintReport = { summary: { errors: number; warnings: number; notices: number }; errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] };

const manifest = () => JSON.parse(readFileSync(join(FIREFOX_DIR, 'manifest.json'), 'utf8'));

beforeAll(async () => {
  // `vitest run` alone (without `npm test`'s builds first): make the build this file checks.
  if (!existsSync(join(FIREFOX_DIR, 'manifest.json'))) {
    await run(process.execPath, [WXT, 'build', '-b', 'firefox', '--mv3'], { env: { ...process.env, LOUPE_OUT_DIR: resolve(FIREFOX_DIR, '..') } });
  }
}, 120_000);

describe('the Firefox build', () => {
  it('has a gecko id, the Firefox it needs, and says what data it sends', () => {
    const { browser_specific_settings: settings, manifest_version } = manifest();
    expect(manifest_version).toBe(3);
    expect(settings.gecko).toMatchObject({ id: 'loupe@loupe.dev', strict_min_version: '140.0' });
    const { required, optional } = settings.gecko.data_collection_permissions;
    expect(required).toEqual(expect.arrayContaining(['browsingActivity', 'websiteContent']));
    expect(required).not.toContain('none');
    expect(optional).toContain('technicalAndInteraction');
  });

  it('runs its background as an event page, asks for what the Chrome build asks for, and nothing more', () => {
    const firefox = manifest();
    const chrome = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    expect(firefox.background).toEqual({ scripts: ['background.js'] });
    expect(firefox.permissions).toEqual(chrome.permissions);
    expect(firefox.optional_host_permissions).toEqual(chrome.optional_host_permissions);
    // The release manifest: the default server only, none of the test build's loopback hosts.
    expect(firefox.host_permissions).toEqual(['https://usero.io/*']);
    expect(firefox.content_scripts).toBeUndefined();
    // Firefox has no use_dynamic_url (its extension host is random per install anyway).
    expect(firefox.web_accessible_resources).toEqual([{ resources: ['panel.html'], matches: ['http://*/*', 'https://*/*'] }]);
  });

  it('shows the icon at every size, in the toolbar too', () => {
    const { icons, action } = manifest();
    expect(action.default_icon).toEqual(icons);
    for (const size of [16, 32, 48, 96, 128]) {
      const png = PNG.sync.read(readFileSync(join(FIREFOX_DIR, icons[size])));
      expect([png.width, png.height]).toEqual([size, size]);
    }
  });

  it("passes Mozilla's linter (web-ext lint) with no error", async () => {
    // Offline: the linter's rules and schemas ship in the package. A linter error exits 1, so read the report either way.
    const { stdout } = await run(process.execPath, [WEB_EXT, 'lint', '--source-dir', FIREFOX_DIR, '--output', 'json', '--no-config-discovery'], {
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    const where = (m: LintMessage) => (m.file ? ` (${m.file}${m.line ? `:${m.line}:${m.column}` : ''})` : '');
    for (const warning of [...report.warnings, ...report.notices]) console.info(`web-ext lint: ${warning.code}: ${warning.message}${where(warning)}`);
    expect(report.errors.map((e) => `${e.code}: ${e.message}${where(e)}`)).toEqual([]);
  }, 60_000);
});
