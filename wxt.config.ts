import { defineConfig } from 'wxt';
import { OPEN_COMMAND } from './lib/panel/open';
import { rrwebScrollGuard } from './scripts/rrweb-scroll-guard';

/** Where the extension sends feedback unless the user picks another server. */
const defaultServerUrl = process.env.WXT_LOUPE_SERVER_URL || 'https://usero.io';

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/module-solid'],
  // The panel lives in a closed shadow root, which events delegated to `document` cannot
  // see into: bind every handler on its own element instead.
  solid: { vite: { solid: { delegateEvents: false } } },
  outDir: process.env.LOUPE_OUT_DIR || '.output',
  // Every import is explicit (house style): no auto-imports.
  imports: false,
  manifest: {
    name: 'Loupe',
    description: 'Leave feedback on any web page: a rating, a comment and screenshots.',
    permissions: ['activeTab', 'scripting', 'storage', 'contextMenus', 'alarms', 'unlimitedStorage'],
    // The default server is declared so the worker's requests to it are not held to CORS;
    // a custom server relies on its own CORS answer, so saving one needs no prompt.
    host_permissions: [
      `${new URL(defaultServerUrl).origin}/*`,
      // Test builds only: headless Chromium cannot answer a permission prompt, so the
      // e2e suite's loopback sites are granted up front (see package.json "build:test").
      ...(process.env.LOUPE_TEST_HOSTS?.split(',') ?? []),
    ],
    // Asked for one site at a time, when the user turns replays on for it.
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    // The panel is an extension page framed into the tab, so the page cannot read what the
    // user types. A dynamic URL (new each session) keeps pages from probing for Loupe.
    web_accessible_resources: [
      { resources: ['panel.html'], matches: ['http://*/*', 'https://*/*'], use_dynamic_url: true },
    ],
    commands: {
      [OPEN_COMMAND]: {
        suggested_key: { default: 'Alt+Shift+F' },
        description: 'Give feedback on this page',
      },
    },
  },
  vite: () => ({
    plugins: [rrwebScrollGuard()],
    define: {
      'import.meta.env.WXT_LOUPE_SERVER_URL': JSON.stringify(defaultServerUrl),
      'import.meta.env.WXT_LOUPE_CLIENT_ID': JSON.stringify(process.env.WXT_LOUPE_CLIENT_ID ?? ''),
    },
    build: {
      // Extension pages load their modules locally: no need for Vite's fetch()-based preload shim.
      modulePreload: { polyfill: false },
      // Chromium refuses content scripts with non-ASCII bytes it cannot read as UTF-8.
      rolldownOptions: { output: { charset: 'ascii' } },
    },
  }),
});
