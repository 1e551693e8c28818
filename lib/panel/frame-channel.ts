/**
 * The private channel between the panel page (an extension iframe) and the content script
 * that embeds it. It is a MessagePort handed over once, with a nonce the page cannot
 * know (it travels in the iframe's URL, which the page cannot read), so a page posting
 * to the iframe itself is ignored. Nothing typed into the panel ever crosses it.
 */
import type { PickedElement, ViewportRect } from '../capture/page-picker';
import type { PageExtent } from '../capture/page-scroller';
import type { PageContext } from '../messaging/protocol';

/** How the panel's frame sits on the page: the form in a corner, or the screenshot editor filling the viewport. */
export type FrameLayout = 'panel' | 'editor';
/** One step of a full-page capture, run by the page. */
export type ScrollStep = { step: 'begin' } | { step: 'scroll'; y: number; hideFixed: boolean } | { step: 'end' };

type Request =
  | { id: number; type: 'hide' | 'show' | 'close' | 'page' | 'pickRegion' | 'pickElement' }
  | { id: number; type: 'resize'; heightPx: number }
  | { id: number; type: 'layout'; layout: FrameLayout }
  | ({ id: number; type: 'scroll' } & ScrollStep);
const CONNECT = 'loupe:connect';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
// Each request, checked for exactly what its handler reads.
const REQUEST_CHECKS: Record<Request['type'], (value: Record<string, unknown>) => boolean> = {
  hide: () => true,
  show: () => true,
  close: () => true,
  page: () => true,
  pickRegion: () => true,
  pickElement: () => true,
  resize: (value) => isNumber(value.heightPx) && value.heightPx >= 0,
  layout: (value) => value.layout === 'panel' || value.layout === 'editor',
  scroll: (value) =>
    value.step === 'begin' || value.step === 'end' || (value.step === 'scroll' && isNumber(value.y) && typeof value.hideFixed === 'boolean'),
};

// Checked by hand rather than with zod: this runs in the content script, kept small.
function parseRequest(data: unknown): Request | undefined {
  const value = data as Record<string, unknown> | null;
  if (typeof value?.id !== 'number' || typeof value.type !== 'string' || !Object.hasOwn(REQUEST_CHECKS, value.type)) return undefined;
  return REQUEST_CHECKS[value.type as Request['type']](value) ? (value as Request) : undefined;
}

/** What the panel can ask of the page it sits on. */
export type HostEnd = {
  /** Hides the panel and resolves once the page has been painted without it. */
  hide(): Promise<void>;
  show(): Promise<void>;
  close(): Promise<void>;
  /** The page's URL, title, viewport... read by the content script. */
  page(): Promise<PageContext>;
  resize(heightPx: number): void;
  layout(layout: FrameLayout): Promise<void>;
  /** The page dims and the user drags a box; null when they press Escape. */
  pickRegion(): Promise<ViewportRect | null>;
  /** The user points at an element and clicks it; null when they press Escape. */
  pickElement(): Promise<PickedElement | null>;
  /** Full-page capture: `begin` answers the page's extent, `scroll` where the page really scrolled to. */
  scroll(step: { step: 'begin' }): Promise<PageExtent>;
  scroll(step: { step: 'scroll'; y: number; hideFixed: boolean }): Promise<number>;
  scroll(step: { step: 'end' }): Promise<void>;
  /** Called when the user opens the panel again while it is open. */
  onFocusRequest(listener: () => void): void;
};

/** What the content script does for the panel. */
export type HostHandlers = {
  hide(): Promise<void>;
  show(): void;
  close(): void;
  page(): PageContext;
  resize(heightPx: number): void;
  layout(layout: FrameLayout): void;
  pickRegion(): Promise<ViewportRect | null>;
  pickElement(): Promise<PickedElement | null>;
  scroll(step: ScrollStep): Promise<PageExtent | number | undefined>;
};

/**
 * Content-script side: hands the iframe (whose document has `frameOrigin`) a port and
 * answers its requests; returns `focus()`.
 */
export function serveFrame(
  frame: HTMLIFrameElement,
  nonce: string,
  frameOrigin: string,
  handlers: HostHandlers,
): { focus(): void } {
  let port: MessagePort | undefined;
  const answer = async (event: MessageEvent) => {
    const r = parseRequest(event.data);
    if (!r) return;
    const reply = (value?: unknown) => (event.target as MessagePort).postMessage({ id: r.id, value });
    if (r.type === 'resize') handlers.resize(r.heightPx);
    else if (r.type === 'layout') reply(handlers.layout(r.layout));
    else if (r.type === 'scroll') reply(await handlers.scroll(r));
    else reply(await handlers[r.type]());
  };
  // A fresh channel on every load: the first load event can be the frame's initial empty
  // document, and a port posted there is lost with it.
  frame.addEventListener('load', () => {
    const channel = new MessageChannel();
    channel.port1.onmessage = answer;
    port = channel.port1;
    // Only to our own origin: were the page to navigate the frame away, its document gets nothing.
    frame.contentWindow?.postMessage({ type: CONNECT, nonce }, frameOrigin, [channel.port2]);
  });
  return { focus: () => port?.postMessage({ type: 'focus' }) };
}

/** Panel side: waits for the content script's port (checked against this frame's nonce). */
export function connectToHost(nonce: string): Promise<HostEnd> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; nonce?: unknown } | null;
      if (data?.type !== CONNECT || data.nonce !== nonce || !event.ports[0]) return;
      window.removeEventListener('message', onMessage);
      resolve(panelEnd(event.ports[0]));
    };
    window.addEventListener('message', onMessage);
  });
}

function panelEnd(port: MessagePort): HostEnd {
  let nextId = 1;
  const waiting = new Map<number, (value: unknown) => void>();
  const focusListeners: (() => void)[] = [];
  port.onmessage = (event) => {
    const data = event.data as { id?: number; type?: string; value?: unknown };
    if (data.type === 'focus') {
      for (const listener of focusListeners) listener();
    } else if (data.id !== undefined) {
      waiting.get(data.id)?.(data.value);
      waiting.delete(data.id);
    }
  };
  const ask = <T>(type: Exclude<Request['type'], 'resize'>, fields: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (value: unknown) => void);
      port.postMessage({ ...fields, id, type });
    });
  return {
    hide: () => ask('hide'),
    show: () => ask('show'),
    close: () => ask('close'),
    page: () => ask<PageContext>('page'),
    resize: (heightPx) => port.postMessage({ id: 0, type: 'resize', heightPx }),
    layout: (layout) => ask('layout', { layout }),
    pickRegion: () => ask('pickRegion'),
    pickElement: () => ask('pickElement'),
    scroll: ((step: ScrollStep) => ask('scroll', step)) as HostEnd['scroll'],
    onFocusRequest: (listener) => void focusListeners.push(listener),
  };
}
