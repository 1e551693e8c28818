/** Wires the service worker: the message handlers, toolbar shortcut and context menu. */
import { browser } from 'wxt/browser';
import { createCaptureQueue } from './capture/visible-tab';
import { describeUserAgent, type WorkerContext } from './feedback/metadata';
import { sendFeedback } from './feedback/send';
import { handleMessages, MessageError } from './messaging/protocol';
import { isSupportedUrl, OPEN_COMMAND, openPanel } from './panel/open';
import { loadSettings } from './settings';
import { STRINGS } from './strings';

const MENU_ID = 'loupe-open-panel';

function workerContext(): WorkerContext {
  return {
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    ...describeUserAgent(navigator.userAgent),
  };
}

async function openFrom(tab: { id?: number; url?: string } | undefined): Promise<void> {
  if (tab?.id === undefined || !isSupportedUrl(tab.url)) return;
  await openPanel(tab.id).catch((error) => console.warn('Loupe: could not open the panel', error));
}

/** Starts the worker's listeners; returns a disposer that removes them all. */
export function startBackground(): () => void {
  const capture = createCaptureQueue();
  const stopMessages = handleMessages({
    'panel:status': async () => ({ configured: (await loadSettings()).clientId !== '' }),
    'capture:visible': async (_data, sender) => {
      // Capturing "the visible tab" of a window whose visible tab is another page would leak it.
      if (!sender.tab?.active) throw new MessageError(STRINGS.captureNotActive);
      try {
        return { dataUrl: await capture(sender.tab.windowId) };
      } catch (error) {
        console.warn('Loupe: capture failed', error);
        throw new MessageError(STRINGS.captureFailed);
      }
    },
    'feedback:send': async (draft) => ({
      feedbackId: await sendFeedback(draft, await loadSettings(), workerContext()),
    }),
  });

  const onInstalled = () => {
    browser.contextMenus.create({
      id: MENU_ID,
      title: STRINGS.contextMenu,
      contexts: ['page', 'frame', 'selection', 'link', 'image'],
      documentUrlPatterns: ['http://*/*', 'https://*/*'],
    });
  };
  const onMenu = (info: { menuItemId: string | number }, tab?: { id?: number; url?: string }) => {
    if (info.menuItemId === MENU_ID) void openFrom(tab);
  };
  const onCommand = (command: string, tab?: { id?: number; url?: string }) => {
    if (command === OPEN_COMMAND) void openFrom(tab);
  };
  browser.runtime.onInstalled.addListener(onInstalled);
  browser.contextMenus.onClicked.addListener(onMenu);
  browser.commands.onCommand.addListener(onCommand);
  return () => {
    stopMessages();
    browser.runtime.onInstalled.removeListener(onInstalled);
    browser.contextMenus.onClicked.removeListener(onMenu);
    browser.commands.onCommand.removeListener(onCommand);
  };
}
