/** The e-mail telling a member that reports were assigned to them, with a link to each in the inbox. */
import type { Actor } from '../auth/access.ts';
import type { QueuedEmail } from '../storage/team-types.ts';
import type { Client, FeedbackRow } from '../storage/types.ts';
import { html, newEmail } from './email.ts';
import { reportLink } from './messages.ts';

/** What the e-mail is about: who assigned which reports of which project to whom. */
export interface AssignedEmail {
  to: string;
  actor: Actor;
  project: Pick<Client, 'name'>;
  reports: readonly FeedbackRow[];
  /** The inbox's root URL, ending with `/`. */
  inboxBase: string;
}

// A line that says which report this is: its comment's start, else its page.
function summary(row: FeedbackRow): string {
  const text = (row.comment ?? row.pageTitle ?? row.pageUrl ?? 'A report').replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The queued e-mail, due at `nowMs`. */
export function assignedEmail(about: AssignedEmail, nowMs: number): QueuedEmail {
  const count = about.reports.length;
  const what = count === 1 ? 'a report' : `${count} reports`;
  const intro = `${about.actor.label} assigned you ${what} in ${about.project.name}`;
  const links = about.reports.map((row) => ({ text: summary(row), url: reportLink(about.inboxBase, row.id) }));
  const items = links.map((link) => html`<li><a href="${link.url}">${link.text}</a></li>`.safeHtml).join('');
  return newEmail(
    {
      to: about.to,
      subject: intro,
      text: `${intro}:\n\n${links.map((link) => `- ${link.text}\n  ${link.url}`).join('\n')}\n`,
      html: html`<p>${intro}:</p><ul>${{ safeHtml: items }}</ul>`,
    },
    nowMs,
  );
}
