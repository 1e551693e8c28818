/**
 * The panel host's one message to the worker, sent without the protocol module's schemas
 * (zod would double the bytes injected into the page); its type comes from that module, and
 * the worker parses it there like any other.
 */
import { browser } from 'wxt/browser';
import type { MessageRequest } from '../messaging/protocol';

/** Tells the worker that the page removed, covered or hid the panel, so the toolbar says so. */
export function reportInterference(reason: MessageRequest<'panel:interfered'>['reason']): void {
  const message: { type: 'panel:interfered'; data: MessageRequest<'panel:interfered'> } = { type: 'panel:interfered', data: { reason } };
  void browser.runtime.sendMessage(message).catch(() => undefined);
}
