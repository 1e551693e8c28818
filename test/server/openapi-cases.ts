/**
 * The requests of openapi.test.ts: one success per documented operation, and the refusals that
 * need a request of their own (the test derives the usual 400, 401, 403 and 404 from each
 * success); the outbound side's are in openapi-outbound-cases.ts. Routes are written as the
 * document writes them (`{param}`).
 */
import { issueToken } from '../../server/auth/one-time.ts';
import { newTeamId } from '../../server/ids.ts';
import type { Client } from '../../server/storage/types.ts';
import { pngBytes, type FormField, type TestServer } from './helpers.ts';
import { outboundCases, outboundSuccesses, type Outbound } from './openapi-outbound-cases.ts';
import { createKey } from './read-api-helpers.ts';
import { gzipJson, replayEvents, replayFile } from './replay-fixtures.ts';
import { PASSWORD, makeUser } from './team-auth-helpers.ts';
import { addPerson, type TestPerson } from './team-helpers.ts';

/** Who sends a request: A's people, a person of no project, A's key, the admin token, nobody; or a person made for it. */
export type Who = 'owner' | 'member' | 'viewer' | 'serverOwner' | 'outsider' | 'key' | 'admin' | 'nobody' | TestPerson;

/** One request: who sends it, the path's values (A's objects unless given), its query, and a JSON body, a text or a form. */
export interface Sent {
  who: Who;
  /** `false`: a person's cookie without its CSRF token. */
  csrf?: false;
  path?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** A body sent as it is, as `application/json`. */
  text?: string;
  form?: Record<string, FormField>;
  headers?: Record<string, string>;
}

/** A request and the status it must get. */
export interface Case {
  route: string;
  status: number;
  sent: () => Promise<Sent>;
}

/** What the requests name: project A and its objects, a project with an allowlist, and a few accounts. */
export interface World {
  t: TestServer;
  a: Client;
  guarded: Client;
  /** The path values every request starts from (A's id, its report, label, comment, member, key). */
  ids: Record<string, string>;
  people: Record<'owner' | 'member' | 'viewer' | 'serverOwner' | 'outsider', TestPerson>;
  /** An account with the password PASSWORD. */
  withPassword: { id: string; email: string };
  /** A's webhook endpoint and tracker connections, and the stand-ins they talk to. */
  outbound: Outbound;
}

const P = '/api/projects/{clientId}';
const ELSEWHERE = { Origin: 'https://elsewhere.example.com' };
let n = 0;

/** Objects made afresh for a request that changes or deletes one. */
function makers(w: World) {
  const team = w.t.server.storage.team;
  const at = () => new Date().toISOString();
  return {
    async label(): Promise<string> {
      const id = newTeamId('label');
      await team.insertLabel({ id, clientId: w.a.id, name: `Fresh ${++n}`, color: '#00aa00', createdAt: at() });
      return id;
    },
    async comment(author: TestPerson, deleted = false): Promise<string> {
      const id = newTeamId('comment');
      const deletedAt = deleted ? at() : null;
      await team.insertComment({ id, clientId: w.a.id, feedbackId: w.ids.id!, authorId: author.user.id, body: 'A comment', createdAt: at(), updatedAt: at(), deletedAt }, {});
      return id;
    },
    person: () => addPerson(w.t.server.storage),
    viewerOfA: async () => (await addPerson(w.t.server.storage, { clientId: w.a.id, role: 'viewer' })).user.id,
    key: async () => (await createKey(w.t, w.a.id, 'fresh')).kid,
    invitation: async (email?: string) => (await issueToken(team, 'invitation', { clientId: w.a.id, role: 'viewer', email }, Date.now())).token,
    async token(purpose: 'sign_in' | 'password_reset'): Promise<string> {
      const user = await makeUser(w.t, `link${++n}@example.com`);
      return (await issueToken(team, purpose, { userId: user.id }, Date.now())).token;
    },
  };
}

