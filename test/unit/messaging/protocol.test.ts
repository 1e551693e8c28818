import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMessages, MessageError, type Handlers } from '@/lib/messaging/protocol';
import { PAGE } from '../fixtures';

const page = PAGE;

function handlers(): Handlers {
  return {
    'panel:status': vi.fn(async () => ({ configured: true, outboxNearlyFull: false })),
    'capture:visible': vi.fn(async () => ({ dataUrl: 'data:image/png;base64,', rendered: false })),
    'feedback:send': vi.fn(async () => {
      throw new MessageError('Invalid data provided', { clientId: ['Unknown client ID'] });
    }),
    'outbox:list': vi.fn(async () => ({ entries: [], totalBytes: 0, maxBytes: 1 })),
    'outbox:retry': vi.fn(async () => null),
    'outbox:delete': vi.fn(async () => ({})),
    'outbox:edit': vi.fn(async () => null),
    'panel:page-context': vi.fn(async () => ({ captured: null })),
    'panel:interfered': vi.fn(async () => ({})),
    'replay:freeze': vi.fn(async () => ({ seconds: null })),
    'replay:drop': vi.fn(async () => ({})),
    'replay:handoff': vi.fn(async () => ({})),
    'sites:list': vi.fn(async () => ({ origins: [] })),
    'sites:enable': vi.fn(async () => ({})),
    'sites:disable': vi.fn(async () => ({})),
  };
}

const popupUrl = () => fakeBrowser.runtime.getURL('/popup.html');
const panelUrl = () => `${fakeBrowser.runtime.getURL('/panel.html')}#nonce`;

/** Delivers a message to the registered listener the way Chrome does, and collects the reply. */
function deliver(message: unknown, sender: object): Promise<unknown> {
  return new Promise((resolve) => {
    void (fakeBrowser.runtime.onMessage as any).trigger(message, sender, resolve);
    setTimeout(() => resolve('no reply'), 50);
  });
}

describe('the message boundary', () => {
  beforeEach(() => fakeBrowser.reset());

  it('answers a parsed message from our own content script', async () => {
    const h = handlers();
    handleMessages(h);
    const reply = await deliver({ type: 'panel:status', data: {} }, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 3, url: panelUrl() });
    expect(reply).toEqual({ ok: true, data: { configured: true, outboxNearlyFull: false } });
  });

  it('passes a handler failure on with its field issues', async () => {
    handleMessages(handlers());
    const message = { type: 'feedback:send', data: { comment: 'x', screenshots: [], page, attachReplay: false } };
    const reply = await deliver(message, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 3, url: panelUrl() });
    expect(reply).toEqual({ ok: false, error: 'Invalid data provided', issues: { clientId: ['Unknown client ID'] } });
  });

  it('drops messages from another extension, from outside a tab, of unknown type or malformed', async () => {
    const h = handlers();
    handleMessages(h);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await deliver({ type: 'capture:visible', data: {} }, { id: 'someone-else', tab: { id: 7 } });
    await deliver({ type: 'capture:visible', data: {} }, { id: fakeBrowser.runtime.id });
    // A content script (or the page) in the tab is not the panel.
    await deliver({ type: 'capture:visible', data: {} }, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 0, url: 'https://evil.example/' });
    // The popup's messages never come from a tab, even one of our own pages.
    await deliver({ type: 'outbox:list', data: {} }, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 0, url: popupUrl() });
    await deliver({ type: 'fetch', data: { url: 'https://evil.example/' } }, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 3, url: panelUrl() });
    const malformed = await deliver(
      { type: 'feedback:send', data: { comment: 'x', screenshots: ['javascript:alert(1)'], page, attachReplay: false } },
      { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 3, url: panelUrl() },
    );
    expect(malformed).toMatchObject({ ok: false });
    expect(h['capture:visible']).not.toHaveBeenCalled();
    expect(h['feedback:send']).not.toHaveBeenCalled();
    expect(h['outbox:list']).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(6);
    warn.mockRestore();
  });

  it('answers the popup only from the popup page', async () => {
    const h = handlers();
    handleMessages(h);
    const reply = await deliver({ type: 'outbox:list', data: {} }, { id: fakeBrowser.runtime.id, url: popupUrl() });
    expect(reply).toEqual({ ok: true, data: { entries: [], totalBytes: 0, maxBytes: 1 } });
  });

  it('stops listening when disposed', async () => {
    const h = handlers();
    handleMessages(h)();
    await deliver({ type: 'panel:status', data: {} }, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 3, url: panelUrl() });
    expect(h['panel:status']).not.toHaveBeenCalled();
  });

  it("takes the panel host's interference report from our content script in a tab's top frame only", async () => {
    const h = handlers();
    handleMessages(h);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const message = { type: 'panel:interfered', data: { reason: 'fighting' } };
    // The panel page itself, or a subframe, is not the panel's host.
    await deliver(message, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 3, url: panelUrl() });
    await deliver(message, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 2 });
    expect(h['panel:interfered']).not.toHaveBeenCalled();
    const reply = await deliver(message, { id: fakeBrowser.runtime.id, tab: { id: 7 }, frameId: 0 });
    expect(reply).toEqual({ ok: true, data: {} });
    expect(h['panel:interfered']).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
