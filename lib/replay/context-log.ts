/**
 * What the recorder keeps of the page's console, requests and navigations (posted by the
 * page-context script, which the page can imitate): each entry checked and sanitised as it
 * arrives — secrets out, strings clipped — the last few of each kind kept, and a summary
 * for the report's `metadata.context` bounded in bytes.
 *
 * `metadata.context` (all times in ms since the epoch, oldest entry first):
 *   errors:      [{ source: 'console' | 'exception' | 'rejection', message, stack?, atMs, reportedBy: 'page' }]
 *   requests:    [{ method, url, status (0: network error), durationMs, atMs, reportedBy: 'page' }]  failed or >= 3 s
 *   navigations: [{ url, via: 'load' | 'push' | 'replace' | 'pop' | 'hash', atMs, reportedBy: 'page' }]
 *   totals:      { errors, warnings, requests, navigations }  seen since the page loaded
 * Every entry is what the page's own world reported, which page script can forge: each says
 * so (`reportedBy: 'page'`). URLs are http(s) only: an entry naming any other scheme
 * (`javascript:`, `data:`...) is dropped, and such URLs in messages and stacks are cut out.
 */
import { redactText, redactUrl } from '../feedback/redact';
import type { NavigationVia, PageEntry } from './page-channel';

/** Strings are clipped to this many characters, once secrets are out. */
export const CONTEXT_TEXT_MAX_CHARS = 300;
/** At most this many of each kind are kept and listed, the newest. */
export const CONTEXT_LIST_MAX = 20;
/** The summary's JSON takes at most this many bytes, so that metadata stays under 10 KB. */
export const CONTEXT_MAX_BYTES = 6 * 1024;

/** Who said an entry: the page's own world (kept entries only). */
type Said = { reportedBy?: typeof REPORTED_BY_PAGE };
/** A console error, uncaught exception or unhandled rejection. */
export type ContextError = { source: 'console' | 'exception' | 'rejection'; message: string; stack?: string; atMs: number } & Said;
/** A failed or slow request. */
export type ContextRequest = { method: string; url: string; status: number; durationMs: number; atMs: number } & Said;
/** A breadcrumb: the page's URL after a load or an in-page navigation. */
export type ContextNavigation = { url: string; via: NavigationVia; atMs: number } & Said;
/** The report's `metadata.context`. */
export type ContextSummary = {
  errors: ContextError[];
  requests: ContextRequest[];
  navigations: ContextNavigation[];
  totals: { errors: number; warnings: number; requests: number; navigations: number };
};
/** An entry as kept, once checked and sanitised. */
export type ContextEntry =
  | ({ kind: 'error' } & ContextError)
  | { kind: 'warning'; message: string; stack?: string; atMs: number }
  | ({ kind: 'request' } & ContextRequest)
  | ({ kind: 'navigation' } & ContextNavigation);

const LISTS = { error: 'errors', request: 'requests', navigation: 'navigations' } as const;
const SOURCES = ['console', 'exception', 'rejection'];
const VIAS = ['load', 'push', 'replace', 'pop', 'hash'];

/** What every kept entry says of where it came from: the page's own world, which page script can imitate. */
export const REPORTED_BY_PAGE = 'page';
/** Put in place of a script or data URL found in a message or stack. */
export const URL_REMOVED = '[url removed]';
// Schemes that run or carry content rather than name a resource; a stack's own frames are http(s).
// Up to a space, a quote or an unbalanced ")" (a stack frame's own): `javascript:alert(1)` goes whole.
const SCRIPT_URL = /\b(?:javascript|vbscript|data):(?:[^\s'"()]|\([^\s'"()]*\))*/gi;

const clip = (text: string) => (text.length > CONTEXT_TEXT_MAX_CHARS ? `${text.slice(0, CONTEXT_TEXT_MAX_CHARS - 1)}…` : text);
// Cut before redacting, so a page's megabyte string costs no more than a short one.
const cleanText = (value: unknown) =>
  typeof value === 'string' ? clip(redactText(value.slice(0, 4 * CONTEXT_TEXT_MAX_CHARS).replace(SCRIPT_URL, URL_REMOVED))) : undefined;
const cleanUrl = (value: unknown, baseUrl: string) => {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value.slice(0, 8192), baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return clip(redactText(redactUrl(url.href)));
  } catch {
    return undefined;
  }
};
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * The entry checked field by field, secrets removed and strings clipped; undefined when it
 * is not one. Relative URLs resolve against `baseUrl`; a time to come is taken as now.
 */
export function sanitizeEntry(raw: unknown, baseUrl: string, nowMs: number): ContextEntry | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const entry = raw as Partial<Record<string, unknown>>;
  const atMs = Math.min(isCount(entry.atMs) ? entry.atMs : nowMs, nowMs);
  const stack = cleanText(entry.stack);
  const withStack = stack ? { stack } : {};
  const message = cleanText(entry.message);
  switch (entry.kind as PageEntry['kind']) {
    case 'error':
      if (message === undefined || !SOURCES.includes(entry.source as string)) return undefined;
      return { kind: 'error', source: entry.source as ContextError['source'], message, ...withStack, atMs };
    case 'warning':
      return message === undefined ? undefined : { kind: 'warning', message, ...withStack, atMs };
    case 'request': {
      const url = cleanUrl(entry.url, baseUrl);
      const method = cleanText(entry.method)?.slice(0, 16).toUpperCase();
      if (!url || !method || !isCount(entry.status) || !isCount(entry.durationMs)) return undefined;
      return { kind: 'request', method, url, status: Math.round(entry.status), durationMs: Math.round(entry.durationMs), atMs };
    }
    case 'navigation': {
      const url = cleanUrl(entry.url, baseUrl);
      if (!url || !VIAS.includes(entry.via as string)) return undefined;
      return { kind: 'navigation', url, via: entry.via as NavigationVia, atMs };
    }
    default:
      return undefined;
  }
}

