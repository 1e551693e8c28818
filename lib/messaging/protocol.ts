/**
 * The one message boundary between content scripts, popup and worker: every message with
 * its zod schema. Handlers parse before acting and check the sender; nothing else
 * registers `runtime.onMessage`.
 */
import * as z from 'zod/mini';
import { SCREENSHOTS_PER_FEEDBACK } from '../api/schemas';
import { browser, type Browser } from 'wxt/browser';
import {
  fieldIssuesSchema,
  formDraftSchema,
  outboxEntrySchema,
  outcomeSchema,
  pageContextSchema,
  ratingSchema,
  recordedEventSchema,
  reportIdSchema,
  screenshotDraftSchema,
  segmentSchema,
} from './shapes';

export type { OutboxEntry, PageContext, ScreenshotDraft } from './shapes';

/** Who may send a message: the panel page framed in a tab, the recorder or the panel's host in a tab's page, or the popup. */
export type SenderKind = 'panel' | 'recorder' | 'host' | 'popup';

const originSchema = z.string().check(z.regex(/^https?:\/\/[^/]+$/));

// Entries the MAIN world reported carry `reportedBy: 'page'` (absent from an older recorder).
const reportedBy = z.optional(z.literal('page'));
/** What the recorder kept of the page when the panel opened (lib/replay/page-link.ts). */
const pageCaptureSchema = z.object({
  context: z.nullable(
    z.object({
      errors: z.array(
        z.object({
          source: z.enum(['console', 'exception', 'rejection']),
          message: z.string(),
          stack: z.optional(z.string()),
          atMs: z.number(),
          reportedBy,
        }),
      ),
      requests: z.array(z.object({ method: z.string(), url: z.string(), status: z.number(), durationMs: z.number(), atMs: z.number(), reportedBy })),
      navigations: z.array(z.object({ url: z.string(), via: z.enum(['load', 'push', 'replace', 'pop', 'hash']), atMs: z.number(), reportedBy })),
      totals: z.object({ errors: z.number(), warnings: z.number(), requests: z.number(), navigations: z.number() }),
    }),
  ),
  pageData: z.nullable(z.record(z.string(), z.unknown())),
});
/** What the page supplied when the panel opened: its context entries and its own data. */
export type PageCaptureMessage = z.infer<typeof pageCaptureSchema>;

