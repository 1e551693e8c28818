/**
 * The team side of the storage contract (Storage.team), run inside describeStorage
 * (storage-contract.ts) against every engine: SQLite in `server`, PostgreSQL in `server-pg`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import type * as T from '../../server/storage/team-types.ts';
import type { Client, FeedbackRow, Storage } from '../../server/storage/types.ts';
import type { StorageUnderTest } from './storage-contract.ts';
import { storeFeedback } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const user = (id: string, email: string, at = T0): T.User => ({ id, email, name: null, passwordHash: null, serverOwner: false, createdAt: iso(at) });
const member = (clientId: string, userId: string, role: T.Role, at = T0): T.Membership => ({ clientId, userId, role, notifyNewReports: false, createdAt: iso(at) });
const token = (hash: string, purpose: T.TokenPurpose, userId: string | null, expiresMs: number): T.OneTimeToken => ({
  tokenHash: hash, purpose, userId, clientId: null, role: null, email: null, createdBy: null, createdAt: iso(T0), expiresAt: iso(expiresMs), usedAt: null,
});
const activity = (id: string, c: FeedbackRow, kind: T.ActivityKind, at: number): T.Activity => ({
  id, clientId: c.clientId, feedbackId: c.id, actorId: null, actorLabel: 'Reporter', kind, data: { to: 'done', n: [1] }, createdAt: iso(at),
});
const notification = (id: string, userId: string, c: FeedbackRow, at: number): T.Notification => ({
  id, userId, clientId: c.clientId, feedbackId: c.id, kind: 'assigned', actorLabel: 'Ada', createdAt: iso(at), readAt: null,
});
const email = (id: string, at: number, nextMs: number | null = at): T.QueuedEmail => ({
  id, to: 'a@example.com', subject: `S ${id}`, text: 't', html: '<p>t</p>', createdAt: iso(at), attempts: 0,
  nextAttemptAt: nextMs === null ? null : iso(nextMs), sentAt: null, lastError: null,
});

/** The team store's contract; `current` gives the test's storage under test. */
export function describeTeamStorage(current: () => StorageUnderTest): void {
  describe('team', () => {
    let storage: Storage;
    let team: T.TeamStore;
    let client: Client;
    let item: FeedbackRow;
    beforeEach(async () => {
      storage = current().storage;
      team = storage.team;
      client = await createClient(storage, { name: 'Team' }, T0);
      item = await storeFeedback(storage, feedbackInput(client.id, { comment: 'x' }), T0);
      await team.insertUser(user('usr_ada', 'ada@example.com'));
      await team.insertUser(user('usr_bob', 'bob@example.com', T0 + 1));
    });

    it('keeps users with unique lower-cased e-mails, and a new password signs every session out', async () => {
      expect(await team.insertUser(user('usr_other', 'ADA@Example.com'))).toBe(false);
      expect(await team.insertUser({ ...user('usr_cy', 'Cy@Example.com', T0 - 1), name: 'Cy', serverOwner: true, passwordHash: '$argon2id$x' })).toBe(true);
      expect(await team.getUserByEmail('CY@example.COM')).toEqual({ ...user('usr_cy', 'cy@example.com', T0 - 1), name: 'Cy', serverOwner: true, passwordHash: '$argon2id$x' });
      expect((await team.listUsers()).map((u) => u.id)).toEqual(['usr_cy', 'usr_ada', 'usr_bob']);
      expect((await team.getUsers(['usr_bob', 'usr_none'])).map((u) => u.id)).toEqual(['usr_bob']);
      expect(await team.getUsers([])).toEqual([]);
      expect(await team.getUser('usr_none')).toBeUndefined();

      const session = (idHash: string, userId: string, expiresMs: number): T.Session => ({ idHash, userId, csrfToken: `c${idHash}`, createdAt: iso(T0), expiresAt: iso(expiresMs) });
      await team.insertSession(session('h1', 'usr_ada', T0 + 100));
      await team.insertSession(session('h2', 'usr_ada', T0 + 100));
      await team.insertSession(session('h3', 'usr_bob', T0 + 100));
      expect(await team.getSession('h1', iso(T0 + 99))).toEqual(session('h1', 'usr_ada', T0 + 100));
      expect(await team.getSession('h1', iso(T0 + 100))).toBeUndefined();
      await team.deleteSession('h2');
      expect(await team.getSession('h2', iso(T0))).toBeUndefined();
      await team.setPasswordHash('usr_ada', '$argon2id$new');
      expect(await team.getSession('h1', iso(T0))).toBeUndefined();
      expect(await team.getSession('h3', iso(T0))).toBeDefined();
      expect((await team.getUser('usr_ada'))?.passwordHash).toBe('$argon2id$new');
    });

    it('uses a one-time token once, for its purpose and before it expires, even when two servers race for it', async () => {
      await team.insertToken(token('t1', 'sign_in', 'usr_ada', T0 + 100));
      expect(await team.useToken('t1', 'password_reset', iso(T0))).toBeUndefined();
      expect(await team.useToken('t1', 'sign_in', iso(T0 + 100))).toBeUndefined();
      expect(await team.useToken('t1', 'sign_in', iso(T0 + 1))).toEqual({ ...token('t1', 'sign_in', 'usr_ada', T0 + 100), usedAt: iso(T0 + 1) });
      expect(await team.useToken('t1', 'sign_in', iso(T0 + 2))).toBeUndefined();
      expect((await team.getToken('t1'))?.usedAt).toBe(iso(T0 + 1));
      expect(await team.getToken('t_none')).toBeUndefined();

      const invitation = { ...token('t2', 'invitation', null, T0 + 100), clientId: client.id, role: 'member' as const, email: 'x@example.com', createdBy: 'usr_ada' };
      await team.insertToken(invitation);
      const other = await current().openAnother();
      const uses = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : storage).team.useToken('t2', 'invitation', iso(T0 + i))));
      expect(uses.filter((u) => u !== undefined)).toHaveLength(1);
      expect(uses.find((u) => u !== undefined)).toMatchObject({ clientId: client.id, role: 'member', email: 'x@example.com' });
    });

    it('keeps members; a second put changes only the role, and removing one clears their assignments and notifications in that project', async () => {
      const elsewhere = await createClient(storage, { name: 'Elsewhere' }, T0 + 1);
      await team.putMember(member(client.id, 'usr_bob', 'owner', T0 + 5));
      await team.putMember(member(client.id, 'usr_ada', 'viewer', T0 + 5));
      await team.putMember(member(elsewhere.id, 'usr_ada', 'member'));
      await team.setNotifyNewReports(client.id, 'usr_ada', true);
      await team.putMember(member(client.id, 'usr_ada', 'member', T0 + 9));
      expect(await team.getMember(client.id, 'usr_ada')).toEqual({ ...member(client.id, 'usr_ada', 'member', T0 + 5), notifyNewReports: true });
      expect((await team.listMembers(client.id)).map((m) => m.userId)).toEqual(['usr_ada', 'usr_bob']);
      expect((await team.listMemberships('usr_ada')).map((m) => m.clientId).sort()).toEqual([client.id, elsewhere.id].sort());

      const theirs = await storeFeedback(storage, feedbackInput(elsewhere.id, {}), T0);
      const assign = (row: FeedbackRow) =>
        team.changeFeedback({ clientId: row.clientId, id: row.id, assigneeId: 'usr_ada', updatedAt: iso(T0 + 1), previousUpdatedAt: row.updatedAt }, {});
      expect(await assign(item)).toBe(true);
      expect(await assign(theirs)).toBe(true);
      await team.record({ notifications: [notification('ntf_here', 'usr_ada', item, T0 + 2), notification('ntf_there', 'usr_ada', theirs, T0 + 3)] });
      expect(await team.removeMember(client.id, 'usr_ada')).toBe(true);
      // Their bell no longer names the project's reports; the other project's entries stay.
      expect((await team.listNotifications('usr_ada', 10)).map((n) => n.id)).toEqual(['ntf_there']);
      expect(await team.removeMember(client.id, 'usr_ada')).toBe(false);
      expect(await team.getMember(client.id, 'usr_ada')).toBeUndefined();
      expect((await storage.getFeedback(item.id))?.assigneeId).toBeNull();
      expect((await storage.getFeedback(theirs.id))?.assigneeId).toBe('usr_ada');
    });

    it('keeps labels unique per project whatever the case, renames them, and deleting one takes it off every report', async () => {
      const label = (id: string, name: string, clientId = client.id): T.Label => ({ id, clientId, name, color: '#aa0000', createdAt: iso(T0) });
      const elsewhere = await createClient(storage, { name: 'Elsewhere' }, T0 + 1);
      expect(await team.insertLabel(label('lbl_b', 'Bug'))).toBe(true);
      expect(await team.insertLabel(label('lbl_x', 'BUG'))).toBe(false);
      expect(await team.insertLabel(label('lbl_e', 'bug', elsewhere.id))).toBe(true);
      expect(await team.insertLabel(label('lbl_a', 'Accessibility'))).toBe(true);
      expect((await team.listLabels(client.id)).map((l) => l.name)).toEqual(['Accessibility', 'Bug']);
      expect(await team.updateLabel(client.id, 'lbl_a', { name: 'bug' })).toBe(false);
      expect(await team.updateLabel(client.id, 'lbl_a', { color: '#00ff00' })).toEqual({ ...label('lbl_a', 'Accessibility'), color: '#00ff00' });
      expect(await team.updateLabel(client.id, 'lbl_b', { name: 'Defect' })).toEqual(label('lbl_b', 'Defect'));
      expect(await team.updateLabel(elsewhere.id, 'lbl_b', { name: 'Mine' })).toBeUndefined();

      const other = await storeFeedback(storage, feedbackInput(client.id, {}), T0);
      const labelled = (row: FeedbackRow, labelIds: string[]) =>
        team.changeFeedback({ clientId: client.id, id: row.id, labelIds, updatedAt: iso(T0 + 1), previousUpdatedAt: row.updatedAt }, {});
      // A label of another project is left out.
      expect(await labelled(item, ['lbl_b', 'lbl_a', 'lbl_e'])).toBe(true);
      expect(await labelled(other, ['lbl_b'])).toBe(true);
      expect(await team.labelsOf([item.id, other.id, 'fb_none'])).toEqual(new Map([[item.id, ['lbl_a', 'lbl_b']], [other.id, ['lbl_b']]]));
      expect(await team.deleteLabel(client.id, 'lbl_b')).toBe(true);
      expect(await team.deleteLabel(client.id, 'lbl_b')).toBe(false);
      expect(await team.labelsOf([item.id, other.id])).toEqual(new Map([[item.id, ['lbl_a']]]));
      expect(await team.labelsOf([])).toEqual(new Map());
    });

    it('changes an item only from the time it read, writing its effects with it, or nothing at all', async () => {
      const change: T.FeedbackChange = {
        clientId: client.id, id: item.id, state: 'done', assigneeId: 'usr_bob', priority: 'urgent', updatedAt: iso(T0 + 10), previousUpdatedAt: item.updatedAt,
      };
      const effects: T.Effects = { activity: [activity('act_1', item, 'state', T0 + 10)], notifications: [notification('ntf_1', 'usr_bob', item, T0 + 10)], emails: [email('eml_1', T0 + 10)] };
      expect(await team.changeFeedback({ ...change, clientId: 'client_other' }, effects)).toBe(false);
      expect(await team.changeFeedback({ ...change, previousUpdatedAt: iso(T0 - 1) }, effects)).toBe(false);
      expect(await team.listActivity(item.id)).toEqual([]);
      expect(await team.changeFeedback(change, effects)).toBe(true);
      expect(await storage.getFeedback(item.id)).toEqual({ ...item, state: 'done', assigneeId: 'usr_bob', priority: 'urgent', updatedAt: iso(T0 + 10) });
      expect(await team.listActivity(item.id)).toEqual(effects.activity);
      expect(await team.listNotifications('usr_bob', 10)).toEqual(effects.notifications);
      expect(await team.listEmails()).toEqual(effects.emails);
      expect(await storage.countFeedback(client.id, [{ field: 'state', operator: 'eq', value: 'done' }])).toBe(1);
      // The same change again is stale now.
      expect(await team.changeFeedback(change, {})).toBe(false);

      // An effect that cannot be stored (a notification for no user) rolls the change back.
      const next = { ...change, state: 'new' as const, updatedAt: iso(T0 + 11), previousUpdatedAt: iso(T0 + 10) };
      await expect(team.changeFeedback(next, { activity: [activity('act_2', item, 'state', T0 + 11)], notifications: [notification('ntf_2', 'usr_none', item, T0 + 11)] })).rejects.toThrow();
      expect((await storage.getFeedback(item.id))?.state).toBe('done');
      expect(await team.listActivity(item.id)).toHaveLength(1);

      // Two servers racing from one read: exactly one wins.
      const other = await current().openAnother();
      const raced = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? other : storage).team.changeFeedback({ ...next, priority: 'low', updatedAt: iso(T0 + 20 + i) }, {})),
      );
      expect(raced.filter(Boolean)).toHaveLength(1);
    });

    it('keeps comments in order; an edit changes the body, a delete keeps its place without it', async () => {
      const comment = (id: string, at: number): T.Comment => ({
        id, clientId: client.id, feedbackId: item.id, authorId: 'usr_ada', body: `**${id}**`, createdAt: iso(at), updatedAt: iso(at), deletedAt: null,
      });
      await team.insertComment(comment('cmt_b', T0 + 1), { activity: [activity('act_c', item, 'commented', T0 + 1)] });
      await team.insertComment(comment('cmt_a', T0 + 2), {});
      expect((await team.listComments(item.id)).map((c) => c.id)).toEqual(['cmt_b', 'cmt_a']);
      expect((await team.listActivity(item.id)).map((a) => a.kind)).toEqual(['commented']);
      expect(await team.updateComment('cmt_b', { body: 'edited', updatedAt: iso(T0 + 5) })).toBe(true);
      expect(await team.getComment('cmt_b')).toEqual({ ...comment('cmt_b', T0 + 1), body: 'edited', updatedAt: iso(T0 + 5) });
      expect(await team.updateComment('cmt_b', { updatedAt: iso(T0 + 6), deletedAt: iso(T0 + 6) })).toBe(true);
      expect(await team.getComment('cmt_b')).toMatchObject({ body: '', deletedAt: iso(T0 + 6), updatedAt: iso(T0 + 6) });
      expect(await team.updateComment('cmt_b', { body: 'again', updatedAt: iso(T0 + 7) })).toBe(false);
      expect(await team.updateComment('cmt_none', { body: 'x', updatedAt: iso(T0 + 7) })).toBe(false);
      expect(await team.getComment('cmt_none')).toBeUndefined();
      expect(await team.listComments(item.id)).toHaveLength(2);
    });

    it('lists a user’s notifications newest first, counts and marks them read', async () => {
      await team.record({ notifications: [1, 2, 3].map((i) => notification(`ntf_${i}`, 'usr_ada', item, T0 + i)) });
      await team.record({ notifications: [notification('ntf_bob', 'usr_bob', item, T0)] });
      await team.record({});
      expect((await team.listNotifications('usr_ada', 2)).map((n) => n.id)).toEqual(['ntf_3', 'ntf_2']);
      expect(await team.countUnread('usr_ada')).toBe(3);
      await team.markRead('usr_ada', ['ntf_1', 'ntf_bob'], iso(T0 + 9));
      await team.markRead('usr_ada', [], iso(T0 + 9));
      expect(await team.countUnread('usr_ada')).toBe(2);
      expect(await team.countUnread('usr_bob')).toBe(1);
      await team.markRead('usr_ada', undefined, iso(T0 + 10));
      const read = await team.listNotifications('usr_ada', 10);
      expect(read.map((n) => n.readAt)).toEqual([iso(T0 + 10), iso(T0 + 10), iso(T0 + 9)]);
    });

    it('claims due e-mails oldest first for one sender at a time, and records each try', async () => {
      await team.record({ emails: [email('eml_c', T0 + 3), email('eml_a', T0 + 1), email('eml_b', T0 + 2), email('eml_later', T0, T0 + 1000), email('eml_done', T0, null)] });
      const claimed = await team.claimEmails(iso(T0 + 10), iso(T0 + 60), 2);
      expect(claimed.map((e) => e.id)).toEqual(['eml_a', 'eml_b']);
      expect((await team.claimEmails(iso(T0 + 20), iso(T0 + 80), 10)).map((e) => e.id)).toEqual(['eml_c']);
      expect(await team.claimEmails(iso(T0 + 30), iso(T0 + 90), 10)).toEqual([]);
      await team.finishEmail('eml_a', { sentAt: iso(T0 + 31) });
      await team.finishEmail('eml_b', { error: '421 try later', nextAttemptAt: iso(T0 + 500) });
      await team.finishEmail('eml_c', { error: '550 no such user', nextAttemptAt: null });
      // A lock that passed lets the e-mail go to the next claimer.
      expect(await team.claimEmails(iso(T0 + 100), iso(T0 + 200), 10)).toEqual([]);
      expect((await team.claimEmails(iso(T0 + 1000), iso(T0 + 1100), 10)).map((e) => e.id)).toEqual(['eml_later', 'eml_b']);
      expect((await team.claimEmails(iso(T0 + 1100), iso(T0 + 1200), 10)).map((e) => e.id)).toEqual(['eml_later', 'eml_b']);
      const byId = new Map((await team.listEmails()).map((e) => [e.id, e]));
      expect(byId.get('eml_a')).toMatchObject({ attempts: 1, sentAt: iso(T0 + 31), nextAttemptAt: null, lastError: null });
      expect(byId.get('eml_b')).toMatchObject({ attempts: 1, sentAt: null, nextAttemptAt: iso(T0 + 500), lastError: '421 try later' });
      expect(byId.get('eml_c')).toMatchObject({ attempts: 1, nextAttemptAt: null, lastError: '550 no such user' });
      expect(byId.get('eml_done')).toMatchObject({ attempts: 0 });
    });

    it('never hands one e-mail to two servers claiming at once', async () => {
      await team.record({ emails: Array.from({ length: 30 }, (_, i) => email(`eml_${String(i).padStart(2, '0')}`, T0 + i)) });
      const other = await current().openAnother();
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : storage).team.claimEmails(iso(T0 + 100), iso(T0 + 200), 4)));
      const ids = claims.flat().map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(30);
    });

    it('changes a project’s settings', async () => {
      expect(client.notifyReporterOnDone).toBe(false);
      const changed = await storage.updateClient(client.id, { notifyReporterOnDone: true, allowedOrigins: ['https://a.example'] });
      expect(changed).toEqual({ ...client, notifyReporterOnDone: true, allowedOrigins: ['https://a.example'] });
      expect(await storage.updateClient(client.id, { name: 'Renamed' })).toEqual({ ...changed, name: 'Renamed' });
      expect(await storage.getClient(client.id)).toEqual({ ...changed, name: 'Renamed' });
      expect(await storage.updateClient('client_none', { name: 'x' })).toBeUndefined();
    });
  });
}
