/**
 * The page-context script's job, in the page's own world on a turned-on site: hook what a
 * developer needs (page-hooks.ts) and serve the page bridge (page-bridge.ts), both posting
 * to the recorder (page-channel.ts).
 */
import { serveBridge } from './page-bridge';
import { createPoster } from './page-channel';
import { hookPage } from './page-hooks';

// Turning a site off and on again injects the script into the open page a second time.
const HOOKED = Symbol.for('loupe.page-context');

/** Starts watching the page, once per page; everything lasts as long as the page. */
export function watchPage(win: Window & typeof globalThis): void {
  const scope = win as unknown as Record<symbol, boolean>;
  if (scope[HOOKED]) return;
  Object.defineProperty(scope, HOOKED, { value: true });
  // The console's own warn, taken before it is hooked: the bridge's warnings are for the developer, not the report.
  const warn = win.console.warn.bind(win.console);
  const post = createPoster(win);
  hookPage(win, post);
  serveBridge(win, post, warn);
}
