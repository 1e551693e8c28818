import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { pickElement, pickRegion } from '@/lib/capture/page-picker';
import { startPageScroller, type PageScroller } from '@/lib/capture/page-scroller';
import { readPageContext } from '@/lib/feedback/page-context';
import { serveFrame, type FrameLayout } from '@/lib/panel/frame-channel';
import { guardHost, type GiveUpReason } from '@/lib/panel/host-guard';
import { reportInterference } from '@/lib/panel/report-interference';
import { loadPanelSide, type PanelSide } from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';

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
// While the screenshot editor is open the frame fills the viewport, less the margin.
const EDITOR_HOST_STYLE = { top: `${PANEL_MARGIN_PX}px`, left: `${PANEL_MARGIN_PX}px`, right: `${PANEL_MARGIN_PX}px` };
/** Where the host sits: in the bottom corner of the configured side, or over the viewport for the editor. */
function hostPlace(side: PanelSide, layout: FrameLayout): Record<'top' | 'left' | 'right', string> {
  if (layout === 'editor') return EDITOR_HOST_STYLE;
  const margin = `${PANEL_MARGIN_PX}px`;
  return { top: 'auto', left: side === 'left' ? margin : 'auto', right: side === 'right' ? margin : 'auto' };
}
const EDITOR_FRAME_SIZE = { width: `calc(100vw - ${2 * PANEL_MARGIN_PX}px)`, height: `calc(100vh - ${2 * PANEL_MARGIN_PX}px)` };
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
  // The host's whole style attribute, rebuilt on each change: the guard puts back exactly this.
  const overrides = new Map<string, string>();
  const hostStyle = () => [HOST_STYLE, ...[...overrides].map(([name, value]) => `${name}: ${value} !important`)].join(';');
  const setHostStyle = (changes: Record<string, string>) => {
    for (const [name, value] of Object.entries(changes)) overrides.set(name, value);
    host.setAttribute('style', hostStyle());
  };
  host.setAttribute('style', hostStyle());
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = FRAME_STYLE;
  const frame = document.createElement('iframe');
  const nonce = crypto.randomUUID();
  frame.src = `${browser.runtime.getURL('/panel.html')}#${nonce}`;
  frame.title = 'Loupe feedback';
  frame.setAttribute('allow', '');
  shadow.append(style, frame);

  let scroller: PageScroller | undefined;
  let stopGuard = () => {};
  const close = () => {
    stopGuard();
    scroller?.finish(); // closed mid full-page capture: the page gets its scroll position back
    host.remove();
    delete scope[OPEN_PANEL];
  };
  // The page removed the panel, or kept covering or hiding it: closed, and the toolbar says why.
  const giveUp = (reason: GiveUpReason) => {
    close();
    reportInterference(reason);
  };
  // The frame is loaded through a per-session dynamic URL, but its document has the
  // extension's own origin (that of a page that is not web accessible, e.g. the popup).
  const frameOrigin = new URL(browser.runtime.getURL('/popup.html')).origin;
  const hide = async () => {
    setHostStyle({ visibility: 'hidden' });
    // Two frames: the hidden panel (or a picker just closed) must be painted before the worker captures the tab.
    await nextFrame();
    await nextFrame();
  };
  let panelHeight = '120px';
  let layout: FrameLayout = 'panel';
  let side: PanelSide = 'right';
  const place = () => {
    setHostStyle(hostPlace(side, layout));
  };
  // Read while the frame loads: the panel is still blank when it moves to the configured side.
  void loadPanelSide().then(
    (configured) => {
      side = configured;
      place();
    },
    () => undefined, // unreadable settings: the default side
  );
  const channel = serveFrame(frame, nonce, frameOrigin, {
    hide,
    show: () => setHostStyle({ visibility: 'visible' }),
    close,
    page: () => readPageContext(window),
    resize(heightPx) {
      panelHeight = `${Math.ceil(heightPx)}px`;
      if (layout === 'panel') frame.style.setProperty('height', panelHeight);
    },
    layout(next) {
      layout = next;
      const editor = next === 'editor';
      place();
      frame.style.setProperty('width', editor ? EDITOR_FRAME_SIZE.width : '');
      frame.style.setProperty('max-width', editor ? 'none' : '');
      frame.style.setProperty('height', editor ? EDITOR_FRAME_SIZE.height : panelHeight);
    },
    pickRegion: async () => (await hide(), pickRegion(shadow, STRINGS.pickRegionHint)),
    pickElement: async () => (await hide(), pickElement(shadow, STRINGS.pickElementHint)),
    async scroll(step) {
      if (step.step === 'begin') {
        scroller?.finish();
        scroller = startPageScroller(host);
        return scroller.extent;
      }
      if (step.step === 'scroll') return scroller?.scrollTo(step.y, step.hideFixed) ?? window.scrollY;
      scroller?.finish();
      scroller = undefined;
      return undefined;
    },
  });
  const focus = () => {
    frame.focus();
    channel.focus();
  };

  // The top layer keeps the panel above any z-index the page can set.
  host.setAttribute('popover', 'manual');
  document.documentElement.append(host);
  host.showPopover();
  stopGuard = guardHost({
    host,
    frame,
    style: hostStyle,
    shown: () => overrides.get('visibility') !== 'hidden',
    onGiveUp: giveUp,
  });
  frame.addEventListener('load', focus, { once: true });
  scope[OPEN_PANEL] = { focus };
  // WXT also invalidates the context when this script is injected again (to focus the
  // panel) or when the page forges that event: close only once the extension is gone.
  ctx.onInvalidated(() => {
    if (!browser.runtime?.id) close();
  });
}
