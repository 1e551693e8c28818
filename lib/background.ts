/** Wires the service worker: message handlers, outbox wake-ups, shortcut and context menu. */
import { browser } from 'wxt/browser';
import { createCaptureQueue } from './capture/visible-tab';
import { describeUserAgent, type WorkerContext } from './feedback/metadata';
import { handleMessages, MessageError } from './messaging/protocol';
import { startOutbox } from './outbox/service';
import { OUTBOX_ALARM } from './outbox/wake';
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
  const outbox = startOutbox(workerContext);
  // Every start of the worker (install, browser start, alarm, message) resumes delivery.
  const deliverDue = () =>
    void outbox
      .then((service) => service.deliverDue())
      .catch((error) => console.warn('Loupe: outbox delivery stopped', error));
  deliverDue();

  const stopMessages = handleMessages({
    'panel:status': async () => ({
      configured: (await loadSettings()).clientId !== '',
      outboxNearlyFull: await (await outbox).nearlyFull(),
    }),
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
    'feedback:send': async (draft) => (await outbox).submit(draft),
    'outbox:list': async () => (await outbox).list(),
    'outbox:retry': async ({ id }) => (await (await outbox).retry(id)) ?? null,
    'outbox:delete': async ({ id }) => {
      await (await outbox).remove(id);
      return {};
    },
    'outbox:edit': async (change) => (await (await outbox).edit(change)) ?? null,
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
  const onAlarm = (alarm: { name: string }) => {
    if (alarm.name === OUTBOX_ALARM) deliverDue();
  };
  browser.runtime.onInstalled.addListener(onInstalled);
  browser.contextMenus.onClicked.addListener(onMenu);
  browser.commands.onCommand.addListener(onCommand);
  browser.alarms.onAlarm.addListener(onAlarm);
  browser.runtime.onStartup.addListener(deliverDue);
  globalThis.addEventListener('online', deliverDue);
  return () => {
    stopMessages();
    browser.runtime.onInstalled.removeListener(onInstalled);
    browser.contextMenus.onClicked.removeListener(onMenu);
    browser.commands.onCommand.removeListener(onCommand);
    browser.alarms.onAlarm.removeListener(onAlarm);
    browser.runtime.onStartup.removeListener(deliverDue);
    globalThis.removeEventListener('online', deliverDue);
    void outbox.then((service) => service.dispose());
  };
}
