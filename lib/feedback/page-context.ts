/** What the panel reports about the page it is on, read in the page's content script. */
import type { PageContext } from '../messaging/protocol';

/** Reads the page facts the panel reports (viewport, screen, language...). */
export function readPageContext(win: Window): PageContext {
  return {
    url: win.location.href,
    title: win.document.title,
    referrer: win.document.referrer,
    viewport: { width: win.innerWidth, height: win.innerHeight },
    screen: { width: win.screen.width, height: win.screen.height },
    devicePixelRatio: win.devicePixelRatio,
    language: win.navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
