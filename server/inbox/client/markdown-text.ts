/**
 * User text inside GitHub Markdown (cmark-gfm with autolinks, then GitHub's own references):
 * it renders as itself, never as structure, HTML, a link, an image or a mention.
 */
import { safeHttpUrl } from './dom.ts';

// Invisible when rendered, but no scheme, domain, `www.`, e-mail, @mention or #reference
// pattern matches across it (GFM's autolink literals need those characters adjacent).
const WORD_JOINER = '\u2060';

// Every character with an inline meaning in CommonMark or GFM (emphasis, code, links, images,
// HTML, entities, tables, strikethrough), escaped with a backslash, which CommonMark allows
// before any ASCII punctuation.
const INLINE_SYNTAX = /[\\`*_{}[\]()<>#+|~!&]/g;

/** Breaks every autolink pattern: `scheme://`, `mailto:`/`xmpp:`, `www.`, `a@b.c`, `@user`, `#12`. */
function unlink(text: string): string {
  return text
    .replace(/:(?=\/)/g, `${WORD_JOINER}:`)
    .replace(/(mailto|xmpp):/gi, `$1${WORD_JOINER}:`)
    .replace(/(www)(?=\.)/gi, `$1${WORD_JOINER}`)
    .replace(/[@#]/g, `$&${WORD_JOINER}`);
}

/** Text that renders as itself in the middle of a line: no emphasis, code, links, images, HTML or tables. */
export function escapeMarkdown(text: string): string {
  return unlink(text.replace(INLINE_SYNTAX, '\\$&'));
}

/** A single-line field (environment, e-mail, title): every line break and whitespace run becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The lines of multi-line user text, each safe at the start of a line: no heading, list,
 * quote, fence, rule, setext underline, indented code or hard break.
 */
export function escapeLines(text: string): string[] {
  // CommonMark ends a line at \n, \r\n or a lone \r; the others are flattened like spaces.
  return text.split(/\r\n|\r|\n/).map((line) =>
    escapeMarkdown(oneLine(line))
      // `-` and `=` start lists, rules and setext underlines; `1.` and `1)` start ordered lists.
      .replace(/^[-=]/, '\\$&')
      .replace(/^(\d+)\./, '$1\\.'),
  );
}

/** `url` as a link target when it is http(s), else undefined (no `javascript:`, `data:`...). */
export function httpLink(url: string | null | undefined): string | undefined {
  // Percent-encode anything that could end the `(...)` or be read as Markdown inside it.
  return safeHttpUrl(url)?.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'*+,;=%]/g, (c) =>
    [...new TextEncoder().encode(c)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
