/**
 * A new report as a Slack message (Block Kit, https://docs.slack.dev/messaging/formatting-message-text):
 * a header with the rating, the comment quoted, the page and environment, and a link back to
 * the report in the inbox, with `text` as the notification's fallback. Every user string is
 * escaped for mrkdwn (`&`, `<`, `>` as Slack asks), so `<!channel>` or `<http://x|y>` in a
 * comment shows as typed, never as a mention or a link; each text is cut to Block Kit's limits.
 */
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { SLACK } from '../constants.ts';
import { safeHttpUrl } from '../inbox/client/dom.ts';
import { feedbackUrl } from '../inbox/client/links.ts';
import { oneLine } from '../inbox/client/markdown-text.ts';
import { INBOX_STRINGS, ratingText } from '../inbox/client/strings.ts';
import type { FeedbackItemJson } from '../read-api/items.ts';

const S = INBOX_STRINGS.issue;
const SLACK_STRINGS = {
  header: (rating: string) => `New feedback: ${rating}`,
  open: 'Open the report in Loupe',
  defaultEnvironment: 'default',
} as const;

// Slack's three control characters in message text (its docs: "Escaping text").
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Text that shows as itself in mrkdwn: no mention, channel link, link or entity of Slack's. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

/**
 * `text` written out one code point at a time by `write`, cut with an ellipsis to at most
 * `maxChars` (UTF-16 units, as Slack counts), never inside an entity or a surrogate pair.
 */
function fitted(text: string, maxChars: number, write: (c: string) => string = escapeMrkdwn): string {
  const pieces = Array.from(text, write);
  const whole = pieces.join('');
  if (whole.length <= maxChars) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > maxChars - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** The comment as a mrkdwn quote (`>` before each line), fitted to a section. */
function quoted(comment: string): string {
  const text = comment.replace(/\r\n|\r/g, '\n');
  return `>${fitted(text, SLACK.sectionMaxChars - 1, (c) => (c === '\n' ? '\n>' : escapeMrkdwn(c)))}`;
}

/** `<url|label>` when the URL is http(s) and fits, else the label alone; at most `maxChars`. */
function link(url: string | null, label: string, maxChars: number): string {
  // `|` would end the address inside `<…|…>`: percent-encoded, it is the same address.
  const target = safeHttpUrl(url)?.replace(/[&<>]/g, (c) => ENTITIES[c]!).replace(/\|/g, '%7C');
  const room = target === undefined ? 0 : maxChars - target.length - 3;
  return target !== undefined && room >= 1 ? `<${target}|${fitted(label, room)}>` : fitted(label, maxChars);
}

/** A field of the facts section: its name in bold over its value (mrkdwn, fitted by the caller to fieldRoom). */
function field(name: string, value: string) {
  return { type: 'mrkdwn' as const, text: `*${name}*\n${value}`, verbatim: true };
}

/** How long a field's value may be under its name. */
const fieldRoom = (name: string) => SLACK.fieldMaxChars - name.length - 3;

/** The message for a new report; `baseUrl` is where the inbox is (no trailing slash). */
export function slackMessage(item: FeedbackItemJson, baseUrl: string): IncomingWebhookSendArguments {
  const rating = item.rating === null ? S.noRating : ratingText(item.rating);
  const title = SLACK_STRINGS.header(rating);
  const comment = item.comment?.trim() ? item.comment.trim() : undefined;
  const inbox = feedbackUrl(new URL(`${baseUrl}/`), item.id);
  const page = item.pageUrl === null ? undefined : link(item.pageUrl, oneLine(item.pageUrl), fieldRoom(S.page));
  return {
    text: fitted(comment ? `${title}: ${oneLine(comment)}` : title, SLACK.fallbackMaxChars),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, SLACK.headerMaxChars), emoji: false } },
      ...(comment ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: quoted(comment), verbatim: true } }] : []),
      {
        type: 'section',
        fields: [
          field(S.rating, rating),
          field(S.environment, item.environment === null ? SLACK_STRINGS.defaultEnvironment : fitted(oneLine(item.environment), fieldRoom(S.environment))),
          ...(page ? [field(S.page, page)] : []),
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: link(inbox, SLACK_STRINGS.open, SLACK.sectionMaxChars), verbatim: true } },
    ],
    // The page may be private: Slack is not asked to fetch it for a preview.
    unfurl_links: false,
    unfurl_media: false,
  };
}
