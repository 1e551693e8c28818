/**
 * The tabs beside the replay (Console, Network, Steps, Info) and the scrubber under it. The
 * entries come from timeline-entries.ts; once the player is ready, an entry's button plays
 * from its time, the entry at the player's time has `aria-current`, and errors are marked on
 * the scrubber. Without a replay the same tabs list `metadata.context`, with clock times.
 */
import { h, replaceChildren } from './dom.ts';
import type { ReplayPlayer } from './replay-player.ts';
import { INBOX_STRINGS } from './strings.ts';
import { buildTimeline, currentEntryIndex, formatOffset, stepText, type Timeline, type TimelineEntry } from './timeline-entries.ts';
import type { FeedbackItem } from './types.ts';

const S = INBOX_STRINGS.timeline;
const TABS = ['console', 'network', 'steps', 'info'] as const;
type Tab = (typeof TABS)[number];

/** The tabs, and what connects them to the player. */
export interface TimelineView {
  element: HTMLElement;
  /** Reads the recording's entries and steps, and follows and drives the player. */
  attach(player: ReplayPlayer): void;
  /** The repro steps as text, for "Copy as GitHub issue". */
  steps(): string[];
  dispose(): void;
}

const clockTime = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The tabs for `item`, from its metadata until a player is attached. */
export function renderTimeline(item: FeedbackItem): TimelineView {
  let timeline: Timeline = buildTimeline(item.metadata);
  let player: ReplayPlayer | undefined;
  let selected: Tab = 'console';
  const cleanups: (() => void)[] = [];
  const tabs = Object.fromEntries(
    TABS.map((tab) => [
      tab,
      h('button', { type: 'button', role: 'tab', id: `timeline-tab-${tab}`, 'aria-controls': `timeline-panel-${tab}`, onclick: () => select(tab, false) }),
    ]),
  ) as Record<Tab, HTMLButtonElement>;
  const panels = Object.fromEntries(
    TABS.map((tab) => [tab, h('div', { role: 'tabpanel', id: `timeline-panel-${tab}`, class: 'timeline-panel', 'aria-labelledby': `timeline-tab-${tab}`, tabindex: 0 })]),
  ) as Record<Tab, HTMLDivElement>;
  const tablist = h('div', { role: 'tablist', class: 'timeline-tabs', 'aria-label': S.title, onkeydown: onKey }, TABS.map((tab) => tabs[tab]));
  const element = h(
    'section',
    { class: 'timeline', 'aria-labelledby': 'timeline-title' },
    h('h3', { id: 'timeline-title' }, S.title),
    tablist,
    TABS.map((tab) => panels[tab]),
  );

  function select(tab: Tab, focus: boolean): void {
    selected = tab;
    for (const name of TABS) {
      tabs[name].setAttribute('aria-selected', String(name === tab));
      tabs[name].tabIndex = name === tab ? 0 : -1;
      panels[name].hidden = name !== tab;
    }
    if (focus) tabs[tab].focus();
  }

  // Arrow keys move along the tabs (and select them), Home and End go to either end: the WAI-ARIA tabs pattern.
  function onKey(event: KeyboardEvent): void {
    const at = TABS.indexOf(selected);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    select(TABS[(to + TABS.length) % TABS.length]!, true);
  }

  function entryRow(entry: TimelineEntry): HTMLElement {
    const seekable = player !== undefined && entry.offsetMs !== undefined;
    const time = entry.offsetMs !== undefined ? formatOffset(entry.offsetMs) : player ? S.outsideReplay : clockTime(entry.atMs);
    const parts = [h('span', { class: 'timeline-time' }, time), h('span', { class: 'timeline-badge' }, entry.badge), h('span', { class: 'timeline-text' }, entry.text)];
    const offsetMs = entry.offsetMs;
    return h(
      'li',
      { class: entry.error ? 'timeline-entry is-error' : 'timeline-entry' },
      seekable
        ? h('button', { type: 'button', class: 'timeline-seek', 'data-offset-ms': offsetMs, title: S.seek(time), onclick: () => player!.seek(offsetMs!) }, parts)
        : h('div', { class: 'timeline-seek' }, parts),
      entry.detail ? h('div', { class: 'timeline-detail' }, entry.detail) : undefined,
    );
  }

  function paint(): void {
    for (const tab of TABS) {
      const count = tab === 'info' ? undefined : timeline[tab].length;
      replaceChildren(tabs[tab], S.tabs[tab], count ? h('span', { class: 'timeline-count' }, ` (${count})`) : undefined);
    }
    for (const tab of ['console', 'network', 'steps'] as const) {
      const entries = timeline[tab];
      replaceChildren(
        panels[tab],
        tab !== 'steps' && entries.length ? h('p', { class: 'timeline-note' }, S.reportedByPage) : undefined,
        entries.length ? h('ol', { class: 'timeline-list' }, entries.map(entryRow)) : h('p', { class: 'timeline-empty' }, S.empty[tab]),
      );
    }
    replaceChildren(
      panels.info,
      timeline.info.length
        ? h('dl', { class: 'facts' }, timeline.info.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]))
        : h('p', { class: 'timeline-empty' }, S.empty.info),
    );
  }

  function follow(currentMs: number): void {
    for (const tab of ['console', 'network', 'steps'] as const) {
      const at = currentEntryIndex(timeline[tab], currentMs);
      panels[tab].querySelectorAll('.timeline-entry').forEach((row, i) => {
        const button = row.querySelector('button');
        if (i === at) button?.setAttribute('aria-current', 'true');
        else button?.removeAttribute('aria-current');
        if (i === at && tab === selected && button) keepInView(panels[tab], row as HTMLElement);
      });
    }
  }

  paint();
  select(selected, false);
  return {
    element,
    attach(ready) {
      player = ready;
      timeline = buildTimeline(item.metadata, { events: ready.events });
      paint();
      const scrubber = renderScrubber(ready, timeline, item.replayOffsetMs);
      ready.box.append(scrubber.element);
      cleanups.push(ready.onTime((ms) => (follow(ms), scrubber.follow(ms))), () => scrubber.element.remove());
    },
    steps: () => timeline.reproSteps.map(stepText),
    dispose: () => cleanups.splice(0).forEach((cleanup) => cleanup()),
  };
}

