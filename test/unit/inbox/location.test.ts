import { describe, expect, it } from 'vitest';
import { NO_FILTERS, listKey, locationHref, parseLocation } from '../../../server/inbox/client/location';

const base = new URL('https://loupe.example/mounted/');

describe('the inbox’s addresses', () => {
  it('reads the list and an item, with filters and a cursor, and writes them back the same', () => {
    const href = '/mounted/feedback/fb_a%2Fb?state=done&rating=2&env=staging&q=slow+search&assignee=usr_1&priority=high&after=fb_x';
    const location = parseLocation(base, new URL(href, base).href);
    expect(location).toEqual({
      feedbackId: 'fb_a/b',
      filters: { ...NO_FILTERS, state: 'done', rating: '2', environment: 'staging', text: 'slow search', assignee: 'usr_1', priority: 'high' },
      cursor: { after: 'fb_x' },
    });
    expect(locationHref(base, location)).toBe(href);
    expect(locationHref(base, { ...location, feedbackId: undefined })).toBe('/mounted/?state=done&rating=2&env=staging&q=slow+search&assignee=usr_1&priority=high&after=fb_x');
  });

  it('ignores what it does not know: other paths, unknown states, ratings outside 1..4', () => {
    const location = parseLocation(base, 'https://loupe.example/mounted/other/x?state=closed&rating=9&priority=meh&before=fb_y');
    expect(location).toEqual({ feedbackId: undefined, filters: NO_FILTERS, cursor: { before: 'fb_y' } });
    expect(listKey(location)).toBe(listKey({ ...location, feedbackId: 'fb_z' }));
  });
});
