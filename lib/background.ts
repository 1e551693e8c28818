/** Wires the service worker: message handlers, outbox wake-ups, shortcut and context menu. */
import { browser } from 'wxt/browser';
import { isMissingGrant, renderTab } from './capture/render-tab';
import { createCaptureQueue } from './capture/visible-tab';
import { describeUserAgent, type WorkerContext } from './feedback/metadata';
import { handleMessages, MessageError, sendToTab } from './messaging/protocol';
import { startOutbox } from './outbox/service';
import { OUTBOX_ALARM } from './outbox/wake';
import { isSupportedUrl, OPEN_COMMAND, openPanel } from './panel/open';
import { freezeReplay, originOf, takeReplay } from './replay/collect';
import { disableSite, enableSite, grantedSites, recordingOrigins, updateSiteScripts } from './replay/sites';
import { openTabStore } from './replay/tab-store';
import { REPLAY_MAX_EVENT_BYTES_PER_TAB } from './replay/buffer';
import { loadReplaySettings, loadSettings } from './settings';
import { STRINGS } from './strings';
import { clearInterference, warnInterference } from './panel/interference';

const MENU_ID = 'loupe-open-panel';

/** The worker's facts for a report, asked anew each time: the user may change their data consent at any time. */
async function workerContext(): Promise<WorkerContext> {
  // Only Firefox lists data collection consent; elsewhere there is no such choice to honour.
  const { data_collection: consent } = (await browser.permissions.getAll()) as { data_collection?: string[] };
  return {
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    ...describeUserAgent(navigator.userAgent),
    technical: consent === undefined || consent.includes('technicalAndInteraction'),
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
  const tabStore = openTabStore();
  // Every start of the worker (install, browser start, alarm, message) resumes delivery.
  const deliverDue = () =>
    void outbox
      .then((service) => service.deliverDue())
      .catch((error) => console.warn('Loupe: outbox delivery stopped', error));
  deliverDue();

  const stopMessages = handleMessages({
    'panel:status': async (_data, sender) => {
      clearInterference(sender.tab!.id!); // the panel is open again: the toolbar's warning is done
      return {
        configured: (await loadSettings()).clientId !== '',
        outboxNearlyFull: await (await outbox).nearlyFull(),
      };
    },
    'capture:visible': async (_data, sender) => {
      // Capturing "the visible tab" of a window whose visible tab is another page would leak it.
      if (!sender.tab?.active) throw new MessageError(STRINGS.captureNotActive);
      try {
        return { dataUrl: await capture(sender.tab.windowId), rendered: false };
      } catch (error) {
        if (!isMissingGrant(error)) {
          console.warn('Loupe: capture failed', error);
          throw new MessageError(STRINGS.captureFailed);
        }
      }
      try {
        return { dataUrl: await renderTab(sender.tab.id!), rendered: true };
      } catch (error) {
        console.warn('Loupe: drawing the page failed', error);
        throw new MessageError(STRINGS.renderFailed);
      }
    },
    'feedback:send': async (draft, sender) => {
      const tabId = sender.tab!.id!;
      const replay = draft.attachReplay ? await takeReplay(tabId, sender.tab!.url, await tabStore) : undefined;
      // Small, redacted and shown in the panel: the page's context goes unless the user left it out, replay or not.
      const captured = draft.attachPageContext === false ? undefined : await sendToTab(tabId, 'recorder:context', {});
      const outcome = await (await outbox).submit(draft, replay && { gz: replay.gz, offsetMs: replay.offsetMs }, captured);
      if (outcome.status === 'delivered') void sendToTab(tabId, 'recorder:sent', { feedbackId: outcome.feedbackId });
      return outcome;
    },
    'panel:page-context': async (_data, sender) => ({ captured: (await sendToTab(sender.tab!.id!, 'recorder:context', {})) ?? null }),
    'panel:interfered': async (_data, sender) => {
      warnInterference(sender.tab!.id!);
      return {};
    },
    'replay:freeze': async (_data, sender) => ({
      seconds: await freezeReplay(sender.tab!.id!, sender.tab!.url, await tabStore),
    }),
    'replay:drop': async (_data, sender) => {
      await sendToTab(sender.tab!.id!, 'recorder:drop', {});
      return {};
    },
    'replay:handoff': async ({ segments }, sender) => {
      const origin = originOf(sender.tab!.url);
      if (origin && (await recordingOrigins()).includes(origin)) {
        const { bufferSeconds } = await loadReplaySettings();
        await (await tabStore).append(sender.tab!.id!, origin, segments, bufferSeconds * 1000, REPLAY_MAX_EVENT_BYTES_PER_TAB);
      }
      return {};
    },
    'sites:list': async () => ({ origins: await recordingOrigins() }),
    'sites:enable': async ({ origin, tabId }) => {
      await enableSite(origin, tabId);
      return {};
    },
    'sites:disable': async ({ origin }) => {
      await disableSite(origin, await tabStore);
      return {};
    },
    'outbox:list': async () => (await outbox).list(),
    'outbox:retry': async ({ id }) => (await (await outbox).retry(id)) ?? null,
    'outbox:delete': async ({ id }) => {
      await (await outbox).remove(id);
      return {};
    },
    'outbox:edit': async (change) => (await (await outbox).edit(change)) ?? null,
  });

  const onInstalled = () => {
    // An update may add scripts to the sites an older version turned on.
    updateSiteScripts().catch((error) => console.warn('Loupe: could not update the sites that record', error));
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
  // Firefox may close the popup for the permission prompt before it asks to turn the site on:
  // a granted site is turned on here too (registering twice is a no-op).
  const onPermissionsAdded = (added: { origins?: string[] }) => {
    for (const origin of grantedSites(added.origins)) {
      enableSite(origin, undefined).catch((error) => console.warn('Loupe: could not turn on', origin, error));
    }
  };
  const onTabRemoved = (tabId: number) => void tabStore.then((store) => store.forgetTab(tabId));
  const onAlarm = (alarm: { name: string }) => {
    if (alarm.name === OUTBOX_ALARM) deliverDue();
  };
  // Each event with its listener, so that stopping removes exactly what starting added.
  type Listened = { addListener(listener: never): void; removeListener(listener: never): void };
  const listened: [Listened, unknown][] = [
    [browser.runtime.onInstalled, onInstalled],
    [browser.contextMenus.onClicked, onMenu],
    [browser.commands.onCommand, onCommand],
    [browser.alarms.onAlarm, onAlarm],
    [browser.tabs.onRemoved, onTabRemoved],
    [browser.permissions.onAdded, onPermissionsAdded],
    [browser.runtime.onStartup, deliverDue],
  ];
  for (const [event, listener] of listened) event.addListener(listener as never);
  globalThis.addEventListener('online', deliverDue);
  return () => {
    stopMessages();
    for (const [event, listener] of listened) event.removeListener(listener as never);
    globalThis.removeEventListener('online', deliverDue);
    void outbox.then((service) => service.dispose());
  };
}
