/**
 * The recorder's side of the page-context script: takes what it posts into the context
 * log (and, through `onEntry`, into the replay), and around the panel: on open, keeps the
 * window's summary and asks for the page's own data; tells the page when the panel opens,
 * closes and has sent. Nothing else goes to the page.
 */
import { createContextLog, sanitizeEntry, type ContextEntry, type ContextSummary } from './context-log';
import { commandPage, listenToPage } from './page-channel';
import { pageDataProblem } from './page-data';

/** What the page gave when the panel opened. */
export type PageCapture = { context: ContextSummary | null; pageData: Record<string, unknown> | null };

/** The recorder's link with the page. */
export type PageLink = {
  /** The panel opened at `atMs`: keeps the summary of the `windowMs` before, reads the page's data, tells the page. */
  open(atMs: number, windowMs: number): void;
  /** The panel closed: tells the page, once per open. */
  close(): void;
  /** The report was delivered: tells the page its id. */
  sent(feedbackId: string): void;
  /** What `open` kept (nothing before the panel opened). */
  captured(): PageCapture;
  stop(): void;
};

/** The panel's host element (entrypoints/panel-host.content): it leaves the page when the panel closes. */
const PANEL_HOST = 'LOUPE-FEEDBACK';

/** Links the recorder with the page in `win`; `onEntry` gets each sanitised entry as it arrives. */
export function linkPage(win: Window, onEntry: (entry: ContextEntry) => void): PageLink {
  const log = createContextLog();
  let captured: PageCapture = { context: null, pageData: null };
  let readingData = false;
  let panelOpen = false;

  const takeData = (json: unknown) => {
    try {
      const data: unknown = typeof json === 'string' ? JSON.parse(json) : undefined;
      if (pageDataProblem(data) === undefined) captured.pageData = data as Record<string, unknown>;
    } catch {
      // Not JSON: the page wrote it, not the page script.
    }
  };
  const stopListening = listenToPage(win, (raw) => {
    // The page's data is taken only while the panel opens, never when the page offers it.
    if ((raw as { kind?: unknown } | null)?.kind === 'data') return readingData ? takeData((raw as { json?: unknown }).json) : undefined;
    const entry = sanitizeEntry(raw, win.document.baseURI, Date.now());
    if (entry && log.add(entry)) onEntry(entry);
  });
  // Closing after a report was sent tells the worker nothing: the panel leaving the page does.
  const watcher = new MutationObserver((records) => {
    if (records.some((record) => [...record.removedNodes].some((node) => node.nodeName === PANEL_HOST))) close();
  });
  const close = () => {
    watcher.disconnect();
    if (!panelOpen) return;
    panelOpen = false;
    commandPage(win, { event: 'close' });
  };

  return {
    open(atMs, windowMs) {
      captured = { context: log.summary(atMs - windowMs, atMs), pageData: null };
      panelOpen = true;
      watcher.observe(win.document.documentElement, { childList: true });
      // The page script answers within this dispatch: loupe:open first, then the data.
      readingData = true;
      try {
        commandPage(win, { event: 'open' });
      } finally {
        readingData = false;
      }
    },
    close,
    sent(feedbackId) {
      commandPage(win, { event: 'sent', feedbackId });
    },
    captured: () => captured,
    stop() {
      stopListening();
      watcher.disconnect();
    },
  };
}
