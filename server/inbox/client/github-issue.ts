/** "Copy as GitHub issue": one feedback item as issue Markdown, every user-supplied string defused. */
import { escapeLines, escapeMarkdown, httpLink, oneLine } from './markdown-text.ts';
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
  /** The repro steps, each as one line of text (user text: escaped here). */
  steps?: readonly string[];
}

/** The issue title: the comment's first line, shortened; the rating when there is no comment. */
export function issueTitle(item: FeedbackItem): string {
  const line = item.comment?.split(/\r\n|\r|\n/).map(oneLine).find(Boolean);
  if (!line) return S.untitled(item.rating === null ? S.noRating : ratingText(item.rating));
  return line.length > TITLE_MAX_CHARS ? `${line.slice(0, TITLE_MAX_CHARS - 1)}…` : line;
}

function fence(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}json\n${code}\n${ticks}`;
}

/** The whole Markdown: title, quoted comment, facts, screenshots as images, numbered steps, replay links, metadata folded. */
export function issueMarkdown(item: FeedbackItem, links: IssueLinks): string {
  // Every user string is escaped and unlinked; single-line fields are flattened first.
  const field = (value: string | null) => (value === null ? undefined : escapeMarkdown(oneLine(value)) || undefined);
  const pageLink = httpLink(item.pageUrl);
  const facts: [string, string | undefined][] = [
    [S.rating, item.rating === null ? undefined : ratingText(item.rating)],
    [S.state, STATE_LABELS[item.state] ?? field(item.state)],
    [S.page, pageLink ? `[${field(item.pageUrl)}](${pageLink})` : field(item.pageUrl)],
    [S.environment, item.environment === null ? 'default' : (field(item.environment) ?? '')],
    [S.email, field(item.userEmail)],
    [S.created, field(item.createdAt)],
  ];
  const out = [`# ${escapeMarkdown(issueTitle(item))}`, ''];
  if (item.comment?.trim()) {
    out.push(...escapeLines(item.comment.trim()).map((line) => (line ? `> ${line}` : '>')), '');
  }
  out.push(...facts.filter(([, value]) => value !== undefined).map(([label, value]) => `- **${label}:** ${value}`), '');
  const shots = links.screenshots.flatMap((url, i) => {
    const target = httpLink(url);
    return target ? [`![Screenshot ${i + 1}](${target})`] : [];
  });
  if (shots.length) out.push(`## ${S.screenshots}`, '', ...shots.flatMap((shot) => [shot, '']));
  if (links.steps?.length) out.push(`## ${S.steps}`, '', ...links.steps.map((step, i) => `${i + 1}. ${escapeMarkdown(oneLine(step))}`), '');
  const feedback = httpLink(links.feedback);
  const replayFile = httpLink(links.replayFile);
  if (feedback && replayFile) {
    out.push(`## ${S.replay}`, '', `[${S.replayLink}](${feedback}) · [${S.replayFile}](${replayFile})`, '');
  }
  if (item.metadata !== null) {
    out.push('<details>', `<summary>${S.metadata}</summary>`, '', fence(JSON.stringify(item.metadata, null, 2)), '', '</details>', '');
  }
  out.push('---', feedback ? `[${S.footer(item.id)}](${feedback})` : escapeMarkdown(S.footer(item.id)));
  return out.join('\n');
}
