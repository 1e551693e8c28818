/**
 * The channel between the page-context script, which runs in the page's own world (MAIN)
 * to see its console, requests and History API calls, and the recorder in the isolated
 * world. Both worlds share only the DOM, so each message is a CustomEvent on `window`
 * carrying a JSON string (objects do not cross worlds; strings do, in Chrome and Firefox).
 *
 * The page can see and forge these events. Forging is no worse than the page logging
 * whatever it likes, so the recorder sanitises every entry as if the page wrote it; and
 * what goes the other way is only what the page is told anyway (panel open, closed, sent
 * with its feedbackId).
 */

/** Page-context script → recorder: one `PageEntry` per event. */
export const PAGE_TO_RECORDER = 'loupe-page-context';
/** Recorder → page-context script: one `PageCommand` per event. */
export const RECORDER_TO_PAGE = 'loupe-page-command';

/** How the page got to a URL. */
export type NavigationVia = 'load' | 'push' | 'replace' | 'pop' | 'hash';

/** What the page-context script reports. `data` answers `open` with the page's own data (JSON text). */
export type PageEntry =
  | { kind: 'error'; source: 'console' | 'exception' | 'rejection'; message: string; stack?: string; atMs: number }
  | { kind: 'warning'; message: string; stack?: string; atMs: number }
  | { kind: 'request'; method: string; url: string; status: number; durationMs: number; atMs: number }
  | { kind: 'navigation'; url: string; via: NavigationVia; atMs: number }
  | { kind: 'data'; json: string };

/** What the recorder asks the page-context script to tell the page. */
export type PageCommand = { event: 'open' | 'close' } | { event: 'sent'; feedbackId: string };

/** Entries posted while no recorder listens (before it starts) wait, at most this many... */
const PENDING_MAX = 50;
/** ...and are offered again this often... */
const RETRY_MS = 250;
/** ...this many times at most (30 s): a page whose recorder never comes (replays off) stops keeping them. */
const RETRIES_MAX = 120;

/**
 * Page side: returns `post(entry)`. The recorder cancels each event it takes; one nobody
 * took waits (the recorder starts at document_idle, after the page's first errors) and is
 * offered again, in order, until the recorder is there or the retries run out.
 */
export function createPoster(win: Window & typeof globalThis): (entry: PageEntry) => void {
  // Taken now, at document_start, before the page can replace them.
  const dispatch = win.dispatchEvent.bind(win);
  const Custom = win.CustomEvent;
  const stringify = win.JSON.stringify;
  const setTimer = win.setTimeout.bind(win);
  const pending: string[] = [];
  let retries = 0;
  let timer = false;

  const offer = (json: string) => !dispatch(new Custom(PAGE_TO_RECORDER, { detail: json, cancelable: true }));
  const flush = () => {
    timer = false;
    while (pending.length > 0 && offer(pending[0]!)) pending.shift();
    if (pending.length === 0) return;
    if (++retries < RETRIES_MAX) schedule();
    else pending.length = 0;
  };
  const schedule = () => {
    if (timer) return;
    timer = true;
    setTimer(flush, RETRY_MS);
  };

  return (entry) => {
    const json = stringify(entry);
    // Behind waiting entries, a new one waits too: the recorder gets them in order.
    if (pending.length === 0 && offer(json)) return;
    if (retries >= RETRIES_MAX) return;
    if (pending.push(json) > PENDING_MAX) pending.shift();
    schedule();
  };
}

/** Page side: calls `onCommand` for each command the recorder sends; returns a disposer. */
export function listenToRecorder(win: Window & typeof globalThis, onCommand: (command: PageCommand) => void): () => void {
  const parse = win.JSON.parse;
  const listener = (event: Event) => {
    const detail: unknown = (event as CustomEvent).detail;
    let command: PageCommand;
    try {
      command = parse(detail as string);
    } catch {
      return;
    }
    onCommand(command);
  };
  win.addEventListener(RECORDER_TO_PAGE, listener);
  return () => win.removeEventListener(RECORDER_TO_PAGE, listener);
}

/** The most a recorder takes from one event (the page script clips its strings well below). */
const ENTRY_MAX_CHARS = 16_384;

/**
 * Recorder side: calls `onEntry` with each parsed entry (not yet checked: the page may
 * forge them) and takes the event, so the page script stops offering it; returns a disposer.
 */
export function listenToPage(win: Window, onEntry: (entry: unknown) => void): () => void {
  const listener = (event: Event) => {
    const detail: unknown = (event as CustomEvent).detail;
    if (typeof detail !== 'string' || detail.length > ENTRY_MAX_CHARS) return;
    let entry: unknown;
    try {
      entry = JSON.parse(detail);
    } catch {
      return;
    }
    event.preventDefault();
    onEntry(entry);
  };
  win.addEventListener(PAGE_TO_RECORDER, listener);
  return () => win.removeEventListener(PAGE_TO_RECORDER, listener);
}

/** Recorder side: asks the page script to tell the page something. */
export function commandPage(win: Window, command: PageCommand): void {
  win.dispatchEvent(new CustomEvent(RECORDER_TO_PAGE, { detail: JSON.stringify(command) }));
}
