/**
 * The recorder's end of the message boundary. The recorder is the one script that runs on
 * every page of a turned-on site, so it carries a byte budget (design.md): this end checks
 * its few messages by hand instead of bundling zod. The worker's end (lib/messaging/
 * protocol.ts: TAB_PROTOCOL, `replay:handoff`) still parses everything with its schemas.
 */
import { browser, type Browser } from 'wxt/browser';
import type { Segment } from '../replay/buffer';
import type { TabMessageType, TabRequest, TabResponse } from './protocol';

type Handlers = { [T in TabMessageType]: (data: TabRequest<T>) => TabResponse<T> };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

// Each message's request, checked for exactly what its handler reads.
const REQUEST_CHECKS: Record<TabMessageType, (data: Record<string, unknown>) => boolean> = {
  'recorder:freeze': (data) => typeof data.atMs === 'number' && Number.isFinite(data.atMs),
  'recorder:take': () => true,
  'recorder:context': () => true,
  'recorder:drop': () => true,
  'recorder:sent': (data) => typeof data.feedbackId === 'string' && data.feedbackId.length <= 200,
  'recorder:stop': () => true,
};

/** Answers the worker's messages, and only the worker's (our extension, not a tab); returns a disposer. */
export function handleWorkerMessages(handlers: Handlers): () => void {
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (reply: unknown) => void) => {
    if (sender.id !== browser.runtime.id || sender.tab !== undefined || !isRecord(message)) return false;
    const type = message.type as TabMessageType;
    if (typeof type !== 'string' || !Object.hasOwn(REQUEST_CHECKS, type) || !isRecord(message.data)) return false;
    if (!REQUEST_CHECKS[type](message.data)) return false;
    const handler = handlers[type] as (data: unknown) => unknown;
    sendResponse({ ok: true, data: handler(message.data) });
    return false;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** Hands the page's segments to the worker as the page goes away (`replay:handoff`). */
export function handOver(segments: Segment[]): void {
  void browser.runtime.sendMessage({ type: 'replay:handoff', data: { segments } }).catch(() => undefined);
}
