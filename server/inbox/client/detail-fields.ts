/** The read-only parts of the detail view: the facts, the screenshots at full size, the metadata. */
import { formatDate, h, safeHttpUrl, type Child } from './dom.ts';
import { screenshotUrl } from './links.ts';
import { INBOX_STRINGS as S, STATE_LABELS, ratingText } from './strings.ts';
import type { FeedbackItem } from './types.ts';

const F = S.fields;

function fact(label: string, value: Child, className = ''): Child[] {
  if (value === null || value === undefined || value === '' || value === false) return [];
  return [h('dt', {}, label), h('dd', { class: className }, value)];
}

function link(url: string | null): Child {
  const href = safeHttpUrl(url);
  if (!href) return url;
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, url!);
}

/** The facts of an item as a description list. */
export function renderFacts(item: FeedbackItem): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    fact(F.rating, item.rating === null ? null : ratingText(item.rating)),
    fact(F.comment, item.comment, 'comment'),
    fact(F.state, h('span', { 'data-field': 'state' }, STATE_LABELS[item.state] ?? item.state)),
    fact(F.page, link(item.pageUrl)),
    fact(F.pageTitle, item.pageTitle),
    fact(F.referrer, link(item.referrer)),
    fact(F.environment, item.environment ?? S.defaultEnvironment),
    fact(F.email, item.userEmail && h('a', { href: `mailto:${item.userEmail}` }, item.userEmail)),
    fact(F.createdAt, h('time', { datetime: item.createdAt }, formatDate(item.createdAt))),
    fact(F.updatedAt, h('time', { datetime: item.updatedAt, 'data-field': 'updatedAt' }, formatDate(item.updatedAt))),
    fact(F.id, h('code', {}, item.id)),
  );
}

/** The screenshots at their own size (scaled down only when the pane is narrower), each a link to the file. */
export function renderScreenshots(base: URL, item: FeedbackItem): HTMLElement | undefined {
  const shots = item.screenshots ?? [];
  if (shots.length === 0) return undefined;
  const figures = shots.map((shot, i) => {
    const src = screenshotUrl(base, item, shot);
    if (!src) return h('p', {}, S.screenshotUnavailable(i + 1));
    const size = shot.width && shot.height ? `${shot.width} × ${shot.height}` : '';
    return h(
      'figure',
      { class: 'screenshot' },
      h(
        'a',
        { href: src, target: '_blank', rel: 'noopener noreferrer', 'aria-label': `${S.screenshotAlt(i + 1, shots.length)}: ${S.openFullSize}` },
        h('img', { src, alt: S.screenshotAlt(i + 1, shots.length), width: shot.width, height: shot.height, decoding: 'async' }),
      ),
      h('figcaption', {}, S.screenshotCaption(i + 1, size)),
    );
  });
  return h('section', { class: 'screenshots', 'aria-labelledby': 'screenshots-title' }, h('h3', { id: 'screenshots-title' }, S.screenshots), figures);
}

function metadataValue(value: unknown): Child {
  if (value !== null && typeof value === 'object') return h('pre', {}, h('code', {}, JSON.stringify(value, null, 2)));
  return String(value);
}

/** The metadata as a key/value table (nested values as JSON), and the whole of it as JSON. */
export function renderMetadata(item: FeedbackItem): HTMLElement | undefined {
  if (item.metadata === null || typeof item.metadata !== 'object') return undefined;
  const rows = Object.entries(item.metadata).map(([key, value]) =>
    h('tr', {}, h('th', { scope: 'row' }, key), h('td', {}, metadataValue(value))),
  );
  return h(
    'section',
    { class: 'metadata', 'aria-labelledby': 'metadata-title' },
    h('h3', { id: 'metadata-title' }, S.metadata),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, S.metadataKey), h('th', { scope: 'col' }, S.metadataValue))),
        h('tbody', {}, rows),
      ),
    ),
    h('details', {}, h('summary', {}, S.metadataRaw), h('pre', {}, h('code', {}, JSON.stringify(item.metadata, null, 2)))),
  );
}
