/**
 * What each notification e-mail says: a one-line subject, a text part and an HTML part in
 * which every value from users (names, comments, page titles) goes through `html`.
 */
import type { FeedbackRow } from '../storage/types.ts';
import { html, type EmailContent } from './email.ts';

/** The inbox's page of one report: `<base>/feedback/<id>` (server/inbox/client/location.ts). */
export function reportLink(base: string, feedbackId: string): string {
  return `${base.replace(/\/+$/, '')}/feedback/${encodeURIComponent(feedbackId)}`;
}

const EXCERPT_CHARS = 300;

function excerpt(text: string | null, chars = EXCERPT_CHARS): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}

/** How a report is named in a subject: its comment's start, else its page. */
function reportTitle(feedback: FeedbackRow): string {
  return excerpt(feedback.comment, 60) || excerpt(feedback.pageTitle, 60) || excerpt(feedback.pageUrl, 60) || 'a report';
}

const layout = (body: ReturnType<typeof html>) =>
  html`<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">${body}</body></html>`;

/** To a member who turned new-report e-mails on. */
export function newReportEmail(to: string, input: { projectName: string; feedback: FeedbackRow; base: string }): EmailContent {
  const { feedback } = input;
  const link = reportLink(input.base, feedback.id);
  const comment = excerpt(feedback.comment);
  const page = feedback.pageUrl ?? '';
  return {
    to,
    subject: `[${input.projectName}] New report: ${reportTitle(feedback)}`,
    text: [
      `A new report in ${input.projectName}.`,
      ...(feedback.rating !== null ? [`Rating: ${feedback.rating} of 4`] : []),
      ...(comment ? [`"${comment}"`] : []),
      ...(page ? [`Page: ${page}`] : []),
      '',
      `Open it: ${link}`,
    ].join('\n'),
    html: layout(html`<p>A new report in <strong>${input.projectName}</strong>.</p>
${feedback.rating !== null ? html`<p>Rating: ${feedback.rating} of 4</p>` : html``}
${comment ? html`<blockquote>${comment}</blockquote>` : html``}
${page ? html`<p>Page: ${page}</p>` : html``}
<p><a href="${link}">Open the report</a></p>`),
  };
}

/** To a member mentioned in a comment. */
export function mentionEmail(
  to: string,
  input: { projectName: string; feedback: FeedbackRow; actorLabel: string; body: string; base: string },
): EmailContent {
  const link = reportLink(input.base, input.feedback.id);
  const said = excerpt(input.body, 1_000);
  return {
    to,
    subject: `[${input.projectName}] ${input.actorLabel} mentioned you on ${reportTitle(input.feedback)}`,
    text: `${input.actorLabel} mentioned you in a comment:\n\n${said}\n\nOpen the report: ${link}`,
    html: layout(html`<p><strong>${input.actorLabel}</strong> mentioned you in a comment:</p>
<blockquote>${said}</blockquote>
<p><a href="${link}">Open the report</a></p>`),
  };
}

/** To the reporter's shared address, when the project tells reporters. No inbox link: they cannot open it. */
export function doneEmail(to: string, input: { projectName: string; feedback: FeedbackRow }): EmailContent {
  const { feedback } = input;
  const comment = excerpt(feedback.comment);
  const page = feedback.pageUrl ?? '';
  return {
    to,
    subject: `${input.projectName}: your feedback was dealt with`,
    text: [
      `Thank you for your feedback to ${input.projectName}: the team marked it done.`,
      ...(comment ? ['', `"${comment}"`] : []),
      ...(page ? [`Page: ${page}`] : []),
    ].join('\n'),
    html: layout(html`<p>Thank you for your feedback to <strong>${input.projectName}</strong>: the team marked it done.</p>
${comment ? html`<blockquote>${comment}</blockquote>` : html``}
${page ? html`<p>Page: ${page}</p>` : html``}`),
  };
}

/** To a project's owners when an integration kept failing and was turned off. */
export function integrationOffEmail(to: string, input: { projectName: string; integration: string; reason: string; base: string }): EmailContent {
  const settings = `${input.base.replace(/\/+$/, '')}/inbox`;
  return {
    to,
    subject: `[${input.projectName}] Turned off: ${excerpt(input.integration, 80)}`,
    text: [`Loupe turned off ${input.integration} in ${input.projectName}.`, input.reason, '', `Turn it back on in the project's settings: ${settings}`].join('\n'),
    html: layout(html`<p>Loupe turned off <b>${input.integration}</b> in ${input.projectName}.</p><p>${input.reason}</p><p><a href="${settings}">Project settings</a></p>`),
  };
}