/** Every message: who may send it, the request it carries and the data its handler answers. */
export const PROTOCOL = {
  /** Panel asks whether a Client ID is set and the outbox has room, before the user types. */
  'panel:status': {
    from: 'panel',
    request: z.object({}),
    response: z.object({ configured: z.boolean(), outboxNearlyFull: z.boolean() }),
  },
  /** Panel (hidden) asks the worker to capture the visible part of its tab. */
  'capture:visible': {
    from: 'panel',
    request: z.object({}),
    // `rendered`: drawn by html2canvas, because the tab could not be captured.
    response: z.object({ dataUrl: z.string().check(z.startsWith('data:image/png;base64,')), rendered: z.boolean() }),
  },
  /** Panel hands over a finished report: kept in the outbox, then sent. */
  'feedback:send': {
    from: 'panel',
    request: z.object({
      rating: z.optional(ratingSchema),
      comment: z.string().check(z.maxLength(100_000)),
      userEmail: z.optional(z.string().check(z.maxLength(320))),
      screenshots: z.array(screenshotDraftSchema).check(z.maxLength(SCREENSHOTS_PER_FEEDBACK)),
      page: pageContextSchema,
      /** The outbox entry this send corrects (the server refused the previous one). */
      replaces: z.optional(reportIdSchema),
      /** Send the replay frozen when the panel opened (the user may leave it out). */
      attachReplay: z.boolean(),
      /** The feedback type and the answers beyond rating, comment and email (absent from an older panel). */
      form: z.optional(formDraftSchema),
      /** Send what the page itself supplied (its data, console, requests, navigations), shown in the panel; absent: send it. */
      attachPageContext: z.optional(z.boolean()),
    }),
    response: outcomeSchema,
  },
  /** Panel asks what the page supplied when it opened (after `replay:freeze`), to show it before sending. */
  'panel:page-context': {
    from: 'panel',
    request: z.object({}),
    response: z.object({ captured: z.nullable(pageCaptureSchema) }),
  },
  /** The panel's host gave up on a page that removed, covered or hid the panel: the toolbar says so. */
  'panel:interfered': {
    from: 'host',
    request: z.object({ reason: z.enum(['removed', 'fighting']) }),
    response: z.object({}),
  },
  /** Panel opened: freeze the tab's replay window; answers how many seconds it covers (null: none). */
  'replay:freeze': {
    from: 'panel',
    request: z.object({}),
    response: z.object({ seconds: z.nullable(z.number()) }),
  },
  /** Panel closed without sending: the frozen replay is dropped. */
  'replay:drop': {
    from: 'panel',
    request: z.object({}),
    response: z.object({}),
  },
  /** The page is going away: the recorder hands its window to the worker, so the next page's replay starts here. */
  'replay:handoff': {
    from: 'recorder',
    request: z.object({ segments: z.array(segmentSchema) }),
    response: z.object({}),
  },
  /** Popup lists the sites that record replays. */
  'sites:list': {
    from: 'popup',
    request: z.object({}),
    response: z.object({ origins: z.array(z.string()) }),
  },
  /** Popup turned a site on (after the user granted access to it); `tabId` starts recording at once. */
  'sites:enable': {
    from: 'popup',
    request: z.object({ origin: originSchema, tabId: z.optional(z.number()) }),
    response: z.object({}),
  },
  /** Popup turned a site off: unregister, stop its recorders, forget what they kept. */
  'sites:disable': {
    from: 'popup',
    request: z.object({ origin: originSchema }),
    response: z.object({}),
  },
  /** Popup lists the reports waiting in the outbox. */
  'outbox:list': {
    from: 'popup',
    request: z.object({}),
    response: z.object({ entries: z.array(outboxEntrySchema), totalBytes: z.number(), maxBytes: z.number() }),
  },
  /** Popup asks to try a waiting report now. */
  'outbox:retry': {
    from: 'popup',
    request: z.object({ id: reportIdSchema }),
    response: z.nullable(outcomeSchema),
  },
  /** Popup deletes a waiting report. */
  'outbox:delete': {
    from: 'popup',
    request: z.object({ id: reportIdSchema }),
    response: z.object({}),
  },
  /** Popup corrects a report the server refused and sends it again. */
  'outbox:edit': {
    from: 'popup',
    request: z.object({
      id: reportIdSchema,
      clientId: z.string().check(z.maxLength(200)),
      rating: z.optional(ratingSchema),
      comment: z.string().check(z.maxLength(100_000)),
      userEmail: z.optional(z.string().check(z.maxLength(320))),
    }),
    response: z.nullable(outcomeSchema),
  },
} as const;

type Protocol = typeof PROTOCOL;
/** Name of a message. */
export type MessageType = keyof Protocol;
/** What a sender passes for message `T`. */
export type MessageRequest<T extends MessageType> = z.infer<Protocol[T]['request']>;
/** What the handler of message `T` answers on success. */
export type MessageResponse<T extends MessageType> = z.infer<Protocol[T]['response']>;

/** A handled failure: words for the user and, for a 400, the failing fields. */
export class MessageError extends Error {
  constructor(
    message: string,
    readonly issues?: Record<string, string[]>,
  ) {
    super(message);
  }
}

const envelopeSchema = z.object({ type: z.string(), data: z.unknown() });
const replySchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string(), issues: z.optional(fieldIssuesSchema) }),
]);
type Reply = z.infer<typeof replySchema>;

/** Sends message `T` to the worker; resolves with its parsed answer or throws MessageError. */
export async function sendMessage<T extends MessageType>(
  type: T,
  data: MessageRequest<T>,
): Promise<MessageResponse<T>> {
  const reply = replySchema.safeParse(await browser.runtime.sendMessage({ type, data }));
  if (!reply.success) throw new MessageError('Loupe could not talk to its background worker.');
  if (!reply.data.ok) throw new MessageError(reply.data.error, reply.data.issues);
  return PROTOCOL[type].response.parse(reply.data.data) as MessageResponse<T>;
}

type Sender = Browser.runtime.MessageSender;
/** A handler gets the parsed request and the checked sender. */
export type Handlers = {
  [T in MessageType]: (data: MessageRequest<T>, sender: Sender) => Promise<MessageResponse<T>>;
};

/** The page of ours a sender runs, e.g. `/panel.html`, or undefined for web pages and content scripts. */
function ownPage(sender: Sender): string | undefined {
  if (!sender.url) return undefined;
  const url = new URL(sender.url);
  // With use_dynamic_url the panel's host is a per-session id, not the extension id.
  return url.protocol === new URL(browser.runtime.getURL('/')).protocol ? url.pathname : undefined;
}

