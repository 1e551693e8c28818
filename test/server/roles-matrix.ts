/**
 * The role × route table of roles-matrix.test.ts: every route of the read and team API (as
 * Hono registers it), what it needs, and what each kind of caller is answered. A route the
 * app registers that is in neither ROUTES nor OPEN_ROUTES fails the test.
 */

/** Who asks, always about project A (the people and keys are made in the test). */
export const CALLERS = ['owner', 'member', 'viewer', 'serverOwner', 'otherMember', 'signedOut', 'ownKey', 'otherKey', 'admin'] as const;

/** One kind of caller: A's owner, member, viewer; the server's owner; a member of B only; nobody; A's key, B's key; the admin token. */
export type Caller = (typeof CALLERS)[number];

/** What a route needs. */
export type Need =
  | 'viewer' // any role in the project: reads (a POST filter too)
  | 'member' // triage and labels (a project key acts as member)
  | 'owner' // settings, members, invitations, keys, reporter links
  | 'memberPerson' // a member who is a person: writing a comment (tools are no author)
  | 'author' // the comment's own author, still a member
  | 'authenticated' // anyone signed in or with a token (the project list: only their own)
  | 'serverOwner' // creating a project
  | 'personInProject' // a signed-in person of the project (their own e-mail choice)
  | 'person' // a signed-in person (/api/me)
  | 'personBell' // a signed-in person; tokens pass authentication but have no bell
  | 'anyone' // invitation links (the token is the credential); the OpenAPI document
  | 'capability'; // stored files: the unguessable name is the credential (an <img> loads it)

/** An answer: any 2xx, or this status. */
export type Outcome = 'ok' | 401 | 403 | 404;

const ok = 'ok' as const;

/** What each caller is answered, by need. */
export const EXPECTED: Record<Need, Record<Caller, Outcome>> = {
  viewer: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: ok, otherKey: 401, admin: ok },
  member: { owner: ok, member: ok, viewer: 403, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: ok, otherKey: 401, admin: ok },
  owner: { owner: ok, member: 403, viewer: 403, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: 403, otherKey: 401, admin: ok },
  memberPerson: { owner: ok, member: ok, viewer: 403, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: 403, otherKey: 401, admin: 403 },
  author: { owner: ok, member: ok, viewer: 403, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: 403, otherKey: 401, admin: 403 },
  authenticated: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: ok, signedOut: 401, ownKey: ok, otherKey: ok, admin: ok },
  serverOwner: { owner: 403, member: 403, viewer: 403, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: 403, otherKey: 403, admin: ok },
  personInProject: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: 403, signedOut: 401, ownKey: 401, otherKey: 401, admin: 401 },
  person: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: ok, signedOut: 401, ownKey: 401, otherKey: 401, admin: 401 },
  personBell: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: ok, signedOut: 401, ownKey: 403, otherKey: 403, admin: 403 },
  anyone: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: ok, signedOut: ok, ownKey: ok, otherKey: ok, admin: ok },
  capability: { owner: ok, member: ok, viewer: ok, serverOwner: ok, otherMember: ok, signedOut: ok, ownKey: ok, otherKey: ok, admin: ok },
};

/** What a request names: each path parameter's value (A's objects unless the test says otherwise). */
export type Ids = Record<string, string>;

/** One row: the route as Hono registers it (`METHOD path`), its need, its body, and what B's owner gets naming A's objects under B. */
export interface RouteRow {
  route: string;
  need: Need;
  /** A valid body; `n` is unique per request. */
  body?: (n: number, ids: Ids) => unknown;
  /** Made afresh for each request (the route deletes or changes it): which object it acts on. */
  fresh?: 'label' | 'comment' | 'key' | 'person' | 'invitation' | 'webhook' | 'delivery' | 'integration';
  /** The answer when B's owner names A's object (feedback, label, comment, member, key) in B's path. */
  foreign?: 400 | 404;
}

const P = '/api/projects/:clientId';

