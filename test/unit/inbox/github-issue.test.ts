import { describe, expect, it } from 'vitest';
import { issueMarkdown, issueTitle } from '../../../server/inbox/client/github-issue';
import { escapeMarkdown } from '../../../server/inbox/client/markdown-text';
import type { FeedbackItem } from '../../../server/inbox/client/types';

const item = (overrides: Partial<FeedbackItem> = {}): FeedbackItem => ({
  id: 'fb_1',
  clientId: 'client_1',
  state: 'new',
  rating: 2,
  comment: 'Checkout is broken\nsecond line',
  userEmail: null,
  pageUrl: 'https://shop.example.com/a(b)',
  pageTitle: null,
  referrer: null,
  environment: null,
  screenshots: null,
  metadata: null,
  sessionReplayId: null,
  replayOffsetMs: null,
  replay: null,
  assigneeId: null,
  priority: 'neutral',
  labelIds: [],
  createdAt: '2025-01-02T03:04:05.000Z',
  updatedAt: '2025-01-02T03:04:05.000Z',
  ...overrides,
});
const links = { feedback: 'https://loupe.example/feedback/fb_1', screenshots: [], replayFile: undefined };

describe('Copy as GitHub issue', () => {
  it('titles the issue with the comment’s first line, shortened, or the rating without one', () => {
    expect(issueTitle(item())).toBe('Checkout is broken');
    expect(issueTitle(item({ comment: `  ${'word '.repeat(40)}` }))).toMatch(/^word word .{60,}…$/);
    expect(issueTitle(item({ comment: null, rating: 4 }))).toBe('Feedback: 4 (Amazing)');
    expect(issueTitle(item({ comment: '', rating: null }))).toBe('Feedback: no rating');
  });

  it('keeps user text inert: no links, images, HTML or emphasis it did not have as text', () => {
    expect(escapeMarkdown('![x](https://t.example/p.png) <b>hi</b> *a* _b_ `c` | #')).toBe(
      '\\!\\[x\\]\\(https\u2060://t.example/p.png\\) \\<b\\>hi\\</b\\> \\*a\\* \\_b\\_ \\`c\\` \\| \\#\u2060',
    );
    const markdown = issueMarkdown(item({ comment: '<img src=x onerror=alert(1)>', environment: '[env](javascript:x)' }), links);
    expect(markdown).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(markdown).not.toMatch(/(^|[^\\])<img/m);
    expect(markdown).not.toMatch(/[^\\]\]\(javascript/);
  });

  it('links the screenshots as images, the replay and the item, with metadata folded in a fence longer than any inside', () => {
    const markdown = issueMarkdown(item({ metadata: { note: 'has ``` inside' }, environment: 'staging' }), {
      feedback: 'https://loupe.example/feedback/fb_1',
      screenshots: ['https://loupe.example/files/client_1/a b.png', undefined],
      replayFile: 'https://loupe.example/replays/rp_1.json.gz',
    });
    expect(markdown).toContain('![Screenshot 1](https://loupe.example/files/client_1/a%20b.png)');
    expect(markdown).not.toContain('Screenshot 2');
    expect(markdown).toContain('[Watch the replay in the Loupe inbox](https://loupe.example/feedback/fb_1)');
    expect(markdown).toContain('(https://loupe.example/replays/rp_1.json.gz)');
    expect(markdown).toContain('- **Page:** [https\u2060://shop.example.com/a\\(b\\)](https://shop.example.com/a%28b%29)');
    expect(markdown).toContain('- **Environment:** staging');
    expect(markdown).toContain('````json\n{\n  "note": "has ``` inside"\n}\n````');
    expect(markdown).toContain('> Checkout is broken\n> second line');
  });
});