const png = (): FormField => ({ bytes: pngBytes(8, 6), type: 'image/png' });
const replay = (): FormField => replayFile(gzipJson(replayEvents()));

/** One success for every operation of the document. */
export function successes(w: World): Record<string, () => Promise<Sent>> {
  const fresh = makers(w);
  const { member, owner } = w.people;
  return {
    'POST /api/feedback': async () => ({ who: 'nobody', body: { clientId: w.a.id, rating: 4, comment: 'Works', pageUrl: 'https://app.example.com/', userEmail: '' } }),
    'POST /api/screenshots': async () => ({ who: 'nobody', form: { clientId: w.a.id, screenshot: png() } }),
    'POST /api/replays': async () => ({ who: 'nobody', form: { clientId: w.a.id, replay: replay() } }),

    'GET /api/projects': async () => ({ who: 'owner' }),
    'POST /api/projects': async () => ({ who: 'serverOwner', body: { name: `Made ${++n}`, allowedOrigins: ['https://app.example.com'] } }),
    [`GET ${P}`]: async () => ({ who: 'viewer' }),
    [`PATCH ${P}`]: async () => ({ who: 'owner', body: { name: 'Project A', notifyReporterOnDone: false } }),
    [`GET ${P}/feedbacks`]: async () => ({ who: 'key', query: 'limit=5' }),
    [`POST ${P}/feedbacks/filter`]: async () => ({
      who: 'viewer',
      query: 'limit=5',
      body: { order_by: { direction: 'asc', order_by_type: 'created_at' }, query: [{ filter_type: 'rating', operator: 'in', value: [3, 4] }, { filter_type: 'state', operator: 'neq', value: 'done' }] },
    }),
    [`POST ${P}/feedbacks/filter/count`]: async () => ({ who: 'viewer', body: { query: [{ filter_type: 'label', operator: 'eq', value: w.ids.labelId }] } }),
    [`GET ${P}/feedbacks/{id}`]: async () => ({ who: 'admin' }),
    [`PATCH ${P}/feedbacks/{id}`]: async () => ({ who: 'member', body: { state: 'in_progress', priority: 'high', labelIds: [w.ids.labelId] } }),
    [`POST ${P}/feedbacks/bulk`]: async () => ({ who: 'key', body: { ids: [w.ids.id], change: { addLabelIds: [w.ids.labelId] } } }),
    [`GET ${P}/labels`]: async () => ({ who: 'viewer' }),
    [`POST ${P}/labels`]: async () => ({ who: 'member', body: { name: `Label ${++n}`, color: '#1A7F37' } }),
    [`PATCH ${P}/labels/{labelId}`]: async () => ({ who: 'member', body: { color: '#654321' } }),
    [`DELETE ${P}/labels/{labelId}`]: async () => ({ who: 'member', path: { labelId: await fresh.label() } }),
    [`GET ${P}/feedbacks/{id}/comments`]: async () => ({ who: 'viewer' }),
    [`POST ${P}/feedbacks/{id}/comments`]: async () => ({ who: 'member', body: { body: 'Seen it' } }),
    [`PATCH ${P}/comments/{commentId}`]: async () => ({ who: 'owner', body: { body: 'Edited' } }),
    [`DELETE ${P}/comments/{commentId}`]: async () => ({ who: 'member', path: { commentId: await fresh.comment(member) } }),
    [`GET ${P}/feedbacks/{id}/activity`]: async () => ({ who: 'viewer' }),

    [`GET ${P}/members`]: async () => ({ who: 'viewer' }),
    [`PATCH ${P}/members/{userId}`]: async () => ({ who: 'owner', path: { userId: await fresh.viewerOfA() }, body: { role: 'member' } }),
    [`DELETE ${P}/members/{userId}`]: async () => ({ who: 'owner', path: { userId: await fresh.viewerOfA() } }),
    [`POST ${P}/invitations`]: async () => ({ who: 'owner', body: { role: 'viewer', email: `invitee${++n}@example.com` } }),
    [`GET ${P}/keys`]: async () => ({ who: 'owner' }),
    [`POST ${P}/keys`]: async () => ({ who: 'owner', body: { name: 'CI' } }),
    [`DELETE ${P}/keys/{kid}`]: async () => ({ who: 'owner', path: { kid: await fresh.key() } }),
    [`POST ${P}/reporter-links`]: async () => ({ who: 'owner', body: { environment: 'staging' } }),

    'GET /api/me': async () => ({ who: 'member' }),
    'PATCH /api/me/projects/{clientId}': async () => ({ who: 'member', body: { notifyNewReports: true } }),
    'GET /api/me/notifications': async () => ({ who: 'member', query: 'limit=20' }),
    'POST /api/me/notifications/read': async () => ({ who: 'member', body: {} }),
    'GET /api/invitations/{token}': async () => ({ who: 'nobody', path: { token: await fresh.invitation() } }),
    // Signed in: joins (the derived CSRF refusal needs a session); the errors below make an account.
    'POST /api/invitations/{token}/accept': async () => ({ who: await fresh.person(), path: { token: await fresh.invitation() }, body: {} }),

    'GET /api/auth/methods': async () => ({ who: 'nobody' }),
    'POST /api/auth/sign-in': async () => ({ who: 'nobody', body: { email: w.withPassword.email, password: PASSWORD } }),
    'POST /api/auth/sign-in/link': async () => ({ who: 'nobody', body: { token: await fresh.token('sign_in') } }),
    'GET /api/auth/session': async () => ({ who: owner }),
    'POST /api/auth/sign-out': async () => ({ who: await fresh.person() }),
    'POST /api/auth/password-reset': async () => ({ who: 'nobody', body: { email: w.withPassword.email } }),
    'POST /api/auth/password-reset/confirm': async () => ({ who: 'nobody', body: { token: await fresh.token('password_reset'), password: 'a brand new password' } }),
    ...outboundSuccesses(w),
  };
}

