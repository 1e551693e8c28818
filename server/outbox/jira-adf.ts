/**
 * A report as a Jira issue's description in the Atlassian Document Format (ADF, the rich text
 * of Jira's REST API v3: https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/).
 * The same parts as the GitHub issue (inbox/client/github-issue.ts), as nodes instead of
 * Markdown: user text goes into text nodes as it is (ADF has no markup to escape), and only
 * http(s) addresses become links.
 */
import { safeHttpUrl } from '../inbox/client/dom.ts';
import type { IssueLinks } from '../inbox/client/github-issue.ts';
import { oneLine } from '../inbox/client/markdown-text.ts';
import { INBOX_STRINGS, STATE_LABELS, ratingText } from '../inbox/client/strings.ts';
import type { FeedbackItemJson } from '../read-api/items.ts';

const S = INBOX_STRINGS.issue;
/** Metadata longer than this is left to the inbox: Jira's description holds 32,767 characters. */
const METADATA_MAX_CHARS = 8_000;

/** An ADF node (block or inline). */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** An ADF document: the root node, version 1. */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** A text node; ADF does not allow an empty one, so nothing is left out for empty text. */
const text = (value: string, marks?: AdfNode['marks']): AdfNode[] => (value === '' ? [] : [{ type: 'text', text: value, ...(marks && { marks }) }]);
const paragraph = (...content: AdfNode[][]): AdfNode => ({ type: 'paragraph', content: content.flat() });
const heading = (value: string): AdfNode => ({ type: 'heading', attrs: { level: 2 }, content: text(value) });
const listOf = (type: 'bulletList' | 'orderedList', items: AdfNode[][][]): AdfNode => ({ type, content: items.map((item) => ({ type: 'listItem', content: [paragraph(...item)] })) });

/** Text linked to `url` when it is an http(s) address, plain text otherwise. */
function linked(label: string, url: string | null | undefined): AdfNode[] {
  const href = safeHttpUrl(url);
  return text(label, href ? [{ type: 'link', attrs: { href } }] : undefined);
}

/** The description of a report's issue. */
export function issueAdf(item: FeedbackItemJson, links: IssueLinks): AdfDoc {
  const field = (value: string | null) => (value === null ? '' : oneLine(value));
  const facts: [string, AdfNode[]][] = [
    [S.rating, text(item.rating === null ? '' : ratingText(item.rating))],
    [S.state, text(STATE_LABELS[item.state as keyof typeof STATE_LABELS] ?? field(item.state))],
    [S.page, linked(field(item.pageUrl), item.pageUrl)],
    [S.environment, text(item.environment === null ? 'default' : field(item.environment))],
    [S.email, text(field(item.userEmail))],
    [S.created, text(item.createdAt)],
  ];
  const content: AdfNode[] = [];
  const lines = (item.comment ?? '').trim().split(/\r\n|\r|\n/).map((line) => line.trimEnd()).filter(Boolean);
  if (lines.length > 0) content.push({ type: 'blockquote', content: lines.map((line) => paragraph(text(line))) });
  const shown = facts.filter(([, value]) => value.length > 0);
  content.push(listOf('bulletList', shown.map(([label, value]) => [text(`${label}: `, [{ type: 'strong' }]), value])));

  const shots = links.screenshots.flatMap((url, i) => (safeHttpUrl(url) ? [[linked(`Screenshot ${i + 1}`, url)]] : []));
  if (shots.length > 0) content.push(heading(S.screenshots), listOf('bulletList', shots));
  const steps = (links.steps ?? []).map(oneLine).filter(Boolean);
  if (steps.length > 0) content.push(heading(S.steps), listOf('orderedList', steps.map((step) => [text(step)])));
  if (links.replayFile) content.push(heading(S.replay), paragraph(linked(S.replayLink, links.feedback), text(' · '), linked(S.replayFile, links.replayFile)));
  if (item.metadata !== null) {
    const json = JSON.stringify(item.metadata, null, 2);
    if (json.length <= METADATA_MAX_CHARS) content.push(heading(S.metadata), { type: 'codeBlock', attrs: { language: 'json' }, content: text(json) });
  }
  content.push({ type: 'rule' }, paragraph(linked(S.footer(item.id), links.feedback)));
  return { type: 'doc', version: 1, content };
}
