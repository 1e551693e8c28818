/**
 * `npm run zip`: the archives uploaded to the Chrome Web Store and to addons.mozilla.org, and
 * the sources archive Firefox reviewers rebuild the add-on from.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from './zip-file';

const run = promisify(execFile);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const outDir = mkdtempSync(join(tmpdir(), 'loupe-zip-'));
/** The environment of a release build: none of the variables that point a build at another server or folder. */
const releaseEnv = () => {
  const env = { ...process.env };
  for (const name of ['WXT_LOUPE_SERVER_URL', 'WXT_LOUPE_CLIENT_ID', 'LOUPE_TEST_HOSTS', 'LOUPE_OUT_DIR']) delete env[name];
  return env;
};

let chrome: Map<string, Buffer>;
let firefox: Map<string, Buffer>;
let sources: Map<string, Buffer>;
const json = (entries: Map<string, Buffer>, name: string) => JSON.parse(entries.get(name)!.toString('utf8'));

beforeAll(async () => {
  await run('npm', ['run', 'zip'], { env: { ...releaseEnv(), LOUPE_OUT_DIR: outDir }, maxBuffer: 16 * 1024 * 1024 });
  chrome = readZip(join(outDir, `loupe-${version}-chrome.zip`));
  firefox = readZip(join(outDir, `loupe-${version}-firefox.zip`));
  sources = readZip(join(outDir, `loupe-${version}-sources.zip`));
  for (const [name, entries] of [['chrome', chrome], ['firefox', firefox], ['sources', sources]] as const) {
    console.info(`loupe-${version}-${name}.zip: ${entries.size} files`);
  }
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run zip', () => {
  it('packs the Chrome build with its manifest at the root, the icons, and no Firefox keys', () => {
    const manifest = json(chrome, 'manifest.json');
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.background).toEqual({ service_worker: 'background.js' });
    expect(manifest.browser_specific_settings).toBeUndefined();
    expect(manifest.host_permissions).toEqual(['https://usero.io/*']);
    for (const file of ['background.js', 'panel.html', 'popup.html', 'content-scripts/panel-host.js', 'icon/16.png', 'icon/128.png']) {
      expect(chrome.has(file), file).toBe(true);
    }
  });

  it('packs the Firefox build with its gecko id', () => {
    const manifest = json(firefox, 'manifest.json');
    expect(manifest.browser_specific_settings.gecko.id).toBe('loupe@loupe.dev');
    expect(manifest.background).toEqual({ scripts: ['background.js'] });
    expect(firefox.has('icon/48.png')).toBe(true);
  });

  it('ships no source maps, tests or local data in either build', () => {
    for (const name of [...chrome.keys(), ...firefox.keys()]) expect(name).not.toMatch(/\.map$|\.test\.|^data\/|^test\//);
  });

  it('puts what a reviewer needs to rebuild in the sources archive, and nothing private', () => {
    const names = [...sources.keys()];
    for (const file of ['package.json', 'package-lock.json', 'README.md', 'wxt.config.ts', 'tsconfig.json', 'scripts/make-icons.ts', 'public/icon/128.png']) {
      expect(sources.has(file), file).toBe(true);
    }
    for (const folder of ['entrypoints/', 'lib/', 'components/']) expect(names.some((name) => name.startsWith(folder)), folder).toBe(true);
    // data/ holds the local server's database, admin token and master key.
    for (const name of names) expect(name).not.toMatch(/^(node_modules|\.output|\.wxt|data|test|server|bench)\/|(^|\/)\.|\.test\.ts$|\.zip$/);
    expect(json(sources, 'package.json').scripts.zip).toBeDefined();
  });

  it('builds, from the sources archive alone, exactly the Firefox package', async () => {
    const root = join(outDir, 'rebuild');
    for (const [name, bytes] of sources) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), bytes);
    }
    // The reviewer runs `npm ci`; the same locked packages are already installed here.
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
    await run(process.execPath, [resolve('node_modules/wxt/bin/wxt.mjs'), 'build', '-b', 'firefox', '--mv3'], { cwd: root, env: releaseEnv() });
    for (const [name, bytes] of firefox) {
      expect(readFileSync(join(root, '.output/firefox-mv3', name)).equals(bytes), name).toBe(true);
    }
  }, 120_000);
});
