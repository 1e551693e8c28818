import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageEntry } from '@/lib/replay/page-channel';
import { hookPage, SLOW_REQUEST_MS } from '@/lib/replay/page-hooks';

/** The parts of a page's window the hooks touch, with a clock the test moves. */
function fakeWindow() {
  const clock = { nowMs: 0 };
  const location = { href: 'https://shop.example/' };
  const go = (url: string) => {
    if (url.startsWith('https://elsewhere.example')) throw new DOMException('not same origin', 'SecurityError');
    location.href = new URL(url, location.href).href;
    return 'native-result';
  };
  class History {
    pushState(_state: unknown, _title: string, url: string) {
      return go(url);
    }
    replaceState(_state: unknown, _title: string, url: string) {
      return go(url);
    }
  }
  class XMLHttpRequest extends EventTarget {
    status = 0;
    open(_method: string, _url: string) {}
    send() {}
    /** The network answers (or fails, with status 0). */
    finish(status: number, durationMs: number, type: 'loadend' | 'abort' = 'loadend') {
      clock.nowMs += durationMs;
      this.status = status;
      if (type === 'abort') this.dispatchEvent(new Event('abort'));
      this.dispatchEvent(new Event('loadend'));
    }
  }
  const win = Object.assign(new EventTarget(), {
    console: { error: vi.fn((..._args: unknown[]) => 'console-result'), warn: vi.fn() },
    fetch: vi.fn(),
    JSON,
    Date,
    EventTarget,
    performance: { now: () => clock.nowMs },
    location,
    History,
    history: new History(),
    XMLHttpRequest,
  });
  return { win, clock, page: win as unknown as Window & typeof globalThis };
}

