/** "Copy as GitHub issue": one feedback item as issue Markdown, every user-supplied string defused. */
import { INBOX_STRINGS, STATE_LABELS, ratingText } from './strings.ts';
import type { FeedbackItem } from './types.ts';

const S = INBOX_STRINGS.issue;
const TITLE_MAX_CHARS = 80;

/** The absolute links the issue points at. */
export interface IssueLinks {
  /** The item in the inbox. */
  feedback: string;
  /** One per screenshot; undefined where there is no address to show. */
  screenshots: (string | undefined)[];
  /** The replay's events file, when a replay is stored. */
  replayFile: string | undefined;
}

/** Text that renders as itself: no emphasis, links, images, HTML or tables from user input. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+|~!]/g, '\\$&');
}

/** A URL safe inside `(...)` of a Markdown link. */
function linkTarget(url: string): string {
  // encodeURIComponent leaves ( and ) alone, and they are what would end the link.
  return url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The issue title: the comment's first line, shortened; the rating when there is no comment. */
export function issueTitle(item: FeedbackItem): string {
  const line = item.comment?.split('\n').find((l) => l.trim())?.replace(/\s+/g, ' ').trim();
  if (!line) return S.untitled(item.rating === null ? S.noRating : ratingText(item.rating));
  return line.length > TITLE_MAX_CHARS ? `${line.slice(0, TITLE_MAX_CHARS - 1)}…` : line;
}

function fence(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}json\n${code}\n${ticks}`;
}

/** The whole Markdown: title, quoted comment, facts, screenshots as images, replay links, metadata folded. */
export function issueMarkdown(item: FeedbackItem, links: IssueLinks): string {
  const facts: [string, string | undefined][] = [
    [S.rating, item.rating === null ? undefined : ratingText(item.rating)],
    [S.state, STATE_LABELS[item.state] ?? item.state],
    [S.page, item.pageUrl ? `[${escapeMarkdown(item.pageUrl)}](${linkTarget(item.pageUrl)})` : undefined],
    [S.environment, item.environment === null ? 'default' : escapeMarkdown(item.environment)],
    [S.email, item.userEmail ? escapeMarkdown(item.userEmail) : undefined],
    [S.created, item.createdAt],
  ];
  const out = [`# ${escapeMarkdown(issueTitle(item))}`, ''];
  if (item.comment?.trim()) {
    out.push(...item.comment.trim().split('\n').map((line) => `> ${escapeMarkdown(line)}`), '');
  }
  out.push(...facts.filter(([, value]) => value !== undefined).map(([label, value]) => `- **${label}:** ${value}`), '');
  const shots = links.screenshots.map((url, i) => (url ? `![Screenshot ${i + 1}](${linkTarget(url)})` : undefined)).filter(Boolean);
  if (shots.length) out.push(`## ${S.screenshots}`, '', ...shots.flatMap((shot) => [shot!, '']));
  if (links.replayFile) {
    out.push(`## ${S.replay}`, '', `[${S.replayLink}](${linkTarget(links.feedback)}) · [${S.replayFile}](${linkTarget(links.replayFile)})`, '');
  }
  if (item.metadata !== null) {
    out.push('<details>', `<summary>${S.metadata}</summary>`, '', fence(JSON.stringify(item.metadata, null, 2)), '', '</details>', '');
  }
  out.push('---', `[${S.footer(item.id)}](${linkTarget(links.feedback)})`);
  return out.join('\n');
}
