/**
 * The e-mail queue against a real SMTP server (smtp-server on loopback, mailparser to read
 * what arrived): recipients, subject, the link, escaped user text; a retry after SMTP was
 * down; a queue left by one server sent by the next.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { startServer } from '../../server/start.ts';
import { createTestInstall, startTestServer, storeFeedback, type TestServer } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';
import { callAs, signedInUser } from './team-helpers.ts';

interface TestSmtp {
  port: number;
  received: ParsedMail[];
  stop(): Promise<void>;
}

async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const smtpOf = (port: number) => ({ url: `smtp://127.0.0.1:${port}`, from: 'Loupe <loupe@example.com>', pollMs: 100, retryDelaysMs: [300], maxAttempts: 100 });

async function mention(t: TestServer, body: string) {
  const client = await createClient(t.server.storage, { name: 'Shop <b>bold</b>' });
  const author = await signedInUser(t, { name: 'Ada <script>', roles: { [client.id]: 'member' } });
  await signedInUser(t, { name: 'Bob', email: 'bob@example.com', roles: { [client.id]: 'member' } });
  const feedback = await storeFeedback(t.server.storage, feedbackInput(client.id, { comment: '<b>bold</b> report' }));
  const made = await callAs(t, author, `/api/projects/${client.id}/feedbacks/${feedback.id}/comments`, { method: 'POST', body: { body } });
  expect(made.status).toBe(201);
  return feedback.id;
}

describe('e-mail over SMTP', () => {
  it('delivers a mention: recipient, one-line subject, the link, user text escaped in the HTML part', async () => {
    const smtp = await startSmtp();
    cleanups.push(smtp.stop);
    const t = await startTestServer({ smtp: smtpOf(smtp.port), publicUrl: 'https://loupe.example.com' });
    cleanups.push(t.stop);
    const feedbackId = await mention(t, '@bob look: <script>alert(1)</script> <b>now</b>');
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(1);
    const mail = smtp.received[0]!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.address) : []).toEqual(['bob@example.com']);
    expect(mail.subject).toContain('mentioned you');
    const link = `https://loupe.example.com/feedback/${feedbackId}`;
    expect(mail.text).toContain(link);
    const htmlPart = String(mail.html);
    expect(htmlPart).toContain(`href="${link}"`);
    expect(htmlPart).not.toMatch(/<script>|<b>/);
    expect(htmlPart).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    await expect.poll(async () => (await t.server.storage.team.listEmails())[0]?.sentAt ?? null).not.toBeNull();
  });

  it('retries after SMTP was down and delivers once', async () => {
    // A port that was just free: nothing listens until the server is started on it below.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.stop();
    const t = await startTestServer({ smtp: smtpOf(port) });
    cleanups.push(t.stop);
    await mention(t, '@bob hello');
    await expect.poll(async () => (await t.server.storage.team.listEmails())[0]?.lastError ?? null, { timeout: 10_000 }).not.toBeNull();
    const smtp = await startSmtp(port);
    cleanups.push(smtp.stop);
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.received.length).toBe(1);
    const [email] = await t.server.storage.team.listEmails();
    expect(email).toMatchObject({ sentAt: expect.any(String), nextAttemptAt: null });
    expect(email!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('a queue left by a server without SMTP is sent by the next one on the same data', async () => {
    const install = await createTestInstall();
    cleanups.push(install.remove);
    const first = await startServer({ host: '127.0.0.1', port: 0, dataDir: install.dataDir, databaseUrl: install.databaseUrl });
    const t1 = { url: first.url, server: first } as unknown as TestServer;
    await mention(t1, '@bob queued');
    await first.close();

    const smtp = await startSmtp();
    cleanups.push(smtp.stop);
    const second = await startServer({ host: '127.0.0.1', port: 0, dataDir: install.dataDir, databaseUrl: install.databaseUrl, smtp: smtpOf(smtp.port) });
    cleanups.push(() => second.close());
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(1);
    expect(smtp.received[0]!.subject).toContain('mentioned you');
  });
});