describe('the page-context hooks', () => {
  let fake: ReturnType<typeof fakeWindow>;
  let posted: PageEntry[];
  let unhook: () => void;
  let post: (entry: PageEntry) => void;
  let originals: { error: ReturnType<typeof vi.fn>; fetch: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    fake = fakeWindow();
    originals = { error: fake.win.console.error, fetch: fake.win.fetch };
    posted = [];
    post = (entry) => posted.push(entry);
    unhook = hookPage(fake.page, (entry) => post(entry));
    posted = []; // the page's first URL is checked on its own below
  });
  afterEach(() => unhook());

  it('starts the breadcrumb trail at the URL the page loaded', () => {
    const trail: PageEntry[] = [];
    hookPage(fakeWindow().page, (entry) => trail.push(entry))();
    expect(trail).toEqual([{ kind: 'navigation', url: 'https://shop.example/', via: 'load', atMs: expect.any(Number) }]);
  });

  it('reports console errors and warnings, and the console still gets them with the same this and return value', () => {
    const { console } = fake.win;
    const original = originals.error;
    const error = new Error('boom');
    expect(fake.win.console.error('failed', { code: 42 }, error)).toBe('console-result');
    expect(original).toHaveBeenCalledWith('failed', { code: 42 }, error);
    expect(original.mock.contexts[0]).toBe(console);
    fake.win.console.warn('careful');
    expect(posted).toEqual([
      { kind: 'error', source: 'console', message: 'failed {"code":42} Error: boom', stack: error.stack, atMs: expect.any(Number) },
      { kind: 'warning', message: 'careful', atMs: expect.any(Number) },
    ]);
  });

  it('never throws into the page, whatever the page logs or the channel does', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(fake.win.console.error(hostile, 10n, Symbol('s'), () => 1)).toBe('console-result');
    post = () => {
      throw new Error('channel down');
    };
    expect(fake.win.console.error('still logged')).toBe('console-result');
  });

  it('does not report what the page logs from inside Loupe’s own work twice', () => {
    post = (entry) => {
      posted.push(entry);
      fake.win.console.error('logged by a page listener');
    };
    fake.win.console.error('first');
    expect(posted.map((entry) => (entry as { message: string }).message)).toEqual(['first']);
  });

  it('reports uncaught exceptions and unhandled rejections with their stack', () => {
    const error = new TypeError('x is undefined');
    fake.win.dispatchEvent(Object.assign(new Event('error'), { message: 'Uncaught TypeError: x is undefined', error }));
    fake.win.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: new Error('nope') }));
    fake.win.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: 'plain reason' }));
    expect(posted).toEqual([
      { kind: 'error', source: 'exception', message: 'Uncaught TypeError: x is undefined', stack: error.stack, atMs: expect.any(Number) },
      { kind: 'error', source: 'rejection', message: 'Error: nope', stack: expect.stringContaining('nope'), atMs: expect.any(Number) },
      { kind: 'error', source: 'rejection', message: 'plain reason', atMs: expect.any(Number) },
    ]);
  });

  it('reports failed and slow fetches (never their headers or bodies), and gives the page its own promise', async () => {
    const answer = (status: number, durationMs: number) => () =>
      new Promise((resolve) => {
        fake.clock.nowMs += durationMs;
        resolve({ status, type: 'basic' });
      });
    const original = originals.fetch;
    original.mockImplementationOnce(answer(404, 20));
    const headers = { Authorization: 'Bearer secret-header' };
    const pending = fake.win.fetch('/api/missing?token=abc', { method: 'post', headers, body: 'secret-body' });
    expect(pending).toBe(original.mock.results[0]!.value);
    await pending;
    original.mockImplementationOnce(answer(200, 10)); // fast and fine: not reported
    await fake.win.fetch('/api/ok');
    original.mockImplementationOnce(answer(200, SLOW_REQUEST_MS));
    await fake.win.fetch({ url: 'https://shop.example/api/slow', method: 'GET' });
    const failure = new TypeError('Failed to fetch');
    original.mockImplementationOnce(() => Promise.reject(failure));
    await expect(fake.win.fetch('https://down.example/')).rejects.toBe(failure);
    await Promise.resolve();

    expect(posted).toEqual([
      { kind: 'request', method: 'POST', url: '/api/missing?token=abc', status: 404, durationMs: 20, atMs: expect.any(Number) },
      { kind: 'request', method: 'GET', url: 'https://shop.example/api/slow', status: 200, durationMs: SLOW_REQUEST_MS, atMs: expect.any(Number) },
      { kind: 'request', method: 'GET', url: 'https://down.example/', status: 0, durationMs: 0, atMs: expect.any(Number) },
    ]);
    // The recorder redacts the URL; the hooks never read headers or bodies at all.
    expect(JSON.stringify(posted)).not.toMatch(/secret-header|secret-body/);
  });

  it('reports failed XMLHttpRequests, not aborted ones', () => {
    const failed = new fake.win.XMLHttpRequest();
    failed.open('get', '/api/orders');
    failed.send();
    failed.finish(500, 30);
    const aborted = new fake.win.XMLHttpRequest();
    aborted.open('GET', '/api/slow');
    aborted.send();
    aborted.finish(0, 5000, 'abort');
    expect(posted).toEqual([{ kind: 'request', method: 'GET', url: '/api/orders', status: 500, durationMs: 30, atMs: expect.any(Number) }]);
  });

  it('follows History API and hash navigations, keeping the page’s results and errors', () => {
    expect(fake.win.history.pushState({}, '', '/checkout')).toBe('native-result');
    fake.win.history.replaceState({}, '', '/checkout?step=2');
    expect(() => fake.win.history.pushState({}, '', 'https://elsewhere.example/')).toThrow('not same origin');
    fake.win.location.href = 'https://shop.example/checkout#help';
    fake.win.dispatchEvent(new Event('hashchange'));
    fake.win.dispatchEvent(new Event('popstate'));
    expect(posted.map((entry) => entry.kind === 'navigation' && [entry.via, entry.url])).toEqual([
      ['push', 'https://shop.example/checkout'],
      ['replace', 'https://shop.example/checkout?step=2'],
      ['hash', 'https://shop.example/checkout#help'],
      ['pop', 'https://shop.example/checkout#help'],
    ]);
  });

  it('puts everything back when disposed', () => {
    const { win } = fakeWindow();
    const originals = [win.console.error, win.console.warn, win.fetch, win.History.prototype.pushState, win.XMLHttpRequest.prototype.send];
    hookPage(win as unknown as Window & typeof globalThis, () => undefined)();
    expect([win.console.error, win.console.warn, win.fetch, win.History.prototype.pushState, win.XMLHttpRequest.prototype.send]).toEqual(originals);
  });
});
