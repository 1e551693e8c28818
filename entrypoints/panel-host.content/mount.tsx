import { render } from 'solid-js/web';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import Panel from '@/components/Panel';
import themeCss from '@/assets/theme.css?inline';
import panelCss from './panel.css?inline';

type Controller = { focus: () => void };

// Lives in the content script's isolated world: the page cannot see or fake it.
const OPEN_PANEL = Symbol.for('loupe.panel');
type Scope = typeof globalThis & { [OPEN_PANEL]?: Controller };

// Inline !important on the host beats any page stylesheet, even `* { all: unset !important }`.
const HOST_STYLE = [
  'all: initial',
  'position: fixed',
  'right: 16px',
  'bottom: 16px',
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
]
  .map((rule) => `${rule} !important`)
  .join(';');

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

/** Mounts the panel in a closed shadow root, or focuses the one already open. */
export function mountPanel(ctx: ContentScriptContext): void {
  const scope = globalThis as Scope;
  if (scope[OPEN_PANEL]) {
    scope[OPEN_PANEL].focus();
    return;
  }
  const host = document.createElement('loupe-feedback');
  host.setAttribute('style', HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = `${themeCss}\n${panelCss}`;
  const container = document.createElement('div');
  container.className = 'loupe-theme';
  shadow.append(style, container);

  const controller: Controller = { focus: () => undefined };
  let dispose = () => undefined as void;
  const close = () => {
    dispose();
    host.remove();
    delete scope[OPEN_PANEL];
  };

  const whileHidden = async <T,>(work: () => Promise<T>): Promise<T> => {
    host.style.setProperty('visibility', 'hidden', 'important');
    // Two frames: the hidden panel must be painted before the worker captures the tab.
    await nextFrame();
    await nextFrame();
    try {
      return await work();
    } finally {
      host.style.setProperty('visibility', 'visible', 'important');
    }
  };

  // The top layer keeps the panel above any z-index the page can set.
  host.setAttribute('popover', 'manual');
  document.documentElement.append(host);
  host.showPopover?.();
  dispose = render(
    () => <Panel whileHidden={whileHidden} onClose={close} focusRef={(focus) => (controller.focus = focus)} />,
    container,
  );
  scope[OPEN_PANEL] = controller;
  // WXT also invalidates the context when this script is injected again (to focus the
  // panel) or when the page forges that event: close only once the extension is gone.
  ctx.onInvalidated(() => {
    if (!browser.runtime?.id) close();
  });
}