/**
 * Whether a message comes from where it may: panel messages from our panel page framed
 * in a tab, recorder messages from our content script in a tab's top frame, popup
 * messages from our popup page (never from inside a tab).
 */
function isExpectedSender(kind: SenderKind, sender: Sender): boolean {
  if (sender.id !== browser.runtime.id) return false;
  if (kind === 'panel') return sender.tab?.id !== undefined && ownPage(sender) === '/panel.html';
  // The panel's host is injected into the top frame only, like the recorder.
  if (kind === 'recorder' || kind === 'host') return sender.tab?.id !== undefined && sender.frameId === 0 && ownPage(sender) === undefined;
  return sender.tab === undefined && ownPage(sender) === '/popup.html';
}

/** Routes every message to its handler after parsing it and checking its sender; returns a disposer. */
export function handleMessages(handlers: Handlers): () => void {
  const listener = (message: unknown, sender: Sender, sendResponse: (reply: Reply) => void) => {
    const envelope = envelopeSchema.safeParse(message);
    if (!envelope.success || !Object.hasOwn(PROTOCOL, envelope.data.type)) {
      console.warn('Loupe: dropped an unknown message', message);
      return false;
    }
    const type = envelope.data.type as MessageType;
    if (!isExpectedSender(PROTOCOL[type].from, sender)) {
      console.warn('Loupe: dropped a message from an unexpected sender', type, sender);
      return false;
    }
    const request = PROTOCOL[type].request.safeParse(envelope.data.data);
    if (!request.success) {
      console.warn('Loupe: dropped a malformed message', type, request.error.issues);
      sendResponse({ ok: false, error: `Malformed "${type}" message.` });
      return false;
    }
    const handler = handlers[type] as (data: unknown, sender: Sender) => Promise<unknown>;
    handler(request.data, sender).then(
      (data) => sendResponse({ ok: true, data }),
      (error: unknown) =>
        sendResponse(
          error instanceof MessageError
            ? { ok: false, error: error.message, issues: error.issues }
            : { ok: false, error: error instanceof Error ? error.message : String(error) },
        ),
    );
    return true; // keeps the channel open for the async answer
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** Messages the worker sends to the recorder in one tab, and what each answers. */
export const TAB_PROTOCOL = {
  /** The panel opened at `atMs`: keep the window that ends there. */
  'recorder:freeze': {
    request: z.object({ atMs: z.number() }),
    response: z.object({ firstEventMs: z.nullable(z.number()) }),
  },
  /** The frozen window's events, to be sent. */
  'recorder:take': {
    request: z.object({}),
    response: z.object({ events: z.array(recordedEventSchema), frozenAtMs: z.number() }),
  },
  /** The panel closed without sending (the page hears `loupe:close`). */
  'recorder:drop': { request: z.object({}), response: z.object({}) },
  /**
   * What the recorder kept of the page when the panel opened (lib/replay/context-log.ts):
   * its console errors, failed or slow requests and navigations, and the page's own data.
   */
  'recorder:context': {
    request: z.object({}),
    response: pageCaptureSchema,
  },
  /** The report was delivered: the page hears `loupe:sent` with its id. */
  'recorder:sent': { request: z.object({ feedbackId: z.string().check(z.maxLength(200)) }), response: z.object({}) },
  /** The site was turned off: stop and forget. */
  'recorder:stop': { request: z.object({}), response: z.object({}) },
} as const;

type TabProtocol = typeof TAB_PROTOCOL;
/** Name of a worker-to-recorder message. */
export type TabMessageType = keyof TabProtocol;
/** What the worker passes to the recorder for message `T`. */
export type TabRequest<T extends TabMessageType> = z.infer<TabProtocol[T]['request']>;
/** What the recorder answers to message `T`. */
export type TabResponse<T extends TabMessageType> = z.infer<TabProtocol[T]['response']>;

/** Worker side: sends message `T` to the recorder in a tab's top frame; undefined when none answers. */
export async function sendToTab<T extends TabMessageType>(
  tabId: number,
  type: T,
  data: TabRequest<T>,
): Promise<TabResponse<T> | undefined> {
  let raw: unknown;
  try {
    raw = await browser.tabs.sendMessage(tabId, { type, data }, { frameId: 0 });
  } catch {
    return undefined; // no recorder in that tab (site not turned on, or page not ready)
  }
  const reply = replySchema.safeParse(raw);
  if (!reply.success || !reply.data.ok) return undefined;
  const parsed = TAB_PROTOCOL[type].response.safeParse(reply.data.data);
  return parsed.success ? (parsed.data as TabResponse<T>) : undefined;
}
