import { parseHTML } from 'linkedom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveBridge, SET_DATA_EVENT } from '@/lib/replay/page-bridge';
import { createPoster, PAGE_TO_RECORDER, type PageEntry } from '@/lib/replay/page-channel';
import { PAGE_DATA_MAX_BYTES } from '@/lib/replay/page-data';
import { linkPage, type PageLink } from '@/lib/replay/page-link';

const WINDOW_MS = 30_000;

/** A page (linkedom) with the page-context script's bridge and the recorder's link both on it, as in a tab. */
function setUp() {
  const dom = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const win = dom.window as unknown as Window & typeof globalThis & { loupe?: { metadata?: unknown } };
  Object.defineProperty(dom.document, 'baseURI', { value: 'https://shop.example/cart' });
  vi.stubGlobal('CustomEvent', dom.CustomEvent);
  vi.stubGlobal('MutationObserver', dom.MutationObserver);
  const warnings: string[] = [];
  const heard: { type: string; detail: unknown }[] = [];
  for (const type of ['loupe:open', 'loupe:close', 'loupe:sent']) {
    win.addEventListener(type, (event) => heard.push({ type, detail: (event as CustomEvent).detail ?? null }));
  }
  const post = createPoster(win);
  const stopBridge = serveBridge(win, post, (message) => warnings.push(message));
  const setData = (detail: unknown) => win.dispatchEvent(new dom.CustomEvent(SET_DATA_EVENT, { detail }));
  return { dom, win, post, warnings, heard, setData, stopBridge };
}

describe('the page bridge', () => {
  let page: ReturnType<typeof setUp>;
  let link: PageLink;

  beforeEach(() => {
    page = setUp();
    link = linkPage(page.win, () => undefined);
  });
  afterEach(() => {
    link.stop();
    page.stopBridge();
    delete page.win.loupe; // linkedom's window lends its properties to the global object
    vi.unstubAllGlobals();
  });

  it('reads nothing until the panel opens, then data from loupe:set-data and window.loupe.metadata()', () => {
    page.setData({ plan: 'pro', seats: 3 });
    page.setData({ cart: { items: 2 } });
    let calls = 0;
    page.win.loupe = { metadata: () => ({ calls: ++calls, plan: 'enterprise' }) };
    expect(calls).toBe(0);
    expect(link.captured().pageData).toBeNull();

    link.open(Date.now(), WINDOW_MS);
    // Later keys merge into earlier ones; metadata() wins on a clash.
    expect(link.captured().pageData).toEqual({ plan: 'enterprise', seats: 3, cart: { items: 2 }, calls: 1 });
    expect(page.warnings).toEqual([]);
  });

  it('tells the page first, so that a loupe:open listener can still add data', () => {
    page.win.addEventListener('loupe:open', () => page.setData({ openedWith: 'listener' }));
    link.open(Date.now(), WINDOW_MS);
    expect(page.heard).toEqual([{ type: 'loupe:open', detail: null }]);
    expect(link.captured().pageData).toEqual({ openedWith: 'listener' });
  });

  it('refuses oversized and non-JSON data with a console warning naming the problem, and keeps what was valid', () => {
    page.setData({ plan: 'pro' });
    page.setData({ big: 'x'.repeat(PAGE_DATA_MAX_BYTES) });
    page.setData({ when: new Date() });
    page.setData('not an object');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    page.win.loupe = { metadata: () => ({ callback: () => 1, cycle }) };
    link.open(Date.now(), WINDOW_MS);

    expect(link.captured().pageData).toEqual({ plan: 'pro' });
    expect(page.warnings).toEqual([
      expect.stringMatching(/^Loupe: the detail of loupe:set-data refused: it takes \d+ bytes as JSON, over the limit of 2048\.$/),
      'Loupe: the detail of loupe:set-data refused: data.when is a Date, not a plain object.',
      'Loupe: the detail of loupe:set-data refused: it must be a plain object.',
      'Loupe: the value of window.loupe.metadata() refused: data.callback is a function, not a JSON value.',
    ]);
  });

  it('survives a metadata() that throws or is not a function', () => {
    page.setData({ plan: 'pro' });
    page.win.loupe = {
      metadata: () => {
        throw new RangeError('page bug');
      },
    };
    link.open(Date.now(), WINDOW_MS);
    expect(link.captured().pageData).toEqual({ plan: 'pro' });
    page.win.loupe = { metadata: { plan: 'not a function' } };
    link.open(Date.now(), WINDOW_MS);
    expect(page.warnings).toEqual([
      'Loupe: the value of window.loupe.metadata() refused: calling it threw RangeError: page bug.',
      'Loupe: window.loupe refused: window.loupe.metadata must be a function.',
    ]);
  });

  it('ignores data the page posts on the channel itself, outside the panel opening', () => {
    page.post({ kind: 'data', json: JSON.stringify({ forged: true }) });
    link.open(Date.now(), WINDOW_MS);
    expect(link.captured().pageData).toBeNull();
  });

  it('fires loupe:close once when the panel goes, and loupe:sent with the feedback id only', () => {
    const host = page.dom.document.createElement('loupe-feedback');
    page.dom.document.documentElement.append(host);
    link.open(Date.now(), WINDOW_MS);
    link.sent('fb_123');
    link.close(); // the worker's `recorder:drop`...
    host.remove(); // ...and the panel leaving the page: one close
    link.close();
    expect(page.heard).toEqual([
      { type: 'loupe:open', detail: null },
      { type: 'loupe:sent', detail: { feedbackId: 'fb_123' } },
      { type: 'loupe:close', detail: null },
    ]);
  });

  it('fires loupe:close when the panel leaves the page after a report was sent', async () => {
    const host = page.dom.document.createElement('loupe-feedback');
    page.dom.document.documentElement.append(host);
    link.open(Date.now(), WINDOW_MS);
    host.remove();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(page.heard.map((event) => event.type)).toEqual(['loupe:open', 'loupe:close']);
  });

  it('summarises, when the panel opens, the entries the page script posted, secrets out', () => {
    const atMs = Date.now();
    page.post({ kind: 'error', source: 'console', message: 'save failed: token=abc123', atMs: atMs - 1000 });
    page.post({ kind: 'request', method: 'GET', url: '/api/x?password=p', status: 500, durationMs: 5, atMs: atMs - 500 });
    link.open(atMs, WINDOW_MS);
    expect(link.captured().context).toMatchObject({
      errors: [{ source: 'console', message: 'save failed: token=redacted' }],
      requests: [{ url: 'https://shop.example/api/x?password=redacted', status: 500 }],
      totals: { errors: 1, requests: 1 },
    });
  });
});

describe('the channel from the page script', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('holds what the page posts before the recorder listens, then hands it over in order', async () => {
    const { win } = setUp();
    const post = createPoster(win);
    const entry = (message: string): PageEntry => ({ kind: 'warning', message, atMs: Date.now() });
    post(entry('early 1'));
    post(entry('early 2'));
    const seen: string[] = [];
    win.addEventListener(PAGE_TO_RECORDER, (event) => {
      seen.push(JSON.parse((event as CustomEvent).detail).message);
      event.preventDefault();
    });
    post(entry('late'));
    expect(seen).toEqual([]); // behind the waiting ones
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(seen).toEqual(['early 1', 'early 2', 'late']);
  });
});
