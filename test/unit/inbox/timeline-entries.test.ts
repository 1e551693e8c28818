import { describe, expect, it } from 'vitest';
import { issueMarkdown } from '../../../server/inbox/client/github-issue';
import { INBOX_STRINGS } from '../../../server/inbox/client/strings';
import { buildTimeline, currentEntryIndex, formatOffset, stepText } from '../../../server/inbox/client/timeline-entries';
import type { FeedbackItem } from '../../../server/inbox/client/types';

const S = INBOX_STRINGS.timeline;
const T0 = 1_700_000_000_000;
const context = {
  errors: [
    { source: 'console', message: 'Boot failed', atMs: T0 - 5000, reportedBy: 'page' },
    { source: 'exception', message: 'Uncaught Error: boom', stack: 'Error: boom\n  at x.js:1', atMs: T0 + 2000, reportedBy: 'page' },
  ],
  requests: [
    { method: 'get', url: 'https://api.example/cart?token=abc', status: 404, durationMs: 120, atMs: T0 + 1500 },
    { method: 'POST', url: 'https://api.example/slow', status: 200, durationMs: 3500, atMs: T0 + 2500 },
    { method: 'GET', url: 'javascript:alert(1)', status: 0, durationMs: 1, atMs: T0 + 2600 },
    { method: 'GET', url: 'https://api.example/down', status: 0, durationMs: 1, atMs: 'soon' },
  ],
  navigations: [
    { url: 'https://shop.example/b', via: 'push', atMs: T0 + 3000 },
    { url: 'https://shop.example/a', via: 'load', atMs: T0 - 6000 },
  ],
  totals: { errors: 3, warnings: 1, requests: 2, navigations: 2 },
};
const metadata = { browser: 'Chrome 156', os: 'Linux', viewport: { width: 1280, height: 720 }, devicePixelRatio: 2, context };
const events = [
  { type: 4, timestamp: T0, data: { href: 'https://shop.example/a' } },
  { type: 2, timestamp: T0 + 1, data: { node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'button', attributes: {}, childNodes: [{ type: 3, id: 3, textContent: 'Pay' }] }] } } },
  { type: 3, timestamp: T0 + 1000, data: { source: 2, type: 2, id: 2 } },
  // The same exception as in metadata.context, and a warning only the recording has.
  { type: 5, timestamp: T0 + 2010, data: { tag: 'loupe.console', payload: { level: 'error', source: 'exception', message: 'Uncaught Error: boom', stack: 'Error: boom\n  at x.js:1', atMs: T0 + 2000 } } },
  { type: 5, timestamp: T0 + 2200, data: { tag: 'loupe.console', payload: { level: 'warn', message: 'Deprecated API', atMs: T0 + 2200 } } },
  { type: 3, timestamp: T0 + 4000, data: { source: 1, positions: [] } },
];

describe('timeline entries', () => {
  it('without a replay: metadata.context by time, errors and 4xx/5xx/failed requests marked, secrets and script URLs out, no replay times', () => {
    const timeline = buildTimeline(metadata);
    expect(timeline.console.map((entry) => [entry.badge, entry.text, entry.error, entry.offsetMs])).toEqual([
      [S.console.error, 'Boot failed', true, undefined],
      [S.console.exception, 'Uncaught Error: boom', true, undefined],
    ]);
    expect(timeline.console[1]!.detail).toContain('at x.js:1');
    expect(timeline.network.map((entry) => [entry.badge, entry.text, entry.error, entry.detail])).toEqual([
      ['GET 404', 'https://api.example/cart?token=redacted', true, '120 ms'],
      ['POST 200', 'https://api.example/slow', false, '3500 ms'],
    ]);
    expect(timeline.steps.map((entry) => entry.text)).toEqual([S.step.open('https://shop.example/a'), S.step.navigate('https://shop.example/b')]);
    expect(timeline.info).toEqual([
      [S.info.browser, 'Chrome 156'],
      [S.info.os, 'Linux'],
      [S.info.viewport, '1280 × 720'],
      [S.info.devicePixelRatio, '2'],
      [S.info.totals, '3 errors, 1 warning, 2 failed or slow requests, 2 navigations'],
    ]);
  });

  it('with a replay: times on its clock (none for what came before it), each entry once, its warnings and steps added', () => {
    const timeline = buildTimeline(metadata, { events });
    expect(timeline.console.map((entry) => [entry.text, entry.offsetMs, entry.error])).toEqual([
      ['Boot failed', undefined, true],
      ['Uncaught Error: boom', 2000, true],
      ['Deprecated API', 2200, false],
    ]);
    expect(timeline.network.map((entry) => entry.offsetMs)).toEqual([1500, 2500]);
    expect(timeline.steps.map((entry) => [entry.badge, entry.text, entry.offsetMs])).toEqual([
      ['1', S.step.open('https://shop.example/a'), 0],
      ['2', S.step.click('Pay'), 1000],
    ]);
    expect(timeline.reproSteps.map(stepText)).toEqual([S.step.open('https://shop.example/a'), S.step.click('Pay')]);
  });

  it('finds the entry playing at a time: the last one at or before it', () => {
    const { console: entries } = buildTimeline(metadata, { events });
    expect(currentEntryIndex(entries, 1999)).toBe(-1);
    expect(currentEntryIndex(entries, 2000)).toBe(1);
    expect(currentEntryIndex(entries, 9000)).toBe(2);
    expect(formatOffset(0)).toBe('0:00.0');
    expect(formatOffset(65_430)).toBe('1:05.4');
  });

  it('survives metadata that is not what the extension sends', () => {
    for (const bad of [null, 'x', [], { context: 'x' }, { context: { errors: 'x', requests: [null, 1, { atMs: 1 }], navigations: [{}] } }]) {
      const timeline = buildTimeline(bad, { events: [null, { type: 5, timestamp: 1, data: { tag: 'loupe.network', payload: 'x' } }] });
      expect([timeline.console, timeline.network, timeline.steps, timeline.info]).toEqual([[], [], [], []]);
    }
  });

  it('puts the steps in the GitHub issue, numbered, as inert text', () => {
    const item = { id: 'fb_1', clientId: 'c', state: 'new', rating: 2, comment: 'Broken', userEmail: null, pageUrl: null, pageTitle: null, referrer: null, environment: null, screenshots: null, metadata: null, sessionReplayId: null, replayOffsetMs: null, replay: null, createdAt: 'x', updatedAt: 'x' } as FeedbackItem;
    const markdown = issueMarkdown(item, { feedback: 'https://loupe.example/feedback/fb_1', screenshots: [], replayFile: undefined, steps: ['Open https://a.example/', 'Click “<b>Pay</b>”'] });
    expect(markdown).toContain(`## ${INBOX_STRINGS.issue.steps}\n\n1. Open https\u2060://a.example/\n2. Click “\\<b\\>Pay\\</b\\>”\n`);
    expect(issueMarkdown(item, { feedback: 'https://loupe.example/feedback/fb_1', screenshots: [], replayFile: undefined })).not.toContain(INBOX_STRINGS.issue.steps);
  });
});
