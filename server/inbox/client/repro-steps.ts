/**
 * Steps to reproduce, read from an rrweb recording: the pages it opened and moved to, the
 * clicks (with the element's label) and the fields typed in (which field only: the values are
 * masked by the recorder, and never shown here anyway).
 * Event shapes: https://github.com/rrweb-io/rrweb/blob/master/packages/types/src/index.ts
 */
import { redactUrl } from '../../../lib/feedback/redact.ts';
import { createNodeIndex } from './node-label.ts';

/** One step; `atMs` is the time since the epoch, as the recording's timestamps. */
export type ReproStep =
  | { kind: 'open' | 'navigate'; atMs: number; url: string }
  | { kind: 'click' | 'type' | 'choose' | 'check' | 'uncheck'; atMs: number; label: string };

/** rrweb's numbers for what the steps need. */
const EVENT = { fullSnapshot: 2, incremental: 3, meta: 4, custom: 5 } as const;
const SOURCE = { mutation: 0, mouseInteraction: 2, input: 5 } as const;
const CLICK = 2;
/** At most this many steps: the newest are kept. */
export const STEPS_MAX = 100;
const URL_MAX_CHARS = 300;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** An http(s) URL without its secrets, shortened; undefined for any other string. */
export function displayUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value.slice(0, 8192));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const clean = redactUrl(url.href);
    return clean.length > URL_MAX_CHARS ? `${clean.slice(0, URL_MAX_CHARS - 1)}…` : clean;
  } catch {
    return undefined;
  }
}

/** The steps of a recording, in time order (events need not be sorted). */
export function reproSteps(events: readonly unknown[]): ReproStep[] {
  const sorted = events
    .map(record)
    .filter((event): event is Record<string, unknown> => event !== undefined && isTime(event.timestamp))
    .sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
  const index = createNodeIndex();
  const steps: ReproStep[] = [];
  let url: string | undefined;
  // The field of the last step, while it is the last step.
  let typedInto: number | undefined;
  let typedAt = -1;
  const goTo = (raw: unknown, atMs: number) => {
    const next = displayUrl(raw);
    if (!next || next === url) return;
    steps.push({ kind: url === undefined ? 'open' : 'navigate', atMs, url: next });
    url = next;
  };

  for (const event of sorted) {
    const atMs = event.timestamp as number;
    const data = record(event.data);
    if (!data) continue;
    if (event.type === EVENT.meta) goTo(data.href, atMs);
    else if (event.type === EVENT.fullSnapshot) index.reset(data.node);
    else if (event.type === EVENT.custom && data.tag === 'loupe.navigation') goTo(record(data.payload)?.url, atMs);
    else if (event.type === EVENT.incremental) {
      if (data.source === SOURCE.mutation) index.mutate(data);
      else if (data.source === SOURCE.mouseInteraction && data.type === CLICK && typeof data.id === 'number') {
        const label = index.label(data.id);
        if (label !== undefined) steps.push({ kind: 'click', atMs, label });
      } else if (data.source === SOURCE.input && typeof data.id === 'number') {
        const step = inputStep(index, data.id, data.isChecked, atMs);
        // Typing is many input events on one field: one step, at its first.
        if (!step || (typedInto === data.id && steps.length === typedAt)) continue;
        steps.push(step);
        if (step.kind === 'type' || step.kind === 'choose') [typedInto, typedAt] = [data.id, steps.length];
      }
    }
  }
  return steps.slice(-STEPS_MAX);
}

function inputStep(index: ReturnType<typeof createNodeIndex>, id: number, isChecked: unknown, atMs: number): ReproStep | undefined {
  const element = index.element(id);
  const label = index.label(id);
  if (!element || label === undefined) return undefined;
  const type = (element.attrs.type ?? '').toLowerCase();
  if (element.tag === 'input' && (type === 'checkbox' || type === 'radio')) {
    // A radio button's input event for the one that was unchecked by another is no step.
    if (type === 'radio' && isChecked !== true) return undefined;
    return { kind: isChecked === true ? 'check' : 'uncheck', atMs, label };
  }
  return { kind: element.tag === 'select' ? 'choose' : 'type', atMs, label };
}
