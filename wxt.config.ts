import { defineConfig } from 'wxt';
import { OPEN_COMMAND } from './lib/panel/open';
import { rrwebPatches } from './scripts/rrweb-patches';

/** Where the extension sends feedback unless the user picks another server. */
const defaultServerUrl = process.env.WXT_LOUPE_SERVER_URL || 'https://usero.io';

/** The toolbar and store icons, drawn by scripts/make-icons.ts into public/icon/. */
const ICONS = Object.fromEntries([16, 32, 48, 96, 128].map((size) => [size, `icon/${size}.png`]));

/**
 * Firefox only (docs/store-listing.md says why each is there). 140 is the first Firefox with
 * the built-in data-collection consent declared below (AMO asks add-ons that support older
 * versions to build their own consent page), and an ESR; everything else Loupe uses is older:
 * MV3 event pages (109), captureVisibleTab with activeTab (126), optional_host_permissions
 * and MAIN-world scripts (128). https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/
 */
const GECKO = {
  id: 'loupe@loupe.dev',
  strict_min_version: '140.0',
  data_collection_permissions: {
    // Sent only with a report the user sends: the page's address (browsingActivity), screenshots
    // and the page's console and network errors (websiteContent), the replay of turned-on sites
    // (websiteActivity), and the reporter's email or name when they give it (personallyIdentifyingInfo).
    required: ['browsingActivity', 'websiteContent', 'websiteActivity', 'personallyIdentifyingInfo'],
    // Browser, OS, screen and language in the report's metadata: Firefox lets this type only be optional.
    optional: ['technicalAndInteraction'],
  },
} as const;
/**
 * Firefox for Android reads the data-collection declaration from 142 on. Not a claim that Loupe
 * runs there: Android has neither `contextMenus` nor `commands` (README "Firefox").
 */
const GECKO_ANDROID = { strict_min_version: '142.0' } as const;

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/module-solid'],
  // The panel lives in a closed shadow root, which events delegated to `document` cannot
  // see into: bind every handler on its own element instead.
  solid: { vite: { solid: { delegateEvents: false } } },
  outDir: process.env.LOUPE_OUT_DIR || '.output',
  // Every import is explicit (house style): no auto-imports.
  imports: false,
  manifest: ({ browser }) => ({
    // From public/_locales (lib/manifest-messages.ts in English): the stores show them translated.
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['activeTab', 'scripting', 'storage', 'contextMenus', 'alarms', 'unlimitedStorage'],
    // The default server is declared so the worker's requests to it are not held to CORS;
    // a custom server relies on its own CORS answer, so saving one needs no prompt.
    host_permissions: [
      `${new URL(defaultServerUrl).origin}/*`,
      // Test builds only: headless Chromium cannot answer a permission prompt, so the
      // e2e suite's loopback sites are granted up front (see package.json "build:test").
      ...(process.env.LOUPE_TEST_HOSTS?.split(',').filter(Boolean) ?? []),
    ],
    // Asked for one site at a time, when the user turns replays on for it.
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    // The panel is an extension page framed into the tab, so the page cannot read what the
    // user types. A dynamic URL (new each session) keeps pages from probing for Loupe.
    // Firefox has no use_dynamic_url (its moz-extension:// host is already random per install).
    web_accessible_resources: [
      {
        resources: ['panel.html'],
        matches: ['http://*/*', 'https://*/*'],
        ...(browser === 'firefox' ? {} : { use_dynamic_url: true }),
      },
    ],
    commands: {
      [OPEN_COMMAND]: {
        suggested_key: { default: 'Alt+Shift+F' },
        description: '__MSG_commandOpenFeedback__',
      },
    },
    icons: ICONS,
    action: { default_icon: ICONS },
    ...(browser === 'firefox' && { browser_specific_settings: { gecko: GECKO, gecko_android: GECKO_ANDROID } }),
  }),
  zip: {
    // Firefox reviewers rebuild the add-on from this archive (README "Store packages"): only what
    // the build reads, never data/ (the local server's database and keys) or tests.
    includeSources: [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'env.d.ts',
      'wxt.config.ts',
      'README.md',
      'docs/**',
      'assets/**',
      'components/**',
      'entrypoints/**',
      'lib/**',
      'modules/**',
      'public/**',
      'scripts/**',
    ],
    // The dev server launcher needs server/, which the extension never imports.
    excludeSources: ['scripts/start.ts'],
  },
  vite: () => ({
    plugins: [rrwebPatches()],
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