// Scrolls the panel (never the page) so that the current entry shows.
function keepInView(panel: HTMLElement, row: HTMLElement): void {
  const top = row.offsetTop - panel.offsetTop;
  if (top < panel.scrollTop || top + row.offsetHeight > panel.scrollTop + panel.clientHeight) panel.scrollTop = Math.max(0, top - panel.clientHeight / 3);
}

// A track as long as the replay: its progress, where the feedback was given, and a button per error.
function renderScrubber(player: ReplayPlayer, timeline: Timeline, feedbackMs: number | null) {
  const times = player.events.flatMap((event) => {
    const timestamp = (event as { timestamp?: unknown } | null)?.timestamp;
    return typeof timestamp === 'number' && Number.isFinite(timestamp) ? [timestamp] : [];
  });
  const durationMs = Math.max(1, Math.max(...times) - Math.min(...times));
  const at = (ms: number) => `${Math.min(100, Math.max(0, (ms / durationMs) * 100))}%`;
  const progress = h('div', { class: 'scrubber-progress' });
  const errors = [...timeline.console, ...timeline.network].filter((entry) => entry.error && entry.offsetMs !== undefined);
  const placed = <T extends HTMLElement>(element: T, ms: number) => ((element.style.left = at(ms)), element);
  const markers = errors.map((entry) =>
    placed(h('button', {
      type: 'button',
      class: 'scrubber-marker is-error',
      'data-offset-ms': entry.offsetMs,
      'aria-label': S.marker(formatOffset(entry.offsetMs!), `${entry.badge} ${entry.text}`),
      title: S.marker(formatOffset(entry.offsetMs!), `${entry.badge} ${entry.text}`),
      onclick: () => player.seek(entry.offsetMs!),
    }), entry.offsetMs!),
  );
  const feedback =
    feedbackMs !== null && feedbackMs >= 0
      ? placed(h('span', { class: 'scrubber-feedback', title: S.feedbackMarker(formatOffset(feedbackMs)) }), feedbackMs)
      : undefined;
  const track = h('div', { class: 'scrubber-track' }, progress, feedback, markers);
  const element = h('div', { class: 'replay-scrubber', role: 'group', 'aria-label': S.scrubber }, track);
  return { element, follow: (currentMs: number) => void (progress.style.width = at(currentMs)) };
}
