/**
 * Sends the durable e-mail queue over SMTP. Everything it knows is in the database: each
 * round claims the due e-mails for a while (TeamStore.claimEmails, so another instance
 * leaves them alone), sends them one by one and records each try. A failed try waits
 * EMAIL_QUEUE.retryDelaysMs before the next; a restart picks up where the queue stands.
 * Owned by the running server: `stop` ends the loop after the send under way.
 */
import nodemailer from 'nodemailer';
import { EMAIL_QUEUE } from '../constants.ts';
import { startPollingLoop } from '../polling-loop.ts';
import type { QueuedEmail, TeamStore } from '../storage/team-types.ts';

/** Where and as whom e-mail is sent. */
export interface SmtpConfig {
  /** e.g. `smtp://user:pass@mail.example.com:587` (`smtps://` for TLS from the start). */
  url: string;
  /** The From address, e.g. `Loupe <loupe@example.com>`. */
  from: string;
}

/** The SMTP settings in env (SMTP_URL, SMTP_FROM), or `undefined` unless both are set. */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpConfig | undefined {
  const url = env[EMAIL_QUEUE.smtpUrlEnvVar];
  const from = env[EMAIL_QUEUE.fromEnvVar];
  return url && from ? { url, from } : undefined;
}

/** What the sender works with; the timings default to EMAIL_QUEUE's. */
export interface SenderOptions {
  team: TeamStore;
  smtp: SmtpConfig;
  nowMs?: () => number;
  logError: (message: string, error: unknown) => void;
  pollMs?: number;
  retryDelaysMs?: readonly number[];
  maxAttempts?: number;
}

/** A running sender. */
export interface EmailSender {
  /** Looks at the queue now (after an e-mail was queued) instead of at the next poll. */
  wake(): void;
  /** Ends the loop after the send under way and closes the SMTP connection; safe to call twice. */
  stop(): Promise<void>;
}

/** When the try after `attempts` failed tries is due, or `null` when they are used up. */
export function nextAttemptAfter(attempts: number, nowMs: number, delaysMs: readonly number[], maxAttempts: number): string | null {
  if (attempts >= maxAttempts) return null;
  const delay = delaysMs[Math.min(attempts - 1, delaysMs.length - 1)] ?? 0;
  return new Date(nowMs + delay).toISOString();
}

/** Starts the loop; the first round runs at once. */
export function startEmailSender(options: SenderOptions): EmailSender {
  const nowMs = options.nowMs ?? Date.now;
  const pollMs = options.pollMs ?? EMAIL_QUEUE.pollMs;
  const delays = options.retryDelaysMs ?? EMAIL_QUEUE.retryDelaysMs;
  const maxAttempts = options.maxAttempts ?? EMAIL_QUEUE.maxAttempts;
  const transport = nodemailer.createTransport({
    url: options.smtp.url,
    connectionTimeout: EMAIL_QUEUE.smtpTimeoutMs,
    greetingTimeout: EMAIL_QUEUE.smtpTimeoutMs,
    socketTimeout: EMAIL_QUEUE.smtpTimeoutMs,
  });
  const sendOne = async (email: QueuedEmail) => {
    try {
      await transport.sendMail({ from: options.smtp.from, to: email.to, subject: email.subject, text: email.text, html: email.html });
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, EMAIL_QUEUE.maxErrorChars);
      const next = nextAttemptAfter(email.attempts + 1, nowMs(), delays, maxAttempts);
      await options.team.finishEmail(email.id, { error: message, nextAttemptAt: next });
      return;
    }
    await options.team.finishEmail(email.id, { sentAt: new Date(nowMs()).toISOString() });
  };

  // Returns whether a full batch was claimed (more may be due at once).
  const runRound = async (): Promise<boolean> => {
    const now = nowMs();
    const claimed = await options.team.claimEmails(new Date(now).toISOString(), new Date(now + EMAIL_QUEUE.lockMs).toISOString(), EMAIL_QUEUE.batch);
    // Stopping between two sends leaves the rest claimed: their lock passes and a sender takes them then.
    for (const email of claimed) if (!loop.isStopped()) await sendOne(email);
    return claimed.length === EMAIL_QUEUE.batch;
  };

  const loop = startPollingLoop({ runRound, pollMs, onError: (error) => options.logError('E-mail queue round failed:', error) });

  return {
    wake: loop.wake,
    async stop() {
      await loop.stop();
      transport.close();
    },
  };
}
