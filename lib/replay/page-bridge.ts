/**
 * The opt-in page bridge, in the page's own world (MAIN), on turned-on sites only. A page
 * that wants to help may
 * - set `window.loupe = { metadata: () => ({ plan: 'pro' }) }`, called when the panel opens;
 * - dispatch `new CustomEvent('loupe:set-data', { detail: { plan: 'pro' } })` at any time
 *   (each event's keys are merged into the previous ones; `metadata()` wins on a clash);
 * - listen to `loupe:open` and `loupe:close` (no detail) and `loupe:sent` (detail `{ feedbackId }`).
 * Data must be a plain object of JSON values, at most 2 KB serialised (lib/replay/page-data.ts);
 * anything else is refused with a console warning naming the problem. It is read only when
 * the panel opens (after `loupe:open`, so a listener can still add to it), and only then
 * leaves the page, in `metadata.pageData`.
 */
import { listenToRecorder, type PageEntry } from './page-channel';
import { pageDataProblem } from './page-data';

/** The event a page dispatches to add data to reports. */
export const SET_DATA_EVENT = 'loupe:set-data';

type PageWindow = Window & typeof globalThis & { loupe?: { metadata?: unknown } };

/** Serves the bridge on `win`; `warn` is the console's own warn (not the hooked one). Returns a disposer. */
export function serveBridge(win: PageWindow, post: (entry: PageEntry) => void, warn: (message: string) => void): () => void {
  const stringify = win.JSON.stringify;
  const Custom = win.CustomEvent;
  let data: Record<string, unknown> = {};

  const refused = (what: string, problem: string) => warn(`Loupe: ${what} refused: ${problem}.`);
  // The page's values run code (getters, proxies, toJSON): whatever they throw stays a warning.
  const merged = (value: unknown, what: string): Record<string, unknown> | undefined => {
    try {
      const problem = pageDataProblem(value) ?? pageDataProblem({ ...data, ...(value as object) });
      if (!problem) return { ...data, ...(value as object) };
      refused(what, problem);
    } catch (error) {
      refused(what, `reading it threw ${error instanceof Error ? error.name : 'an error'}`);
    }
    return undefined;
  };

  const onSetData = (event: Event) => {
    data = merged((event as CustomEvent).detail, `the detail of ${SET_DATA_EVENT}`) ?? data;
  };
  const tell = (name: string, detail?: object) => win.dispatchEvent(new Custom(`loupe:${name}`, detail && { detail }));
  const stopCommands = listenToRecorder(win, (command) => {
    if (command.event === 'close') tell('close');
    else if (command.event === 'sent') tell('sent', { feedbackId: String(command.feedbackId) });
    else if (command.event === 'open') {
      tell('open');
      let answer = data;
      try {
        const source = win.loupe;
        if (source !== undefined && source !== null) {
          if (typeof source.metadata !== 'function') refused('window.loupe', 'window.loupe.metadata must be a function');
          else answer = merged(source.metadata(), 'the value of window.loupe.metadata()') ?? data;
        }
      } catch (error) {
        refused('the value of window.loupe.metadata()', `calling it threw ${error instanceof Error ? `${error.name}: ${error.message}` : 'an error'}`);
      }
      if (Object.keys(answer).length > 0) post({ kind: 'data', json: stringify(answer) });
    }
  });
  win.addEventListener(SET_DATA_EVENT, onSetData);
  return () => {
    stopCommands();
    win.removeEventListener(SET_DATA_EVENT, onSetData);
  };
}