/**
 * The rrweb custom event an entry becomes in the replay, `{ type: 5, timestamp, data: { tag, payload } }`:
 *   loupe.console     { level: 'error' | 'warn', source?: 'console' | 'exception' | 'rejection', message, stack?, atMs, reportedBy: 'page' }
 *   loupe.network     { method, url, status (0: network error), durationMs, atMs, reportedBy: 'page' }
 *   loupe.navigation  { url, via: 'load' | 'push' | 'replace' | 'pop' | 'hash', atMs, reportedBy: 'page' }
 * (`source` is absent from warnings; at most 20 such events a second, see recorder.ts.)
 */
export function replayEventOf(entry: ContextEntry): { tag: string; payload: Record<string, unknown> } {
  const { kind, ...fields } = entry;
  const payload = { ...fields, reportedBy: REPORTED_BY_PAGE };
  if (kind === 'request') return { tag: 'loupe.network', payload };
  if (kind === 'navigation') return { tag: 'loupe.navigation', payload };
  return { tag: 'loupe.console', payload: { level: kind === 'error' ? 'error' : 'warn', ...payload } };
}

const bytesOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** The last entries of each kind, and how many were seen. */
export type ContextLog = {
  /** Keeps an entry; false when it adds nothing (the URL the page was already at). */
  add(entry: ContextEntry): boolean;
  /** What happened from `fromMs` to `toMs`, at most CONTEXT_MAX_BYTES of it, newest kept. */
  summary(fromMs: number, toMs: number): ContextSummary;
};

/** Creates an empty log. */
export function createContextLog(): ContextLog {
  const lists = { errors: [] as ContextError[], requests: [] as ContextRequest[], navigations: [] as ContextNavigation[] };
  const totals = { errors: 0, warnings: 0, requests: 0, navigations: 0 };
  const keep = <T>(list: T[], item: T) => {
    if (list.push(item) > CONTEXT_LIST_MAX) list.shift();
  };

  return {
    add(entry) {
      if (entry.kind === 'navigation' && lists.navigations.at(-1)?.url === entry.url) return false;
      const { kind, ...item } = entry;
      if (kind === 'warning') {
        totals.warnings++;
      } else {
        keep<object>(lists[LISTS[kind]], { ...item, reportedBy: REPORTED_BY_PAGE });
        totals[LISTS[kind]]++;
      }
      return true;
    },
    summary(fromMs, toMs) {
      const summary: ContextSummary = { errors: [], requests: [], navigations: [], totals: { ...totals } };
      const inWindow = <T extends { atMs: number }>(list: T[]) => list.filter((item) => item.atMs >= fromMs && item.atMs <= toMs);
      // Newest first, one of each kind in turn, while they fit: a flood of one kind cannot push out the others.
      const queues = { errors: inWindow(lists.errors), requests: inWindow(lists.requests), navigations: inWindow(lists.navigations) };
      let bytes = bytesOf(summary);
      for (let added = true; added; ) {
        added = false;
        for (const key of ['errors', 'requests', 'navigations'] as const) {
          const item = queues[key].pop();
          if (!item) continue;
          const size = bytesOf(item) + 1;
          if (bytes + size > CONTEXT_MAX_BYTES) {
            queues[key] = [];
            continue;
          }
          (summary[key] as (typeof item)[]).unshift(item);
          bytes += size;
          added = true;
        }
      }
      return summary;
    },
  };
}
