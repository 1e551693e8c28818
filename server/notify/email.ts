/**
 * E-mails as the queue stores them (server/storage/team-types.ts QueuedEmail): a text part
 * and an HTML part in which every value from users (names, comments, page titles) is escaped.
 */
import { newTeamId } from '../ids.ts';
import type { QueuedEmail } from '../storage/team-types.ts';

/** Text safe to put in HTML, as an element's content or a quoted attribute's value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A value placed in `html` as is: only what `html` itself made. */
export interface SafeHtml {
  readonly safeHtml: string;
}

/** A tagged template: every interpolated value is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  const parts = strings.map((part, i) => {
    if (i === values.length) return part;
    const value = values[i];
    const text = typeof value === 'object' && value !== null && 'safeHtml' in value ? (value as SafeHtml).safeHtml : escapeHtml(String(value));
    return part + text;
  });
  return { safeHtml: parts.join('') };
}

/** What an e-mail says. */
export interface EmailContent {
  to: string;
  subject: string;
  text: string;
  html: SafeHtml;
}

/** A new e-mail for the queue, due at once. */
export function newEmail(content: EmailContent, nowMs: number): QueuedEmail {
  const now = new Date(nowMs).toISOString();
  return {
    id: newTeamId('email'),
    to: content.to,
    // A subject is one header line: no line breaks from user text.
    subject: content.subject.replace(/[\r\n]+/g, ' ').slice(0, 200),
    text: content.text,
    html: content.html.safeHtml,
    createdAt: now,
    attempts: 0,
    nextAttemptAt: now,
    sentAt: null,
    lastError: null,
  };
}
