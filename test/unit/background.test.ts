import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startBackground } from '@/lib/background';
import { STRINGS } from '@/lib/strings';

const PANEL_SCRIPT = { target: { tabId: 5 }, files: ['/content-scripts/panel-host.js'] };

describe('the worker opens the panel', () => {
  let stop: () => void;
  const executeScript = vi.fn(async () => []);
  const createMenu = vi.fn();
  const registerContentScripts = vi.fn(async (_scripts: { id: string; matches: string[] }[]) => undefined);

  beforeEach(() => {
    fakeBrowser.reset();
    executeScript.mockClear();
    createMenu.mockClear();
    registerContentScripts.mockClear();
    (fakeBrowser as any).scripting = { executeScript, registerContentScripts, getRegisteredContentScripts: async () => [] };
    (fakeBrowser as any).permissions = { onAdded: makeEvent(), contains: async () => true, getAll: async () => ({}) };
    (fakeBrowser as any).contextMenus = { create: createMenu, onClicked: makeEvent() };
    (fakeBrowser as any).commands = { onCommand: makeEvent() };
    stop = startBackground();
  });
  afterEach(() => stop());

  it('from the keyboard shortcut, in the tab it was pressed in', async () => {
    await (fakeBrowser as any).commands.onCommand.trigger('open-feedback', { id: 5, url: 'https://example.com/' });
    expect(executeScript).toHaveBeenCalledWith(PANEL_SCRIPT);
  });

  it('from the context menu item it creates on install', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as any);
    expect(createMenu).toHaveBeenCalledWith(expect.objectContaining({ title: STRINGS.contextMenu, documentUrlPatterns: ['http://*/*', 'https://*/*'] }));
    const id = createMenu.mock.calls[0]![0].id;
    await (fakeBrowser as any).contextMenus.onClicked.trigger({ menuItemId: id }, { id: 5, url: 'https://example.com/' });
    expect(executeScript).toHaveBeenCalledWith(PANEL_SCRIPT);
  });

  it('turns a site on when the user grants access to exactly it, even if the popup closed before asking', async () => {
    await (fakeBrowser as any).permissions.onAdded.trigger({ origins: ['https://shop.example/*', 'https://*.wide.example/*'] });
    const matches = registerContentScripts.mock.calls.flatMap(([scripts]) => scripts.map((script) => script.matches));
    expect(matches.length).toBeGreaterThan(0);
    expect(new Set(matches.flat())).toEqual(new Set(['https://shop.example/*']));
  });

  it('not on pages it cannot run on, nor for other commands', async () => {
    await (fakeBrowser as any).commands.onCommand.trigger('open-feedback', { id: 5, url: 'chrome://settings/' });
    await (fakeBrowser as any).commands.onCommand.trigger('something-else', { id: 5, url: 'https://example.com/' });
    expect(executeScript).not.toHaveBeenCalled();
  });
});

/** A minimal extension event, for the namespaces WXT's fake browser does not implement. */
function makeEvent() {
  const listeners = new Set<(...args: any[]) => unknown>();
  return {
    addListener: (listener: (...args: any[]) => unknown) => listeners.add(listener),
    removeListener: (listener: (...args: any[]) => unknown) => listeners.delete(listener),
    trigger: async (...args: unknown[]) => {
      for (const listener of listeners) await listener(...args);
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}
