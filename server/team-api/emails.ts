/** The e-mails the team routes queue (sent by the notification sender, server/notify). */
import { html, newEmail } from '../notify/email.ts';
import type { QueuedEmail } from '../storage/team-types.ts';

/** A password reset link for `to`. */
export function passwordResetEmail(to: string, url: string, nowMs: number): QueuedEmail {
  return newEmail(
    {
      to,
      subject: 'Reset your Loupe password',
      text: `Someone (hopefully you) asked to reset the password of ${to} on Loupe.\n\nSet a new one here (the link works once, for an hour):\n${url}\n\nIf it was not you, ignore this e-mail: your password stays as it is.\n`,
      html: html`<p>Someone (hopefully you) asked to reset the password of ${to} on Loupe.</p><p><a href="${url}">Set a new password</a> (the link works once, for an hour).</p><p>If it was not you, ignore this e-mail: your password stays as it is.</p>`,
    },
    nowMs,
  );
}

/** An invitation to join project `projectName` as `role`. */
export function invitationEmail(to: string, input: { projectName: string; role: string; inviter: string; url: string }, nowMs: number): QueuedEmail {
  const { projectName, role, inviter, url } = input;
  return newEmail(
    {
      to,
      subject: `${inviter} invited you to ${projectName} on Loupe`,
      text: `${inviter} invited you to the project "${projectName}" on Loupe as ${role}.\n\nAccept here (the link works once, for 7 days):\n${url}\n`,
      html: html`<p>${inviter} invited you to the project <strong>${projectName}</strong> on Loupe as ${role}.</p><p><a href="${url}">Accept the invitation</a> (the link works once, for 7 days).</p>`,
    },
    nowMs,
  );
}
