/**
 * In the page's own world (MAIN), on turned-on sites only: what a developer needs from the
 * page — console errors and warnings, uncaught exceptions and unhandled rejections, failed
 * or slow requests, History API and hash navigations — each posted to the recorder.
 *
 * Requests are described by method, URL, status and duration only: no body, header or
 * cookie is ever read. Each hook calls the original with the same `this` and arguments and
 * gives back its return value and exceptions, at the same time; Loupe's own work is
 * wrapped so that nothing of it can throw into the page, and it never runs re-entrantly.
 */
import type { NavigationVia, PageEntry } from './page-channel';

/** A request at least this slow is reported even when it succeeds. */
export const SLOW_REQUEST_MS = 3000;
/** Strings leave the page clipped to this many characters (the recorder clips them further). */
const RAW_MAX_CHARS = 1000;
/** A logged object is described by at most this many of its values. */
const DESCRIBED_VALUES_MAX = 40;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type PageWindow = Window & typeof globalThis;

const clip = (text: string) => (text.length > RAW_MAX_CHARS ? text.slice(0, RAW_MAX_CHARS) : text);
const isError = (value: unknown): value is Error =>
  typeof value === 'object' && value !== null && typeof (value as Error).stack === 'string' && typeof (value as Error).message === 'string';

/**
 * Installs the hooks on `win` and posts what they see. The page's lifetime owns them (the
 * extension has no way to reach the page's world later); the disposer is for tests.
 */
export function hookPage(win: PageWindow, post: (entry: PageEntry) => void): () => void {
  const stringify = win.JSON.stringify;
  const now = win.Date.now;
  const clock = win.performance;
  const listen = win.EventTarget.prototype.addEventListener;
  const restores: (() => void)[] = [];
  let busy = false;

  // Loupe's side of every hook: never throws, and a page listener that logs from inside it is not recorded twice.
  const report = (make: () => PageEntry | undefined) => {
    if (busy) return;
    busy = true;
    try {
      const entry = make();
      if (entry) post(entry);
    } catch {
      // The page's values can throw (getters, proxies): that entry is lost, the page is not.
    } finally {
      busy = false;
    }
  };
  const patch = (target: object | undefined, name: string, wrap: (original: AnyFunction) => AnyFunction) => {
    const owner = target as Record<string, unknown> | undefined;
    const original = owner?.[name];
    if (typeof original !== 'function') return;
    owner![name] = wrap(original as AnyFunction);
    restores.push(() => (owner![name] = original));
  };
  const describe = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (isError(value)) return `${value.name}: ${value.message}`;
    if (typeof value === 'function') return '[function]';
    if (typeof value !== 'object' || value === null) return String(value);
    let budget = DESCRIBED_VALUES_MAX;
    try {
      return stringify(value, (_key, item: unknown) => (budget-- > 0 ? (Array.isArray(item) ? item.slice(0, 10) : item) : undefined)) ?? '';
    } catch {
      return Object.prototype.toString.call(value);
    }
  };
  const problem = (source: 'exception' | 'rejection', reason: unknown, message?: string): PageEntry => ({
    kind: 'error',
    source,
    message: clip(message ?? describe(reason)),
    ...(isError(reason) && { stack: clip(reason.stack!) }),
    atMs: now(),
  });

  for (const level of ['error', 'warn'] as const) {
    patch(win.console, level, (original) =>
      function (this: unknown, ...args: unknown[]) {
        report(() => {
          const message = clip(args.map(describe).join(' '));
          const error = args.find(isError);
          const stack = error && clip(error.stack!);
          return level === 'error'
            ? { kind: 'error', source: 'console', message, ...(stack && { stack }), atMs: now() }
            : { kind: 'warning', message, ...(stack && { stack }), atMs: now() };
        });
        return original.apply(this, args);
      },
    );
  }

  // Bubbling phase on window: script errors only (a failed <img> does not bubble up to it).
  const onError = (event: Event) => report(() => problem('exception', (event as ErrorEvent).error, (event as ErrorEvent).message));
  const onRejection = (event: Event) => report(() => problem('rejection', (event as PromiseRejectionEvent).reason));
  listen.call(win, 'error', onError);
  listen.call(win, 'unhandledrejection', onRejection);
  restores.push(() => {
    win.removeEventListener('error', onError);
    win.removeEventListener('unhandledrejection', onRejection);
  });

  // Failed (network error, status >= 400) or slow requests only; `status` 0 is a network error.
  const settle = (method: string, url: string, startedMs: number, status: number) =>
    report(() => {
      const durationMs = Math.round(clock.now() - startedMs);
      if (status > 0 && status < 400 && durationMs < SLOW_REQUEST_MS) return undefined;
      return { kind: 'request', method: clip(method.toUpperCase()), url: clip(url), status, durationMs, atMs: now() };
    });

  patch(win, 'fetch', (original) =>
    function (this: unknown, ...args: unknown[]) {
      const startedMs = clock.now();
      const result = original.apply(this, args) as Promise<Response>;
      try {
        const [input, init] = args as [unknown, RequestInit | undefined];
        const request = typeof input === 'object' && input !== null && 'url' in input ? (input as Request) : undefined;
        const method = init?.method ?? request?.method ?? 'GET';
        const url = request ? request.url : String(input);
        result.then(
          // An opaque (no-cors) answer hides its status: nothing to tell.
          (response) => response.type !== 'opaque' && settle(method, url, startedMs, response.status),
          () => settle(method, url, startedMs, 0),
        );
      } catch {
        // Not a promise, or odd arguments: the page gets its result untouched.
      }
      return result;
    },
  );

  const requests = new WeakMap<object, { method: string; url: string }>();
  const xhr = win.XMLHttpRequest?.prototype;
  patch(xhr, 'open', (original) =>
    function (this: unknown, ...args: unknown[]) {
      report(() => {
        requests.set(this as object, { method: String(args[0]), url: String(args[1]) });
        return undefined;
      });
      return original.apply(this, args);
    },
  );
  patch(xhr, 'send', (original) =>
    function (this: unknown, ...args: unknown[]) {
      report(() => {
        const request = requests.get(this as object);
        if (!request) return undefined;
        const startedMs = clock.now();
        let aborted = false;
        listen.call(this, 'abort', () => (aborted = true), { once: true });
        listen.call(this, 'loadend', () => aborted || settle(request.method, request.url, startedMs, (this as XMLHttpRequest).status), { once: true });
        return undefined;
      });
      return original.apply(this, args);
    },
  );

  const navigated = (via: NavigationVia) => report(() => ({ kind: 'navigation', url: clip(win.location.href), via, atMs: now() }));
  const history = win.History?.prototype;
  for (const [name, via] of [['pushState', 'push'], ['replaceState', 'replace']] as const) {
    patch(history, name, (original) =>
      function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args); // throws (e.g. another origin's URL): nothing happened
        navigated(via);
        return result;
      },
    );
  }
  const onPop = () => navigated('pop');
  const onHash = () => navigated('hash');
  listen.call(win, 'popstate', onPop);
  listen.call(win, 'hashchange', onHash);
  restores.push(() => {
    win.removeEventListener('popstate', onPop);
    win.removeEventListener('hashchange', onHash);
  });
  navigated('load');

  return () => restores.splice(0).reverse().forEach((restore) => restore());
}
