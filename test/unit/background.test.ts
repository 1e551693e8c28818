import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startBackground } from '@/lib/background';
import { STRINGS } from '@/lib/strings';

const PANEL_SCRIPT = { target: { tabId: 5 }, files: ['/content-scripts/panel-host.js'] };

describe('the worker opens the panel', () => {
  let stop: () => void;
  const executeScript = vi.fn(async () => []);
  const createMenu = vi.fn();

  beforeEach(() => {
    fakeBrowser.reset();
    executeScript.mockClear();
    createMenu.mockClear();
    (fakeBrowser as any).scripting = { executeScript, getRegisteredContentScripts: async () => [] };
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
