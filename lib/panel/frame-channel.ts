/**
 * The private channel between the panel page (an extension iframe) and the content script
 * that embeds it. It is a MessagePort handed over once, with a nonce the page cannot
 * know (it travels in the iframe's URL, which the page cannot read), so a page posting
 * to the iframe itself is ignored. Nothing typed into the panel ever crosses it.
 */
import type { PageContext } from '../messaging/protocol';

type Request = { id: number; type: 'hide' | 'show' | 'close' | 'page' } | { id: number; type: 'resize'; heightPx: number };
const CONNECT = 'loupe:connect';
const REQUEST_TYPES = new Set(['hide', 'show', 'close', 'page', 'resize']);

// Checked by hand rather than with zod: this runs in the content script, kept small.
function parseRequest(data: unknown): Request | undefined {
  const value = data as Partial<Record<'id' | 'type' | 'heightPx', unknown>> | null;
  if (typeof value?.id !== 'number' || typeof value.type !== 'string' || !REQUEST_TYPES.has(value.type)) return undefined;
  if (value.type === 'resize' && !(typeof value.heightPx === 'number' && value.heightPx >= 0)) return undefined;
  return value as Request;
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
    if (r.type === 'hide') reply(await handlers.hide());
    else if (r.type === 'show') reply(handlers.show());
    else if (r.type === 'close') reply(handlers.close());
    else if (r.type === 'page') reply(handlers.page());
    else if (r.type === 'resize') handlers.resize(r.heightPx);
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
  const ask = <T>(type: 'hide' | 'show' | 'close' | 'page') =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (value: unknown) => void);
      port.postMessage({ id, type });
    });
  return {
    hide: () => ask('hide'),
    show: () => ask('show'),
    close: () => ask('close'),
    page: () => ask<PageContext>('page'),
    resize: (heightPx) => port.postMessage({ id: 0, type: 'resize', heightPx }),
    onFocusRequest: (listener) => void focusListeners.push(listener),
  };
}
