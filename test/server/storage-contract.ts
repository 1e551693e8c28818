/**
 * What every storage engine must do, as one suite run against each (storage.test.ts runs
 * it on the project's engine: SQLite in `server`, PostgreSQL in `server-pg`). Engine
 * specifics (files, pragmas, migrations of old schemas, races) are in storage-sqlite.test.ts
 * and storage-pg.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { setFeedbackState } from '../../server/feedback-state.ts';
import { newFeedbackRow } from '../../server/new-rows.ts';
import { createSharedRateLimiter } from '../../server/shared-rate-limit.ts';
import type { FeedbackQuery, NewFeedback, RememberedAnswer, Storage } from '../../server/storage/types.ts';
import { storeFeedback, storeReplay } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';
import { describeTeamStorage } from './storage-team-contract.ts';

/** A storage on a fresh database, and more connections to that same database. */
export interface StorageUnderTest {
  storage: Storage;
  /** Another connection to the same database, as a second server process would open it. */
  openAnother(): Promise<Storage>;
  /** Closes every connection opened and deletes the database. */
  dispose(): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const scope = { route: 'POST /api/feedback', clientId: 'client_a', key: 'k1' };

const remember = (id: string, atMs: number, ttlMs = 1000): RememberedAnswer => ({
  scope,
  answer: { status: 200, bodyJson: JSON.stringify({ feedbackId: id }) },
  createdAtIso: iso(atMs),
  expiresAtIso: iso(atMs + ttlMs),
});

const row = (clientId: string, id: string, atMs = T0) => ({
  ...feedbackInput(clientId, { comment: id }),
  id,
  state: 'new' as const,
  assigneeId: null,
  priority: 'neutral' as const,
  createdAt: iso(atMs),
  updatedAt: iso(atMs),
});

const feedback = (clientId: string, comment: string): NewFeedback => feedbackInput(clientId, { comment });

/** Runs the storage contract against storages made by `make` (one fresh database per test). */
export function describeStorage(name: string, make: () => Promise<StorageUnderTest>): void {
  describe(`${name} storage`, () => {
    let under: StorageUnderTest;
    let storage: Storage;
    beforeEach(async () => {
      under = await make();
      storage = under.storage;
    });
    afterEach(() => under.dispose());

    describeTeamStorage(() => under);

    describe('rows', () => {
      it('creates clients with random prefixed ids and finds them again from another connection', async () => {
        // A millisecond apart: clients of the same time are listed in the order of their random ids.
        const at = Date.now();
        const a = await createClient(storage, { name: 'Acme', allowedOrigins: ['https://app.acme.com'] }, at);
        const b = await createClient(storage, { name: 'Beta' }, at + 1);
        expect(a.id).toMatch(/^client_[A-Za-z0-9_-]{20}$/);
        expect(a.id).not.toBe(b.id);
        await storage.close();

        const second = await under.openAnother();
        expect(await second.getClient(a.id)).toEqual(a);
        expect((await second.listClients()).map((c) => c.name)).toEqual(['Acme', 'Beta']);
        expect((await second.getClient(b.id))?.allowedOrigins).toEqual([]);
        expect(await second.getClient('client_nope')).toBeUndefined();
      });

      it('round-trips JSON columns and lists a client’s feedback newest first', async () => {
        const client = await createClient(storage, { name: 'Acme' });
        const other = await createClient(storage, { name: 'Other' });
        // A millisecond apart: items of the same time are ordered by their random ids.
        const at = Date.now();
        const first = await storeFeedback(storage, {
          ...feedback(client.id, 'one'),
          screenshots: [{ fileName: 'a/b.png', url: 'http://x/files/a/b.png', fileSize: 1, mimeType: 'image/png' }],
          metadata: { nested: { list: [1, 'two', null], unicode: 'é ✓ \u{1F600}', big: 2 ** 40 } },
          rating: 4,
          replayOffsetMs: 2 ** 40,
        }, at);
        await storeFeedback(storage, feedback(client.id, 'two'), at + 1);
        await storeFeedback(storage, feedback(other.id, 'elsewhere'));
        expect(await storage.getFeedback(first.id)).toEqual(first);
        expect((await storage.listFeedback(client.id)).map((f) => f.comment)).toEqual(['two', 'one']);
        expect(await storage.getFeedback('fb_missing')).toBeUndefined();
        await storage.close();
        await storage.close(); // twice is fine
      });

      it('stores replays and finds them by id; a replay needs an existing client', async () => {
        const client = await createClient(storage, { name: 'Acme' });
        const input = {
          clientId: client.id,
          fileName: `${client.id}/1717740000000-abcdefghijklmnopqrstuv.json.gz`,
          fileSize: 410,
          durationMs: 5000,
          eventCount: 6,
          startedAt: '2024-06-07T10:00:00.000Z',
        };
        const stored = await storeReplay(storage, input);
        expect(stored).toEqual({ ...input, id: expect.stringMatching(/^rp_[A-Za-z0-9_-]{24}$/), createdAt: expect.any(String) });
        expect(await storage.getReplay(stored.id)).toEqual(stored);
        expect(await storage.getReplay('rp_missing')).toBeUndefined();
        expect(await storage.getReplays([stored.id, 'rp_missing'])).toEqual([stored]);
        expect(await storage.getReplays([])).toEqual([]);
        const ghost = { ...input, clientId: 'client_ghost', fileName: 'client_ghost/1-abcdefghijklmnopqrstuv.json.gz' };
        await expect(storeReplay(storage, ghost)).rejects.toThrow(/foreign key/i);
      });

      it('refuses feedback for a client that does not exist', async () => {
        await expect(storeFeedback(storage, feedback('client_ghost', 'x'))).rejects.toThrow(/foreign key/i);
      });

      it('knows which files a screenshot or replay row names, and a client’s screenshots among names', async () => {
        const client = await createClient(storage, { name: 'Files' });
        const shot = { fileName: `${client.id}/1-a.png`, clientId: client.id, fileSize: 9, mimeType: 'image/png', width: 3, height: 2, createdAt: iso(T0) };
        await storage.insertScreenshot(shot);
        const replay = await storeReplay(storage, {
          clientId: client.id, fileName: `${client.id}/1-b.json.gz`, fileSize: 1, durationMs: 0, eventCount: 2, startedAt: iso(T0),
        });
        const asked = [shot.fileName, replay.fileName, `${client.id}/nothing.png`];
        expect((await storage.recordedFiles(asked)).sort()).toEqual([shot.fileName, replay.fileName].sort());
        expect(await storage.recordedFiles([])).toEqual([]);
        expect(await storage.getScreenshots(client.id, asked)).toEqual([shot]);
        expect(await storage.getScreenshots('client_other', asked)).toEqual([]);
        await expect(storage.insertScreenshot(shot)).rejects.toThrow();
      });

      it('keeps project keys, lists them oldest first and keeps a key’s first revocation time', async () => {
        const client = await createClient(storage, { name: 'Keys' });
        const key = (kid: string, at: number) => ({ kid, clientId: client.id, name: null, secretEncrypted: `v1.${kid}`, createdAt: iso(at), revokedAt: null });
        await storage.insertProjectKey(key('key_b', T0));
        await storage.insertProjectKey({ ...key('key_a', T0 + 1), name: 'CI' });
        expect((await storage.listProjectKeys(client.id)).map((k) => k.kid)).toEqual(['key_b', 'key_a']);
        expect(await storage.getProjectKey('key_a')).toEqual({ ...key('key_a', T0 + 1), name: 'CI' });
        expect(await storage.revokeProjectKey('key_b', iso(T0 + 5))).toEqual({ ...key('key_b', T0), revokedAt: iso(T0 + 5) });
        expect((await storage.revokeProjectKey('key_b', iso(T0 + 9)))?.revokedAt).toBe(iso(T0 + 5));
        expect(await storage.revokeProjectKey('key_missing', iso(T0))).toBeUndefined();
        expect(await storage.getProjectKey('key_missing')).toBeUndefined();
      });

      it('answers a ping, and rejects one after close', async () => {
        await storage.ping();
        await storage.close();
        await expect(storage.ping()).rejects.toThrow();
      });
    });

    describe('the row and its remembered answer commit together', () => {
      it('keeps the first live answer: a second write for the key is rolled back and gets the first answer', async () => {
        const client = await createClient(storage, { name: 'Acme' });
        const s = { ...scope, clientId: client.id };
        const first = { ...remember('fb_first', T0), scope: s };
        expect(await storage.insertFeedback(row(client.id, 'fb_first'), first)).toBeUndefined();
        const second = { ...remember('fb_second', T0 + 10), scope: s };
        expect(await storage.insertFeedback(row(client.id, 'fb_second'), second)).toEqual(first.answer);
        expect(await storage.getFeedback('fb_second')).toBeUndefined();
        expect((await storage.listFeedback(client.id)).map((f) => f.id)).toEqual(['fb_first']);
        expect(await storage.getIdempotent(s, iso(T0 + 999))).toEqual(first.answer);
      });

      it('holds across two connections to one database (two server processes)', async () => {
        const client = await createClient(storage, { name: 'Two' });
        const s = { ...scope, clientId: client.id };
        const otherProcess = await under.openAnother();
        expect(await otherProcess.insertFeedback(row(client.id, 'fb_a'), { ...remember('fb_a', T0), scope: s })).toBeUndefined();
        const lost = await storage.insertFeedback(row(client.id, 'fb_b'), { ...remember('fb_b', T0 + 1), scope: s });
        expect(JSON.parse(lost!.bodyJson)).toEqual({ feedbackId: 'fb_a' });
        expect((await storage.listFeedback(client.id)).map((f) => f.id)).toEqual(['fb_a']);
      });

      it('does the same for replays and screenshots', async () => {
        const client = await createClient(storage, { name: 'Uploads' });
        const replay = (id: string) => ({
          id, clientId: client.id, fileName: `${client.id}/${id}.json.gz`, fileSize: 1, durationMs: 0, eventCount: 2, startedAt: iso(T0), createdAt: iso(T0),
        });
        const shot = (name: string) => ({ fileName: `${client.id}/${name}.png`, clientId: client.id, fileSize: 1, mimeType: 'image/png', width: 1, height: 1, createdAt: iso(T0) });
        const r = { ...remember('rp_1', T0), scope: { route: 'POST /api/replays', clientId: client.id, key: 'k' } };
        expect(await storage.insertReplay(replay('rp_1'), r)).toBeUndefined();
        expect(await storage.insertReplay(replay('rp_2'), { ...r, answer: { status: 200, bodyJson: '{}' } })).toEqual(r.answer);
        expect(await storage.getReplay('rp_2')).toBeUndefined();
        const sc = { ...remember('s1', T0), scope: { route: 'POST /api/screenshots', clientId: client.id, key: 'k' } };
        expect(await storage.insertScreenshot(shot('s1'), sc)).toBeUndefined();
        expect(await storage.insertScreenshot(shot('s2'), { ...sc, answer: { status: 200, bodyJson: '{}' } })).toEqual(sc.answer);
        expect(await storage.getScreenshots(client.id, [shot('s1').fileName, shot('s2').fileName])).toEqual([shot('s1')]);
      });

      it('rolls the answer back with a row that cannot be stored', async () => {
        await expect(storage.insertFeedback(row('client_ghost', 'fb_ghost'), remember('fb_ghost', T0))).rejects.toThrow(/foreign key/i);
        expect(await storage.getIdempotent(scope, iso(T0))).toBeUndefined();
      });

      it('lets an expired answer give way, and prunes expired records', async () => {
        const client = await createClient(storage, { name: 'Later' });
        const s = { ...scope, clientId: client.id };
        await storeFeedback(storage, feedbackInput(client.id, { comment: 'unkeyed' }));
        await storage.insertFeedback(row(client.id, 'fb_old'), { ...remember('fb_old', T0), scope: s });
        expect(await storage.getIdempotent(s, iso(T0 + 1000))).toBeUndefined();
        const fresh = { ...remember('fb_new', T0 + 1000), scope: s };
        expect(await storage.insertFeedback(row(client.id, 'fb_new'), fresh)).toBeUndefined();
        expect(await storage.getIdempotent(s, iso(T0 + 1000))).toEqual(fresh.answer);
        await storage.insertFeedback(row(client.id, 'fb_other'), { ...remember('x', T0, 5), scope: { ...s, key: 'other' } });
        expect(await storage.pruneIdempotent(iso(T0 + 100))).toBe(1);
        expect(await storage.pruneIdempotent(iso(T0 + 100))).toBe(0);
      });
    });

    describe('state changes', () => {
      it('moves updatedAt strictly forward, even for changes racing at one instant or after a clock step back', async () => {
        const client = await createClient(storage, { name: 'States' });
        const item = await storeFeedback(storage, feedbackInput(client.id, {}));
        const at = Date.parse(item.updatedAt);
        const [a, b] = await Promise.all([
          setFeedbackState(storage, client.id, item.id, 'in_progress', at),
          setFeedbackState(storage, client.id, item.id, 'done', at),
        ]);
        const times = [a!.updatedAt, b!.updatedAt].map(Date.parse).sort();
        expect(times).toEqual([at + 1, at + 2]);
        const back = await setFeedbackState(storage, client.id, item.id, 'new', at - 60_000);
        expect(Date.parse(back!.updatedAt)).toBe(at + 3);
        expect((await storage.getFeedback(item.id))?.state).toBe('new');
      });

      it('applies a change only to the time it read, and to the client’s own item', async () => {
        const client = await createClient(storage, { name: 'Mine' });
        const other = await createClient(storage, { name: 'Theirs' });
        const item = await storeFeedback(storage, feedbackInput(client.id, {}));
        const stale = { clientId: client.id, id: item.id, state: 'done' as const, updatedAt: '2030-01-01T00:00:00.000Z' };
        expect(await storage.team.changeFeedback({ ...stale, previousUpdatedAt: '2000-01-01T00:00:00.000Z' }, {})).toBe(false);
        expect(await setFeedbackState(storage, other.id, item.id, 'done', Date.now())).toBeUndefined();
        expect((await storage.getFeedback(item.id))?.state).toBe('new');
      });
    });

    describe('the read API’s queries', () => {
      const query = (clientId: string, extra: Partial<FeedbackQuery> = {}): FeedbackQuery => ({
        clientId, filters: [], order: { by: 'updated_at', direction: 'desc' }, limit: 2, ...extra,
      });

      it('pages by cursor in both directions, ties broken by id, and counts what filters match', async () => {
        const client = await createClient(storage, { name: 'Pages' });
        // Five items, two of them at one instant: the id orders those.
        const ids = ['fb_1', 'fb_2', 'fb_3', 'fb_4', 'fb_5'];
        const times = [T0, T0 + 1, T0 + 1, T0 + 2, T0 + 3];
        for (const [i, id] of ids.entries()) {
          await storage.insertFeedback({ ...row(client.id, id, times[i]!), rating: (i % 4) + 1, environment: i % 2 ? 'staging' : null });
        }
        const first = await storage.queryFeedback(query(client.id));
        expect(first).toMatchObject({ next: 'fb_4', previous: null, hasMore: true });
        expect(first!.items.map((f) => f.id)).toEqual(['fb_5', 'fb_4']);
        const second = await storage.queryFeedback(query(client.id, { after: 'fb_4' }));
        expect(second!.items.map((f) => f.id)).toEqual(['fb_3', 'fb_2']);
        expect(second).toMatchObject({ next: 'fb_2', previous: 'fb_3', hasMore: true });
        const last = await storage.queryFeedback(query(client.id, { after: 'fb_2' }));
        expect(last).toMatchObject({ next: null, previous: 'fb_1', hasMore: false });
        const back = await storage.queryFeedback(query(client.id, { before: 'fb_2' }));
        expect(back!.items.map((f) => f.id)).toEqual(['fb_4', 'fb_3']);
        expect(back).toMatchObject({ next: 'fb_3', previous: 'fb_4', hasMore: true });
        const ascending = await storage.queryFeedback(query(client.id, { order: { by: 'created_at', direction: 'asc' }, limit: 3 }));
        expect(ascending!.items.map((f) => f.id)).toEqual(['fb_1', 'fb_2', 'fb_3']);
        expect(await storage.queryFeedback(query(client.id, { after: 'fb_missing' }))).toBeUndefined();
        expect(await storage.queryFeedback(query('client_other', { after: 'fb_1' }))).toBeUndefined();

        expect(await storage.countFeedback(client.id, [])).toBe(5);
        expect(await storage.countFeedback(client.id, [{ field: 'environment', operator: 'eq', value: null }])).toBe(3);
        expect(await storage.countFeedback(client.id, [{ field: 'environment', operator: 'neq', value: 'staging' }])).toBe(3);
        expect(await storage.countFeedback(client.id, [{ field: 'rating', operator: 'in', value: [1, 2] }])).toBe(3);
        expect(await storage.countFeedback(client.id, [{ field: 'created_at', operator: 'gt', value: iso(T0 + 1) }])).toBe(2);
        await setFeedbackState(storage, client.id, 'fb_1', 'done', T0 + 10);
        expect(await storage.countFeedback(client.id, [{ field: 'state', operator: 'eq', value: 'done' }])).toBe(1);
        expect(await storage.countFeedback(client.id, [{ field: 'state', operator: 'neq', value: 'done' }])).toBe(4);
      });

      it('compares text byte-wise: contains ignores ASCII case only and takes % _ \\ literally; starts_with is exact', async () => {
        const client = await createClient(storage, { name: 'Text' });
        const comments = ['Hello World', 'hello', '100% sure', '100 sure', 'a_b', 'axb', 'back\\slash', 'ÉCOLE', 'école', 'Zebra', 'apple'];
        for (const [i, comment] of comments.entries()) await storage.insertFeedback({ ...row(client.id, `fb_${i}`, T0 + i), comment });
        const match = async (operator: 'contains' | 'starts_with', value: string) => {
          const page = await storage.queryFeedback(query(client.id, { filters: [{ field: 'comment', operator, value }], limit: 100 }));
          return page!.items.map((f) => f.comment).sort();
        };
        expect(await match('contains', 'HELLO')).toEqual(['Hello World', 'hello']);
        expect(await match('contains', '0%')).toEqual(['100% sure']);
        expect(await match('contains', '_')).toEqual(['a_b']);
        expect(await match('contains', '\\')).toEqual(['back\\slash']);
        expect(await match('contains', 'école')).toEqual(['école']);
        expect(await match('starts_with', 'hello')).toEqual(['hello']);
        expect(await match('starts_with', '100%')).toEqual(['100% sure']);
        // Byte order, whatever the database's locale: upper case before lower case, ASCII before the rest.
        const later = await storage.queryFeedback(
          query(client.id, { filters: [{ field: 'comment', operator: 'gt', value: 'Z' }], limit: 100 }),
        );
        expect(later!.items.map((f) => f.comment).sort()).toEqual(['Zebra', 'a_b', 'apple', 'axb', 'back\\slash', 'hello', 'ÉCOLE', 'école']);
      });
    });

    describe('rate buckets', () => {
      it('sets a bucket only from the value it read (compare and set), and prunes full ones', async () => {
        expect(await storage.getRateBucket('k')).toBeUndefined();
        expect(await storage.setRateBucket('k', 100, undefined)).toBe(true);
        expect(await storage.setRateBucket('k', 200, undefined)).toBe(false);
        expect(await storage.setRateBucket('k', 200, 99)).toBe(false);
        expect(await storage.setRateBucket('k', 200, 100)).toBe(true);
        expect(await storage.getRateBucket('k')).toBe(200);
        expect(await storage.setRateBucket('later', T0 + 2 ** 40, undefined)).toBe(true);
        expect(await storage.getRateBucket('later')).toBe(T0 + 2 ** 40);
        expect(await storage.pruneRateBuckets(200)).toBe(1);
        expect(await storage.getRateBucket('k')).toBeUndefined();
      });

      describe('shared rate limit', () => {
        let now = 1_000_000;
        const limiter = (perMinute: number, on: Storage = storage) =>
          createSharedRateLimiter({ storage: on, perMinute, nowMs: () => now, namespace: 'client:', logError: () => {} });

        it('two instances on one database draw on one allowance, and both recover with it', async () => {
          const a = limiter(3);
          const b = limiter(3, await under.openAnother());
          expect([(await a.take('c1')).ok, (await b.take('c1')).ok, (await a.take('c1')).ok]).toEqual([true, true, true]);
          expect(await b.take('c1')).toEqual({ ok: false, retryAfterSeconds: 20 });
          expect(await a.take('c1')).toEqual({ ok: false, retryAfterSeconds: 20 });
          expect((await b.take('c2')).ok).toBe(true);
          now += 20_000;
          expect((await b.take('c1')).ok).toBe(true);
          expect((await a.take('c1')).ok).toBe(false);
        });

        it('claims a second’s worth at a time, so a busy key costs one round trip per batch', async () => {
          let reads = 0;
          const counting = new Proxy(storage, {
            get: (target, prop) => {
              if (prop === 'getRateBucket') reads += 1;
              const value = Reflect.get(target, prop) as unknown;
              return typeof value === 'function' ? value.bind(target) : value;
            },
          });
          const busy = limiter(600, counting);
          const verdicts = await Promise.all(Array.from({ length: 50 }, () => busy.take('c1')));
          expect(verdicts.every((v) => v.ok)).toBe(true);
          expect(reads).toBe(5); // 600/min claims 10 at a time; concurrent takes wait for the claim under way
        });

        it('a batch claimed is spent within a second or given up, never hoarded past the limit', async () => {
          const a = limiter(120); // batches of 2
          const b = limiter(120, await under.openAnother());
          expect((await a.take('c1')).ok).toBe(true); // claims 2, spends 1
          now += 1_001;
          // a's spare token has lapsed: a claims again rather than spending a stale one.
          for (let i = 0; i < 118; i++) expect((await b.take('c1')).ok).toBe(true);
          const rest = [];
          for (let i = 0; i < 5; i++) rest.push((await a.take('c1')).ok);
          expect(rest).toEqual([true, true, false, false, false]); // 118 + 2 = the minute's 120
        });

        it('is off at 0 and never touches the database', async () => {
          const untouchable = new Proxy(storage, {
            get: () => () => Promise.reject(new Error('touched')),
          });
          const off = limiter(0, untouchable);
          for (let i = 0; i < 100; i++) expect((await off.take('c1')).ok).toBe(true);
        });
      });
    });

    describe('export paging and import', () => {
      it('pages every table in key order and stores remembered answers as given, once', async () => {
        const client = await createClient(storage, { name: 'Export' });
        for (const id of ['fb_c', 'fb_a', 'fb_b']) await storage.insertFeedback(row(client.id, id));
        expect((await storage.pageFeedback(undefined, 2)).map((f) => f.id)).toEqual(['fb_a', 'fb_b']);
        expect((await storage.pageFeedback('fb_b', 2)).map((f) => f.id)).toEqual(['fb_c']);
        expect(await storage.pageFeedback('fb_c', 2)).toEqual([]);
        expect(await storage.pageFeedback(undefined, 1)).toEqual([await storage.getFeedback('fb_a')]);

        const answers = ['b', 'a', 'c'].map((key, i) => ({ ...remember(`fb_${key}`, T0 + i), scope: { ...scope, key } }));
        for (const answer of answers) await storage.insertIdempotent(answer);
        await expect(storage.insertIdempotent(answers[0]!)).rejects.toThrow();
        const paged = await storage.pageIdempotent(undefined, 2);
        expect(paged).toEqual([answers[1], answers[0]]);
        expect(await storage.pageIdempotent(paged[1]!.scope, 2)).toEqual([answers[2]]);

        const kid = (k: string) => ({ kid: k, clientId: client.id, name: null, secretEncrypted: 'v1.x', createdAt: iso(T0), revokedAt: null });
        for (const k of ['key_b', 'key_a']) await storage.insertProjectKey(kid(k));
        expect(await storage.pageProjectKeys(undefined, 5)).toEqual([kid('key_a'), kid('key_b')]);
        expect(await storage.pageProjectKeys('key_a', 5)).toEqual([kid('key_b')]);

        const shot = (n: string) => ({ fileName: `${client.id}/${n}.png`, clientId: client.id, fileSize: 1, mimeType: 'image/png', width: 1, height: 1, createdAt: iso(T0) });
        for (const n of ['2', '1']) await storage.insertScreenshot(shot(n));
        expect(await storage.pageScreenshots(undefined, 5)).toEqual([shot('1'), shot('2')]);
        const replay = await storeReplay(storage, { clientId: client.id, fileName: `${client.id}/r.json.gz`, fileSize: 1, durationMs: 0, eventCount: 2, startedAt: iso(T0) });
        expect(await storage.pageReplays(undefined, 5)).toEqual([replay]);
        expect(await storage.pageReplays(replay.id, 5)).toEqual([]);
      });
    });

    it('stores rows with the times the caller gave, never its own clock', async () => {
      const client = await createClient(storage, { name: 'Clock' });
      const made = newFeedbackRow(feedbackInput(client.id, {}), Date.parse('2001-02-03T04:05:06.789Z'));
      await storage.insertFeedback(made);
      expect(await storage.getFeedback(made.id)).toMatchObject({ createdAt: '2001-02-03T04:05:06.789Z', updatedAt: '2001-02-03T04:05:06.789Z' });
    });
  });
}
