/**
 * "Copy as GitHub issue" rendered by a real CommonMark + GFM renderer (micromark with the GFM
 * extensions: autolink literals, tables, strikethrough, task lists, footnotes) with raw HTML
 * let through: whatever the reporter typed, the HTML holds only the elements and links the
 * template put there, and the reporter's text reads as typed.
 */
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { issueMarkdown, type IssueLinks } from '../../../server/inbox/client/github-issue';
import type { FeedbackItem } from '../../../server/inbox/client/types';

const render = (markdown: string) =>
  micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** Tag names in order; micromark writes every `<` of text as `&lt;`, so each match is an element. */
const tagsOf = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
const count = (tags: string[], name: string) => tags.filter((tag) => tag === name).length;
/** What a reader sees: tags dropped, the entities micromark writes decoded, word joiners invisible. */
const visibleText = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\u2060/g, '');

const HOSTILE = [
  'https://evil.example/x?a=1', 'http://a.example', 'HTTPS://CAPS.EXAMPLE/', 'ftp://files.example/f', 'www.evil.example',
  'WWW.Evil.example/p', '_www.under.example_', '*www.star.example*', '(https://paren.example)', '~www.tilde.example~',
  'user@example.com', 'a.b+c@sub.example.org', 'mailto:a@b.co', 'xmpp:a@b.co', '<https://angle.example>', '<a@b.co>',
  '[x](javascript:alert(1))', '[y]: https://ref.example', '[y]', '![i](https://img.example/p.png)', '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>', '<!-- c -->', '<details>', '&lt;b&gt;', '&#60;i&#62;', '- item', '* item', '+ item', '1. item',
  '2) item', '# heading', '## h2', '---', '===', '***', '___', '> quote', '```', '~~~', '    indented', '\tindented',
  '| a | b |', '|---|---|', 'a|b', '`code`', '**bold**', '_em_', '~~del~~', '[^1]', '[^1]: note', '[ ] task', '- [x] done',
  '\\', 'trailing\\', 'line end  ', '@mention', '#123', 'owner/repo#1', 'ok', 'plain words', '', ' ',
];
const SEPARATORS = [' ', '', '\n', '\r\n', '\r', '\n\n', '  \n', '\t', '\u2028'];
const hostile = fc
  .array(fc.tuple(fc.constantFrom(...HOSTILE), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.map(([text, separator]) => text + separator).join(''));
const maybeUrl = fc.oneof(hostile, hostile.map((text) => `https://shop.example/${text}`), fc.constant('javascript:alert(1)'));

const isHttp = (url: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
};

function item(fields: Partial<FeedbackItem>): FeedbackItem {
  return {
    id: 'fb_1', clientId: 'client_1', state: 'new', rating: 2, comment: null, userEmail: null, pageUrl: null, pageTitle: null,
    referrer: null, environment: null, screenshots: null, metadata: null, sessionReplayId: null, replayOffsetMs: null,
    replay: null, assigneeId: null, priority: 'neutral', labelIds: [], createdAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-01-02T03:04:05.000Z', ...fields,
  };
}
const FEEDBACK_LINK = 'https://loupe.example/feedback/fb_1';

describe('Copy as GitHub issue, rendered with CommonMark + GFM', () => {
  it('has only the template’s elements and links, whatever the comment, environment, e-mail and page say', () => {
    fc.assert(
      fc.property(
        fc.record({ comment: hostile, environment: fc.option(hostile), userEmail: fc.option(hostile), pageUrl: fc.option(maybeUrl), shot: maybeUrl }),
        ({ comment, environment, userEmail, pageUrl, shot }) => {
          const links: IssueLinks = { feedback: FEEDBACK_LINK, screenshots: [shot, 'https://loupe.example/files/client_1/a.png'], replayFile: undefined };
          const html = render(issueMarkdown(item({ comment, environment, userEmail, pageUrl }), links));
          const tags = tagsOf(html);
          const allowed = ['h1', 'h2', 'blockquote', 'p', 'ul', 'li', 'strong', 'a', 'img', 'hr'];
          expect(tags.filter((tag) => !allowed.includes(tag)), html).toEqual([]);
          const facts = 4 + (pageUrl?.trim() ? 1 : 0) + (userEmail?.trim() ? 1 : 0); // rating, state, environment, created
          expect([count(tags, 'h1'), count(tags, 'ul'), count(tags, 'li'), count(tags, 'strong'), count(tags, 'hr')], html).toEqual([1, 1, facts, facts, 1]);
          expect(count(tags, 'blockquote'), html).toBe(comment.trim() ? 1 : 0);
          const pageLinked = pageUrl !== null && isHttp(pageUrl);
          expect(count(tags, 'a'), html).toBe(1 + (pageLinked ? 1 : 0));
          for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) expect(href, html).toMatch(/^https?:\/\//);
          const sources = [...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1]!);
          expect(sources.length, html).toBe(count(tags, 'img'));
          expect(sources.length, html).toBe(isHttp(shot) ? 2 : 1);
          for (const src of sources) expect(src, html).toMatch(/^https?:\/\//);
          // Single-line fields stay on one line, and read as typed.
          const visible = visibleText(html);
          if (environment?.trim()) expect(visible, html).toContain(`Environment: ${environment.replace(/\s+/g, ' ').trim()}`);
          if (userEmail?.trim()) expect(visible, html).toContain(`Reported by: ${userEmail.replace(/\s+/g, ' ').trim()}`);
        },
      ),
      { seed: 20_261_202, numRuns: 1_000 },
    );
    // A thousand CommonMark renders take ~3 s alone and more on a loaded 2-core CI machine.
  }, 30_000);

  it('keeps normal text readable: the comment’s words, URLs and addresses read as typed, unlinked', () => {
    const comment = 'The “Pay” button does nothing (twice!).\nSee https://shop.example.com/cart?x=1 or www.shop.example.com — mail a.b@example.com.\n\n- it worked yesterday\n1. open the cart';
    const markdown = issueMarkdown(item({ comment, environment: 'staging\n- prod', userEmail: 'a.b@example.com', pageUrl: 'https://shop.example.com/a(b)' }), {
      feedback: FEEDBACK_LINK,
      screenshots: [],
      replayFile: undefined,
    });
    const html = render(markdown);
    const quote = /<blockquote>([\s\S]*)<\/blockquote>/.exec(html)![1]!;
    expect(tagsOf(quote)).toEqual(['p', 'p']);
    expect(visibleText(quote).trim()).toBe(comment.replace('\n\n', '\n'));
    expect(visibleText(html)).toContain('Environment: staging - prod');
    const pageLink = /<a href="https:\/\/shop.example.com\/a%28b%29">([^<]*)<\/a>/.exec(html);
    expect(visibleText(pageLink![1]!)).toBe('https://shop.example.com/a(b)');
    // The raw Markdown stays legible too: a handful of escapes, no entity soup.
    expect(markdown).toContain('> The “Pay” button does nothing \\(twice\\!\\).');
  });

  it('links the page only when it is http(s)', () => {
    for (const pageUrl of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'not a url', 'file:///etc/passwd']) {
      const html = render(issueMarkdown(item({ pageUrl }), { feedback: FEEDBACK_LINK, screenshots: [pageUrl], replayFile: undefined }));
      expect([...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1])).toEqual([FEEDBACK_LINK]);
      expect(count(tagsOf(html), 'img')).toBe(0);
    }
  });
});
