/** Who a change notifies and what the e-mails say: mentions, new reports, done, retries. */
import { describe, expect, it } from 'vitest';
import { newFeedbackRow } from '../../server/new-rows.ts';
import { commentEffects, isPlausibleAddress, newReportEffects, type ProjectPerson } from '../../server/notify/effects.ts';
import { findMentions } from '../../server/notify/mentions.ts';
import { nextAttemptAfter } from '../../server/notify/sender.ts';
import type { Comment } from '../../server/storage/team-types.ts';
import { feedbackInput } from './read-api-helpers.ts';

const person = (id: string, email: string, name: string | null, notifyNewReports = false): ProjectPerson => ({
  user: { id, email, name, passwordHash: null, serverOwner: false, createdAt: '2026-01-01T00:00:00.000Z' },
  membership: { clientId: 'client_x', userId: id, role: 'member', notifyNewReports, createdAt: '2026-01-01T00:00:00.000Z' },
});
const ada = person('usr_ada', 'ada@example.com', 'Ada Lovelace', true);
const bob = person('usr_bob', 'bob@example.com', 'bob');
const cy = person('usr_cy', 'cy@example.com', null, true);
const people = [ada, bob, cy];
const users = people.map((p) => p.user);

describe('mentions', () => {
  it('finds members by @name (spaces allowed, any case) and by @email', () => {
    expect(findMentions('Thanks @ada lovelace and @cy@example.com!', users).map((u) => u.id)).toEqual(['usr_ada', 'usr_cy']);
    expect(findMentions('@BOB: look', users).map((u) => u.id)).toEqual(['usr_bob']);
  });

  it('ignores addresses, longer words and non-members', () => {
    expect(findMentions('write to me@bob or @bobby or @eve@example.com', users)).toEqual([]);
    expect(findMentions('no mention of bob@example.com here', users)).toEqual([]);
    expect(findMentions('ends a sentence: @bob.', users).map((u) => u.id)).toEqual(['usr_bob']);
    expect(findMentions('@bob.smith', users)).toEqual([]);
  });
});

const feedback = newFeedbackRow(
  { ...feedbackInput('client_x'), comment: 'Broken <script>alert(1)</script> <b>button</b>', userEmail: 'reporter@example.com', pageUrl: 'https://app.example.com/a' },
  Date.parse('2026-02-01T10:00:00Z'),
);
const ctx = { projectName: 'Shop <b>', feedback, base: 'https://loupe.example.com/', nowMs: Date.parse('2026-02-01T11:00:00Z') };

describe('effects', () => {
  const comment: Comment = {
    id: 'cmt_1',
    clientId: 'client_x',
    feedbackId: feedback.id,
    authorId: 'usr_ada',
    body: '@Ada Lovelace @bob see <script>x()</script>',
    createdAt: '2026-02-01T11:00:00.000Z',
    updatedAt: '2026-02-01T11:00:00.000Z',
    deletedAt: null,
  };

  it('a comment notifies and e-mails the members it mentions, never its author', () => {
    const effects = commentEffects(ctx, comment, { id: 'usr_ada', label: 'Ada Lovelace' }, people);
    expect(effects.activity?.map((a) => [a.kind, a.data])).toEqual([['commented', { commentId: 'cmt_1' }]]);
    expect(effects.notifications?.map((n) => [n.userId, n.kind, n.actorLabel])).toEqual([['usr_bob', 'mentioned', 'Ada Lovelace']]);
    const [email] = effects.emails ?? [];
    expect(email?.to).toBe('bob@example.com');
    expect(email?.text).toContain(`https://loupe.example.com/feedback/${feedback.id}`);
    expect(email?.html).toContain('&#60;script&#62;x()&#60;/script&#62;');
    expect(email?.html).not.toContain('<script>');
  });

  it('a new report goes to the members who turned it on', () => {
    const effects = newReportEffects(ctx, people);
    expect(effects.notifications?.map((n) => [n.userId, n.kind])).toEqual([['usr_ada', 'new_report'], ['usr_cy', 'new_report']]);
    expect(effects.emails?.map((e) => e.to)).toEqual(['ada@example.com', 'cy@example.com']);
    const email = effects.emails![0]!;
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).not.toMatch(/<script>|<b>/);
    expect(email.html).toContain(`href="https://loupe.example.com/feedback/${feedback.id}"`);
  });

  it('only a plausible address is one to send to', () => {
    expect(isPlausibleAddress('reporter@example.com')).toBe(true);
    expect(isPlausibleAddress('me at home')).toBe(false);
    expect(isPlausibleAddress('a@b.co\r\nBcc: x@y.z')).toBe(false);
  });
});

describe('retry schedule', () => {
  it('waits longer after each failure, then gives up', () => {
    const delays = [30_000, 120_000, 600_000];
    const at = (attempts: number) => nextAttemptAfter(attempts, 0, delays, 5);
    expect([1, 2, 3, 4].map(at)).toEqual([30_000, 120_000, 600_000, 600_000].map((ms) => new Date(ms).toISOString()));
    expect(at(5)).toBeNull();
  });
});
