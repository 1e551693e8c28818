import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { readPageContext } from '@/lib/feedback/page-context';
import { serveFrame } from '@/lib/panel/frame-channel';

type Controller = { focus: () => void };

// Lives in the content script's isolated world: the page cannot see or fake it.
const OPEN_PANEL = Symbol.for('loupe.panel');
type Scope = typeof globalThis & { [OPEN_PANEL]?: Controller };

const PANEL_WIDTH_PX = 360;
const PANEL_MARGIN_PX = 16;

// Inline !important on the host beats any page stylesheet, even `* { all: unset !important }`.
const important = (rules: string[]) => rules.map((rule) => `${rule} !important`).join(';');
const HOST_STYLE = important([
  'all: initial',
  'position: fixed',
  `right: ${PANEL_MARGIN_PX}px`,
  `bottom: ${PANEL_MARGIN_PX}px`,
  'top: auto',
  'left: auto',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'width: auto',
  'height: auto',
  'overflow: visible',
  'background: transparent',
  'z-index: 2147483647',
  'pointer-events: auto',
  'display: block',
  'visibility: visible',
  'opacity: 1',
  'transform: none',
  'filter: none',
  'clip-path: none',
]);
const FRAME_STYLE = `
  iframe {
    all: initial; display: block; visibility: inherit; border: 0; margin: 0; padding: 0;
    width: ${PANEL_WIDTH_PX}px; max-width: calc(100vw - ${2 * PANEL_MARGIN_PX}px);
    height: 120px; max-height: calc(100vh - ${2 * PANEL_MARGIN_PX}px);
    border-radius: 14px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.28); color-scheme: normal;
  }`;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

/**
 * Mounts the panel, or focuses the one already open. The panel itself is an extension page
 * in an iframe (inside a closed shadow root): the page can neither style it nor see a
 * single key the user types in it.
 */
export function mountPanelHost(ctx: ContentScriptContext): void {
  const scope = globalThis as Scope;
  if (scope[OPEN_PANEL]) {
    scope[OPEN_PANEL].focus();
    return;
  }
  const host = document.createElement('loupe-feedback');
  host.setAttribute('style', HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = FRAME_STYLE;
  const frame = document.createElement('iframe');
  const nonce = crypto.randomUUID();
  frame.src = `${browser.runtime.getURL('/panel.html')}#${nonce}`;
  frame.title = 'Loupe feedback';
  frame.setAttribute('allow', '');
  shadow.append(style, frame);

  const close = () => {
    host.remove();
    delete scope[OPEN_PANEL];
  };
  // The frame is loaded through a per-session dynamic URL, but its document has the
  // extension's own origin (that of a page that is not web accessible, e.g. the popup).
  const frameOrigin = new URL(browser.runtime.getURL('/popup.html')).origin;
  const channel = serveFrame(frame, nonce, frameOrigin, {
    async hide() {
      host.style.setProperty('visibility', 'hidden', 'important');
      // Two frames: the hidden panel must be painted before the worker captures the tab.
      await nextFrame();
      await nextFrame();
    },
    show: () => host.style.setProperty('visibility', 'visible', 'important'),
    close,
    page: () => readPageContext(window),
    resize: (heightPx) => frame.style.setProperty('height', `${Math.ceil(heightPx)}px`),
  });
  const focus = () => {
    frame.focus();
    channel.focus();
  };

  // The top layer keeps the panel above any z-index the page can set.
  host.setAttribute('popover', 'manual');
  document.documentElement.append(host);
  host.showPopover?.();
  frame.addEventListener('load', focus, { once: true });
  scope[OPEN_PANEL] = { focus };
  // WXT also invalidates the context when this script is injected again (to focus the
  // panel) or when the page forges that event: close only once the extension is gone.
  ctx.onInvalidated(() => {
    if (!browser.runtime?.id) close();
  });
}
