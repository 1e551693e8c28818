/**
 * The entries of the report page's timeline tabs, on the replay's clock: console and network
 * entries from the report's `metadata.context` and the recording's `loupe.*` custom events
 * (lib/replay/context-log.ts documents both), repro steps from the recording, and the facts
 * for the Info tab. Everything here is page-reported JSON: each field is checked before use.
 */
import { displayUrl, reproSteps, type ReproStep } from './repro-steps.ts';
import { INBOX_STRINGS } from './strings.ts';

const S = INBOX_STRINGS.timeline;

/** The tabs with entries on the timeline. */
export type EntryTab = 'console' | 'network' | 'steps';

/** One row of a tab. */
export interface TimelineEntry {
  tab: EntryTab;
  /** Milliseconds since the epoch. */
  atMs: number;
  /** Where it is in the replay (ms since its first event); undefined without a replay or outside it. */
  offsetMs: number | undefined;
  /** A console error, or a request that failed or answered 4xx/5xx. */
  error: boolean;
  /** A short kind: "Error", "GET 404", "3". */
  badge: string;
  text: string;
  /** A stack, or a request's duration. */
  detail?: string;
}

/** Every tab's content. */
export interface Timeline {
  console: TimelineEntry[];
  network: TimelineEntry[];
  steps: TimelineEntry[];
  /** The Info tab's label/value rows. */
  info: [string, string][];
  /** The steps as found, for "Copy as GitHub issue". */
  reproSteps: ReproStep[];
}

/** The recording, when there is one. */
export interface Recording {
  events: readonly unknown[];
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.map(record).filter((x) => x !== undefined) : []);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined);

type Raw = Omit<TimelineEntry, 'offsetMs'> & { key: string };

function consoleEntry(raw: Record<string, unknown>, atMs: number, level: unknown): Raw | undefined {
  const message = text(raw.message);
  if (message === undefined) return undefined;
  const source = text(raw.source);
  const error = level === 'error' || (level === undefined && source !== undefined);
  const badge = !error ? S.console.warning : source === 'exception' ? S.console.exception : source === 'rejection' ? S.console.rejection : S.console.error;
  const stack = text(raw.stack);
  return { tab: 'console', atMs, error, badge, text: message, ...(stack && { detail: stack }), key: `console|${error}|${atMs}|${message}` };
}

function networkEntry(raw: Record<string, unknown>, atMs: number): Raw | undefined {
  const url = displayUrl(raw.url);
  const method = text(raw.method)?.slice(0, 16).toUpperCase();
  const status = count(raw.status);
  if (!url || !method || status === undefined) return undefined;
  const duration = count(raw.durationMs);
  return {
    tab: 'network',
    atMs,
    error: status === 0 || status >= 400,
    badge: `${method} ${status === 0 ? S.failed : status}`,
    text: url,
    ...(duration !== undefined && { detail: S.durationMs(duration) }),
    key: `network|${method}|${status}|${atMs}|${url}`,
  };
}

/** The text of one step, as the Steps tab and the GitHub issue say it. */
export function stepText(step: ReproStep): string {
  return 'url' in step ? S.step[step.kind](step.url) : S.step[step.kind](step.label);
}

function infoRows(metadata: Record<string, unknown>, context: Record<string, unknown> | undefined): [string, string][] {
  const rows: [string, string][] = [];
  const size = (value: unknown) => {
    const box = record(value);
    return box && count(box.width) !== undefined && count(box.height) !== undefined ? `${count(box.width)} × ${count(box.height)}` : undefined;
  };
  for (const key of Object.keys(S.info) as (keyof typeof S.info)[]) {
    if (key === 'totals') continue;
    const value = key === 'viewport' || key === 'screen' ? size(metadata[key]) : typeof metadata[key] === 'number' ? String(metadata[key]) : text(metadata[key]);
    if (value) rows.push([S.info[key], value]);
  }
  const totals = record(context?.totals);
  if (totals) {
    const [errors, warnings, requests, navigations] = [totals.errors, totals.warnings, totals.requests, totals.navigations].map((n) => count(n) ?? 0);
    rows.push([S.info.totals, S.totals({ errors: errors!, warnings: warnings!, requests: requests!, navigations: navigations! })]);
  }
  return rows;
}