/** Every route of the read and team API. */
export const ROUTES: RouteRow[] = [
  { route: 'GET /api/projects', need: 'authenticated' },
  { route: 'POST /api/projects', need: 'serverOwner', body: (n) => ({ name: `Made ${n}` }) },
  { route: `GET ${P}`, need: 'viewer' },
  { route: `PATCH ${P}`, need: 'owner', body: () => ({ name: 'Project A' }) },
  { route: `GET ${P}/feedbacks`, need: 'viewer' },
  { route: `POST ${P}/feedbacks/filter`, need: 'viewer', body: () => ({ query: [{ filter_type: 'state', operator: 'neq', value: 'done' }] }) },
  { route: `POST ${P}/feedbacks/filter/count`, need: 'viewer', body: () => ({ query: [{ filter_type: 'state', operator: 'neq', value: 'done' }] }) },
  { route: `GET ${P}/feedbacks/:id`, need: 'viewer', foreign: 404 },
  { route: `PATCH ${P}/feedbacks/:id`, need: 'member', body: () => ({ priority: 'high' }), foreign: 404 },
  { route: `POST ${P}/feedbacks/bulk`, need: 'member', body: (_, ids) => ({ ids: [ids.id], change: { state: 'in_progress' } }), foreign: 400 },
  { route: `GET ${P}/feedbacks/:id/comments`, need: 'viewer', foreign: 404 },
  { route: `POST ${P}/feedbacks/:id/comments`, need: 'memberPerson', body: (n) => ({ body: `Comment ${n}` }), foreign: 404 },
  { route: `PATCH ${P}/comments/:commentId`, need: 'author', body: () => ({ body: 'Edited' }), fresh: 'comment', foreign: 404 },
  { route: `DELETE ${P}/comments/:commentId`, need: 'author', fresh: 'comment', foreign: 404 },
  { route: `GET ${P}/feedbacks/:id/activity`, need: 'viewer', foreign: 404 },
  { route: `GET ${P}/labels`, need: 'viewer' },
  { route: `POST ${P}/labels`, need: 'member', body: (n) => ({ name: `Label ${n}`, color: '#123456' }) },
  { route: `PATCH ${P}/labels/:labelId`, need: 'member', body: () => ({ color: '#654321' }), foreign: 404 },
  { route: `DELETE ${P}/labels/:labelId`, need: 'member', fresh: 'label', foreign: 404 },
  { route: `GET ${P}/members`, need: 'viewer' },
  { route: `PATCH ${P}/members/:userId`, need: 'owner', body: () => ({ role: 'member' }), fresh: 'person', foreign: 404 },
  { route: `DELETE ${P}/members/:userId`, need: 'owner', fresh: 'person', foreign: 404 },
  { route: `POST ${P}/invitations`, need: 'owner', body: () => ({ role: 'viewer' }) },
  { route: `GET ${P}/keys`, need: 'owner' },
  { route: `POST ${P}/keys`, need: 'owner', body: (n) => ({ name: `Key ${n}` }) },
  { route: `DELETE ${P}/keys/:kid`, need: 'owner', fresh: 'key', foreign: 404 },
  { route: `GET ${P}/webhooks`, need: 'owner' },
  { route: `POST ${P}/webhooks`, need: 'owner', body: (n) => ({ url: `https://hooks.example.com/${n}` }) },
  { route: `PATCH ${P}/webhooks/:webhookId`, need: 'owner', body: () => ({ events: ['feedback.created'] }), foreign: 404 },
  { route: `DELETE ${P}/webhooks/:webhookId`, need: 'owner', fresh: 'webhook', foreign: 404 },
  { route: `GET ${P}/webhooks/:webhookId/deliveries`, need: 'owner', foreign: 404 },
  { route: `POST ${P}/webhooks/:webhookId/test`, need: 'owner', foreign: 404 },
  { route: `POST ${P}/webhooks/deliveries/:deliveryId/redeliver`, need: 'owner', fresh: 'delivery', foreign: 404 },
  { route: `GET ${P}/integrations`, need: 'viewer' },
  { route: `POST ${P}/integrations`, need: 'owner', body: (n) => ({ kind: 'github', repo: `acme/shop-${n}`, token: 'github_pat_test' }) },
  { route: `PATCH ${P}/integrations/:integrationId`, need: 'owner', body: () => ({ rule: { ratings: [1] } }), foreign: 404 },
  { route: `DELETE ${P}/integrations/:integrationId`, need: 'owner', fresh: 'integration', foreign: 404 },
  { route: `GET ${P}/integrations/:integrationId/deliveries`, need: 'owner', foreign: 404 },
  { route: `GET ${P}/feedbacks/:id/trackers`, need: 'viewer', foreign: 404 },
  // Each caller asks through a connection of its own, so that no issue is already on its way.
  { route: `POST ${P}/feedbacks/:id/issues`, need: 'member', fresh: 'integration', body: (_, ids) => ({ integrationId: ids.integrationId }), foreign: 404 },
  { route: `POST ${P}/reporter-links`, need: 'owner', body: () => ({ environment: 'staging' }) },
  { route: 'GET /api/me', need: 'person' },
  { route: 'PATCH /api/me/projects/:clientId', need: 'personInProject', body: () => ({ notifyNewReports: false }) },
  { route: 'GET /api/me/notifications', need: 'personBell' },
  { route: 'POST /api/me/notifications/read', need: 'personBell', body: () => ({}) },
  // Invitations to project C, so that accepting one changes nobody's place in A or B.
  { route: 'GET /api/invitations/:token', need: 'anyone', fresh: 'invitation' },
  {
    route: 'POST /api/invitations/:token/accept',
    need: 'anyone',
    fresh: 'invitation',
    body: (n) => ({ email: `joiner${n}@example.com`, password: 'correct horse battery', name: `Joiner ${n}` }),
  },
  { route: 'GET /openapi.json', need: 'anyone' },
  { route: 'GET /files/:clientId/:name', need: 'capability' },
  { route: 'GET /replays/:name', need: 'capability' },
];

