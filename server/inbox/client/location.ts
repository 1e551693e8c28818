/**
 * The inbox's addresses: `<base>` is the list and `<base>feedback/<id>` one item, with the
 * filters and the page cursor in the query string, so reloads, links and Back keep them.
 */
import { PRIORITIES } from './team-types.ts';
import { FEEDBACK_STATES, type Cursor, type FeedbackState, type Filters } from './types.ts';

/** Where the inbox is: the list (with its filters and page), and the item open beside it. */
export interface InboxLocation {
  feedbackId: string | undefined;
  /** The project settings page instead of the list (`<base>settings`). */
  view?: 'settings';
  filters: Filters;
  cursor: Cursor;
}

/** Filters that match everything. */
export const NO_FILTERS: Filters = { state: '', rating: '', environment: '', text: '', assignee: '', label: '', priority: '' };

const PARAMS = { state: 'state', rating: 'rating', environment: 'env', text: 'q', assignee: 'assignee', label: 'label', priority: 'priority' } as const;

/** Reads a URL of the inbox (`base` is the server root the shell was served under). */
export function parseLocation(base: URL, href: string): InboxLocation {
  const url = new URL(href);
  const rest = url.pathname.startsWith(base.pathname) ? url.pathname.slice(base.pathname.length) : '';
  const match = /^feedback\/([^/]+)$/.exec(rest);
  const get = (name: string) => url.searchParams.get(name) ?? '';
  const state = get(PARAMS.state);
  const rating = get(PARAMS.rating);
  const priority = get(PARAMS.priority);
  const filters: Filters = {
    state: (FEEDBACK_STATES as readonly string[]).includes(state) ? (state as FeedbackState) : '',
    rating: /^[1-4]$/.test(rating) ? rating : '',
    environment: get(PARAMS.environment),
    text: get(PARAMS.text),
    assignee: get(PARAMS.assignee),
    label: get(PARAMS.label),
    priority: (PRIORITIES as readonly string[]).includes(priority) ? (priority as Filters['priority']) : '',
  };
  const after = get('after');
  const before = get('before');
  const cursor: Cursor = after ? { after } : before ? { before } : {};
  let feedbackId: string | undefined;
  try {
    feedbackId = match ? decodeURIComponent(match[1]!) : undefined;
  } catch {
    feedbackId = undefined;
  }
  if (rest === 'settings') return { feedbackId: undefined, view: 'settings', filters, cursor };
  return { feedbackId, filters, cursor };
}

/** The URL of a location, as a path with query relative to the page's origin. */
export function locationHref(base: URL, location: InboxLocation): string {
  if (location.view === 'settings') return new URL('settings', base).pathname;
  const url = new URL(location.feedbackId ? `feedback/${encodeURIComponent(location.feedbackId)}` : '', base);
  for (const [key, param] of Object.entries(PARAMS)) {
    const value = location.filters[key as keyof Filters];
    if (value) url.searchParams.set(param, value);
  }
  for (const [key, value] of Object.entries(location.cursor)) url.searchParams.set(key, value);
  return `${url.pathname}${url.search}`;
}

/** A stable key for "the same list": filters and page, not the open item. */
export function listKey(location: InboxLocation): string {
  return JSON.stringify([location.filters, location.cursor]);
}