/**
 * The timeline of a report: from `metadata.context` alone, or with its recording, which adds
 * the steps it shows and its own console and network events (the same entry once).
 */
export function buildTimeline(metadata: unknown, recording?: Recording): Timeline {
  const meta = record(metadata) ?? {};
  const context = record(meta.context);
  const raws: (Raw | undefined)[] = [];
  for (const error of list(context?.errors)) {
    if (isTime(error.atMs)) raws.push(consoleEntry(error, error.atMs, 'error'));
  }
  for (const request of list(context?.requests)) {
    if (isTime(request.atMs)) raws.push(networkEntry(request, request.atMs));
  }
  const events = (recording?.events ?? []).map(record).filter((event) => event !== undefined && isTime(event.timestamp)) as Record<string, unknown>[];
  for (const event of events) {
    const data = record(event.data);
    const payload = record(data?.payload);
    if (event.type !== 5 || !payload) continue;
    // When the page saw it: an entry logged before the recorder started is added later.
    const atMs = isTime(payload.atMs) ? payload.atMs : (event.timestamp as number);
    if (data!.tag === 'loupe.console') raws.push(consoleEntry(payload, atMs, payload.level));
    else if (data!.tag === 'loupe.network') raws.push(networkEntry(payload, atMs));
  }
  const steps = recording ? reproSteps(events) : contextSteps(context);
  steps.forEach((step, i) => raws.push({ tab: 'steps', atMs: step.atMs, error: false, badge: String(i + 1), text: stepText(step), key: `step|${i}` }));

  const times = events.map((event) => event.timestamp as number);
  const startMs = Math.min(...times);
  const endMs = Math.max(...times);
  const seen = new Set<string>();
  const entries = raws
    .filter((raw): raw is Raw => raw !== undefined && !seen.has(raw.key) && Boolean(seen.add(raw.key)))
    .sort((a, b) => a.atMs - b.atMs)
    .map(({ key: _key, ...entry }): TimelineEntry => {
      const offsetMs = entry.atMs - startMs;
      return { ...entry, offsetMs: recording && offsetMs >= 0 && entry.atMs <= endMs ? offsetMs : undefined };
    });
  const of = (tab: EntryTab) => entries.filter((entry) => entry.tab === tab);
  return { console: of('console'), network: of('network'), steps: of('steps'), info: infoRows(meta, context), reproSteps: steps };
}

// Without a recording, the page's navigations are the only steps known.
function contextSteps(context: Record<string, unknown> | undefined): ReproStep[] {
  const steps: ReproStep[] = [];
  const navigations = list(context?.navigations).filter((navigation) => isTime(navigation.atMs));
  for (const navigation of navigations.sort((a, b) => (a.atMs as number) - (b.atMs as number))) {
    const url = displayUrl(navigation.url);
    if (url && url !== (steps.at(-1) as { url?: string } | undefined)?.url) steps.push({ kind: steps.length ? 'navigate' : 'open', atMs: navigation.atMs as number, url });
  }
  return steps;
}

/** The index of the entry playing at `currentMs`: the last one at or before it; -1 for none. */
export function currentEntryIndex(entries: readonly TimelineEntry[], currentMs: number): number {
  let found = -1;
  entries.forEach((entry, i) => {
    if (entry.offsetMs !== undefined && entry.offsetMs <= currentMs) found = i;
  });
  return found;
}

/** A replay time as `m:ss.s`. */
export function formatOffset(ms: number): string {
  const tenths = Math.max(0, Math.round(ms / 100));
  const minutes = Math.floor(tenths / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${minutes}:${seconds}`;
}