/** Routes with no role to check, and why. */
export const OPEN_ROUTES: Record<string, string> = {
  'POST /api/feedback': 'ingest: by client id and allowed origins (api-contract.md)',
  'POST /api/screenshots': 'ingest',
  'POST /api/replays': 'ingest',
  'POST /api/auth/sign-in': 'signing in (team-auth.test.ts)',
  'POST /api/auth/sign-in/link': 'signing in',
  'GET /api/auth/session': 'the caller\'s own session, or 401',
  'POST /api/auth/sign-out': 'ends the caller\'s own session',
  'POST /api/auth/password-reset': 'always 202 (no account is revealed)',
  'POST /api/auth/password-reset/confirm': 'the one-time token is the credential',
  'GET /api/auth/methods': 'how one may sign in (oidc.test.ts)',
  'GET /api/auth/oidc': 'starts signing in with the OpenID provider',
  'GET /api/auth/oidc/callback': 'the provider\'s answer; the signed state cookie is the credential',
  'POST /api/integrations/:integrationId/github': "GitHub's webhook: its X-Hub-Signature-256 is the credential (github.test.ts)",
  'POST /api/integrations/:integrationId/jira': "Jira's webhook: its X-Hub-Signature (HMAC-SHA256 with the connection's secret) is the credential (jira.test.ts)",
  'GET /feedback/:id': 'the inbox shell page: no data, it reads through the API',
  'GET /': 'the inbox shell page',
  'GET /settings': 'the inbox shell page',
  'GET /demo': 'a static page',
  'GET /join': 'a reporter link: not a secret, grants nothing (team-api.md)',
  'GET /healthz': 'liveness',
  'GET /readyz': 'readiness',
  'GET /assets/rrweb-replay.js': 'static asset',
  'GET /assets/rrweb-replay.css': 'static asset',
  'GET /assets/inbox.js': 'static asset',
  'GET /assets/inbox.css': 'static asset',
};