/** Refusals (and one more success) the test cannot derive from a success. */
export function otherCases(w: World): Case[] {
  const fresh = makers(w);
  const { owner } = w.people;
  const c = (route: string, status: number, sent: () => Promise<Sent>): Case => ({ route, status, sent });
  const nope = (name: string) => ({ [name]: `${name}_nope` });
  return [
    c('POST /api/feedback', 400, async () => ({ who: 'nobody', body: { clientId: w.a.id, rating: 2, metadata: { notes: 'x'.repeat(11_000) } } })),
    c('POST /api/feedback', 403, async () => ({ who: 'nobody', headers: ELSEWHERE, body: { clientId: w.guarded.id, rating: 2 } })),
    c('POST /api/screenshots', 400, async () => ({ who: 'nobody', form: { clientId: w.a.id } })),
    c('POST /api/screenshots', 403, async () => ({ who: 'nobody', headers: ELSEWHERE, form: { clientId: w.guarded.id, screenshot: png() } })),
    c('POST /api/screenshots', 404, async () => ({ who: 'nobody', form: { clientId: 'client_nope', screenshot: png() } })),
    c('POST /api/replays', 400, async () => ({ who: 'nobody', form: { clientId: w.a.id, replay: replayFile(Buffer.from('not gzip')) } })),
    c('POST /api/replays', 403, async () => ({ who: 'nobody', headers: ELSEWHERE, form: { clientId: w.guarded.id, replay: replay() } })),
    c('POST /api/replays', 404, async () => ({ who: 'nobody', form: { clientId: 'client_nope', replay: replay() } })),

    c('POST /api/projects', 403, async () => ({ who: 'member', body: { name: 'Not mine to make' } })),
    c(`GET ${P}/feedbacks`, 400, async () => ({ who: 'viewer', query: 'after=fb_nope' })),
    c(`GET ${P}/feedbacks/{id}`, 404, async () => ({ who: 'viewer', path: nope('id') })),
    c(`PATCH ${P}/feedbacks/{id}`, 404, async () => ({ who: 'member', path: nope('id'), body: { state: 'done' } })),
    c(`POST ${P}/feedbacks/bulk`, 400, async () => ({ who: 'member', body: { ids: ['fb_nope'], change: { state: 'done' } } })),
    c(`GET ${P}/feedbacks/{id}/comments`, 404, async () => ({ who: 'viewer', path: nope('id') })),
    c(`POST ${P}/feedbacks/{id}/comments`, 403, async () => ({ who: 'key', body: { body: 'A tool is no author' } })),
    c(`PATCH ${P}/comments/{commentId}`, 403, async () => ({ who: 'member', body: { body: 'Not my comment' } })),
    c(`PATCH ${P}/comments/{commentId}`, 409, async () => ({ who: owner, path: { commentId: await fresh.comment(owner, true) }, body: { body: 'Too late' } })),
    c(`DELETE ${P}/comments/{commentId}`, 404, async () => ({ who: 'owner', path: nope('commentId') })),
    c(`GET ${P}/feedbacks/{id}/activity`, 404, async () => ({ who: 'viewer', path: nope('id') })),
    c(`POST ${P}/labels`, 409, async () => ({ who: 'member', body: { name: 'Regression', color: '#000000' } })),
    c(`PATCH ${P}/labels/{labelId}`, 404, async () => ({ who: 'member', path: nope('labelId'), body: { color: '#000000' } })),
    c(`DELETE ${P}/labels/{labelId}`, 404, async () => ({ who: 'member', path: nope('labelId') })),
    c(`PATCH ${P}/members/{userId}`, 409, async () => ({ who: 'owner', path: { userId: owner.user.id }, body: { role: 'member' } })),
    c(`DELETE ${P}/members/{userId}`, 404, async () => ({ who: 'owner', path: nope('userId') })),
    c(`DELETE ${P}/keys/{kid}`, 404, async () => ({ who: 'owner', path: nope('kid') })),

    c('PATCH /api/me/projects/{clientId}', 403, async () => ({ who: 'outsider', body: { notifyNewReports: true } })),
    c('PATCH /api/me/projects/{clientId}', 404, async () => ({ who: 'serverOwner', path: nope('clientId'), body: { notifyNewReports: true } })),
    c('GET /api/me/notifications', 403, async () => ({ who: 'key' })),
    c('POST /api/me/notifications/read', 403, async () => ({ who: 'key', body: {} })),
    c('GET /api/invitations/{token}', 404, async () => ({ who: 'nobody', path: nope('token') })),
    c('POST /api/invitations/{token}/accept', 200, async () => ({ who: 'nobody', path: { token: await fresh.invitation() }, body: { email: `joiner${++n}@example.com`, password: PASSWORD, name: 'Joiner' } })),
    c('POST /api/invitations/{token}/accept', 403, async () => ({ who: 'nobody', path: { token: await fresh.invitation('invited@example.com') }, body: { email: 'someone.else@example.com', password: PASSWORD } })),
    c('POST /api/invitations/{token}/accept', 404, async () => ({ who: 'nobody', path: nope('token'), body: {} })),
    c('POST /api/invitations/{token}/accept', 409, async () => ({ who: 'nobody', path: { token: await fresh.invitation() }, body: { email: w.withPassword.email, password: PASSWORD } })),
    c('POST /api/auth/sign-in', 401, async () => ({ who: 'nobody', body: { email: w.withPassword.email, password: 'not the password' } })),
    c('POST /api/auth/sign-in/link', 401, async () => ({ who: 'nobody', body: { token: 'nope' } })),
    c('POST /api/auth/password-reset/confirm', 401, async () => ({ who: 'nobody', body: { token: 'nope', password: 'a brand new password' } })),
    ...outboundCases(w),
  ];
}
