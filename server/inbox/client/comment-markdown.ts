/**
 * Comments' Markdown, a safe subset: paragraphs, line breaks, **strong**, *emphasis*, `code`,
 * fenced code blocks, lists, quotes, [links](https://…) and bare http(s) URLs, @mentions.
 * Parsed to a small tree, then built as elements with text nodes: raw HTML stays text, and a
 * link is made only for an http(s) URL.
 */
import { h, safeHttpUrl, type Child } from './dom.ts';

/** Inline content. */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; text: string }
  | { type: 'mention'; text: string }
  | { type: 'break' };

/** Block content. */
export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'codeblock'; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'quote'; children: Inline[] };

// One alternative per inline form; the first match at a position wins.
const INLINE = new RegExp(
  [
    '`([^`\\n]+)`', // 1 code
    '\\[([^\\]\\n]+)\\]\\(([^()\\s]+)\\)', // 2, 3 link
    '(https?:\\/\\/[^\\s<>()]+)', // 4 bare URL
    '\\*\\*([^*\\n]+?)\\*\\*', // 5 strong
    '\\*([^*\\n]+?)\\*', // 6 em
    '(?<![\\w@])_([^_\\n]+?)_(?!\\w)', // 7 em
    '(?<![\\w@])@([\\w.+-]*\\w(?:@[\\w-]+(?:\\.[\\w-]+)+)?)', // 8 mention (a name or an e-mail)
    '(\\n)', // 9 line break
  ].join('|'),
  'g',
);

/** The inline tree of one block's text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pushText = (value: string) => {
    if (!value) return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += value;
    else out.push({ type: 'text', text: value });
  };
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    pushText(text.slice(at, m.index));
    at = m.index! + m[0].length;
    if (m[1] !== undefined) out.push({ type: 'code', text: m[1] });
    else if (m[2] !== undefined) {
      const href = safeHttpUrl(m[3]);
      if (href) out.push({ type: 'link', href, text: m[2] });
      else pushText(m[0]);
    } else if (m[4] !== undefined) {
      // Sentence punctuation after a URL is not part of it.
      const url = m[4].replace(/[.,;:!?'"]+$/, '');
      const href = safeHttpUrl(url);
      if (href) out.push({ type: 'link', href, text: url });
      else pushText(url);
      pushText(m[4].slice(url.length));
    } else if (m[5] !== undefined) out.push({ type: 'strong', children: parseInline(m[5]) });
    else if (m[6] !== undefined || m[7] !== undefined) out.push({ type: 'em', children: parseInline((m[6] ?? m[7])!) });
    else if (m[8] !== undefined) out.push({ type: 'mention', text: m[0] });
    else out.push({ type: 'break' });
  }
  pushText(text.slice(at));
  return out;
}

const BULLET = /^\s{0,3}[-*+]\s+/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+/;
const QUOTE = /^\s{0,3}>\s?/;
const FENCE = /^\s{0,3}(```|~~~)/;

/** The block tree of a comment. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) body.push(lines[i]!);
      i++; // the closing fence (or the end)
      blocks.push({ type: 'codeblock', text: body.join('\n') });
      continue;
    }
    const marker = BULLET.test(line) ? BULLET : NUMBERED.test(line) ? NUMBERED : undefined;
    if (marker) {
      const items: Inline[][] = [];
      for (; i < lines.length && marker.test(lines[i]!); i++) items.push(parseInline(lines[i]!.replace(marker, '')));
      blocks.push({ type: 'list', ordered: marker === NUMBERED, items });
      continue;
    }
    const run: string[] = [];
    const quoted = QUOTE.test(line);
    for (; i < lines.length && lines[i]!.trim() && QUOTE.test(lines[i]!) === quoted && !FENCE.test(lines[i]!); i++) {
      if (!quoted && run.length && (BULLET.test(lines[i]!) || NUMBERED.test(lines[i]!))) break;
      run.push(quoted ? lines[i]!.replace(QUOTE, '') : lines[i]!);
    }
    blocks.push({ type: quoted ? 'quote' : 'paragraph', children: parseInline(run.join('\n')) });
  }
  return blocks;
}

function renderInline(nodes: Inline[]): Child[] {
  return nodes.map((node) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'strong':
        return h('strong', {}, renderInline(node.children));
      case 'em':
        return h('em', {}, renderInline(node.children));
      case 'code':
        return h('code', {}, node.text);
      case 'link':
        return h('a', { href: node.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, node.text);
      case 'mention':
        return h('span', { class: 'mention' }, node.text);
      case 'break':
        return h('br');
    }
  });
}

/** The comment as elements, in a `div.markdown`. */
export function renderMarkdown(source: string): HTMLElement {
  return h(
    'div',
    { class: 'markdown' },
    parseMarkdown(source).map((block) => {
      if (block.type === 'codeblock') return h('pre', {}, h('code', {}, block.text));
      if (block.type === 'list') return h(block.ordered ? 'ol' : 'ul', {}, block.items.map((item) => h('li', {}, renderInline(item))));
      if (block.type === 'quote') return h('blockquote', {}, h('p', {}, renderInline(block.children)));
      return h('p', {}, renderInline(block.children));
    }),
  );
}
