/**
 * The read API under /api/projects (api-contract.md section 2): projects, cursor-paged lists,
 * filters, counts, one item and state changes. Every route needs a bearer token or a session
 * cookie (server/auth/bearer.ts), and under `/:clientId` a role in that project (server/auth/access.ts).
 */
import { Hono, type Context } from 'hono';
import { WIRE_ERRORS, type FieldIssues } from '../../lib/api/schemas.ts';
import { requireRole, roleIn } from '../auth/access.ts';
import { authenticate, refuse, type AccessEnv, type BearerOptions } from '../auth/bearer.ts';
import { capBody } from '../body-cap.ts';
import { AUTH_ERRORS, CLOSE_AFTER_ANSWER, READ_API_ERRORS, READ_API_LIMITS, TEAM_ERRORS } from '../constants.ts';
import { setFeedbackState } from '../feedback-state.ts';
import { toItemJson, toItemsJson } from '../read-api/items.ts';
import { parseFilterBody, parsePaging, parseStateChange, type FilterRequest, type Paging } from '../read-api/schemas.ts';
import type { Role, User } from '../storage/team-types.ts';
import type { Client, FeedbackRow, Storage } from '../storage/types.ts';
import { registerProjectRoutes } from './projects.ts';
import { publicBase } from './upload-form.ts';

/** What the read API needs besides the token checks' options. */
export interface ReadApiOptions extends BearerOptions {
  /** Base of replay URLs in items; defaults to each request's origin. */
  publicUrl?: string;
  /** Whether e-mail goes out (SMTP_URL set): password resets and invitations are queued only then. */
  emailEnabled?: boolean;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

/** The variables under `/:clientId`: the access, the role in the project, and the project. */
export type Env = { Variables: AccessEnv['Variables'] & { client: Client } };

const UNKNOWN_CURSOR = 'No feedback item of this project has this id';

function invalid(c: Context, error: string, issues: FieldIssues): Response {
  return c.json({ error, issues }, 400);
}

/** The body as JSON, or the issues of a 400 (the body is required: `{}` means "no filters"). */
async function readJsonBody(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; issues: FieldIssues }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: false, issues: { body: ['A JSON body is required (send {} for none)'] } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, issues: { body: ['Body must be valid JSON'] } };
  }
}

/** The projects a person sees, with their role in each: all of them for the server's owner. */
async function projectsOf(storage: Storage, user: User): Promise<{ id: string; name: string; role: Role }[]> {
  if (user.serverOwner) return (await storage.listClients()).map((client) => ({ id: client.id, name: client.name, role: 'owner' }));
  const memberships = await storage.team.listMemberships(user.id);
  const clients = await Promise.all(memberships.map((m) => storage.getClient(m.clientId)));
  return memberships.flatMap((m, i) => (clients[i] ? [{ id: m.clientId, name: clients[i].name, role: m.role }] : []));
}

/** The sub-app to mount at `/api/projects`. */
export function createReadApi(options: ReadApiOptions): Hono<Env> {
  const { storage } = options;
  const api = new Hono<Env>();
  const cappedBody = capBody({
    maxBytes: READ_API_LIMITS.maxBodyBytes,
    onTooLarge: (c) => c.json({ error: READ_API_ERRORS.bodyTooLarge }, 413, CLOSE_AFTER_ANSWER),
  });

  api.use('*', authenticate(options));

  // A key reads its own project only, a person the projects they are a member of; then the
  // project must exist (admin tokens and the server's owner reach any id).
  api.use('/:clientId/*', async (c, next) => {
    const clientId = c.req.param('clientId');
    const access = c.get('access');
    const role = await roleIn(storage.team, access, clientId);
    if (!role) return access.kind === 'user' ? c.json({ error: TEAM_ERRORS.notMember }, 403) : refuse(c, AUTH_ERRORS.otherProject);
    c.set('role', role);
    const client = await storage.getClient(clientId);
    if (!client) return c.json({ error: WIRE_ERRORS.invalidClientId }, 404);
    c.set('client', client);
    await next();
  });

  api.get('/', async (c) => {
    const access = c.get('access');
    if (access.kind === 'user') return c.json({ items: await projectsOf(storage, access.user) });
    const clients = access.kind === 'admin' ? await storage.listClients() : [await storage.getClient(access.clientId)];
    const items = clients.flatMap((client) => (client ? [{ id: client.id, name: client.name }] : []));
    return c.json({ items });
  });

  // One page, answered with its neighbours' cursors; an unknown cursor is the caller's mistake.
  const page = async (c: Context<Env>, paging: Paging, request: FilterRequest) => {
    const found = await storage.queryFeedback({ clientId: c.get('client').id, ...request, ...paging });
    if (!found) return invalid(c, READ_API_ERRORS.invalidQuery, { [paging.before ? 'before' : 'after']: [UNKNOWN_CURSOR] });
    const items = await toItemsJson(storage, found.items, publicBase(c, options.publicUrl));
    return c.json({ items, next: found.next, previous: found.previous, has_more: found.hasMore });
  };

  api.get('/:clientId/feedbacks', async (c) => {
    const paging = parsePaging(c.req.query());
    if (!paging.ok) return invalid(c, READ_API_ERRORS.invalidQuery, paging.issues);
    return page(c, paging.value, { order: { by: 'updated_at', direction: 'desc' }, filters: [] });
  });

  const filterOf = async (c: Context<Env>) => {
    const body = await readJsonBody(c);
    return body.ok ? parseFilterBody(body.value) : body;
  };

  api.post('/:clientId/feedbacks/filter', cappedBody, async (c) => {
    const paging = parsePaging(c.req.query());
    if (!paging.ok) return invalid(c, READ_API_ERRORS.invalidQuery, paging.issues);
    const filter = await filterOf(c);
    if (!filter.ok) return invalid(c, READ_API_ERRORS.invalidFilter, filter.issues);
    return page(c, paging.value, filter.value);
  });

  api.post('/:clientId/feedbacks/filter/count', cappedBody, async (c) => {
    const filter = await filterOf(c);
    if (!filter.ok) return invalid(c, READ_API_ERRORS.invalidFilter, filter.issues);
    return c.json({ count: await storage.countFeedback(c.get('client').id, filter.value.filters) });
  });

  // One item (or its 404), with its replay.
  const one = async (c: Context<Env>, row: FeedbackRow | undefined) => {
    if (!row || row.clientId !== c.get('client').id) return c.json({ error: READ_API_ERRORS.feedbackNotFound }, 404);
    const replay = row.sessionReplayId === null ? undefined : (await storage.getReplays([row.sessionReplayId]))[0];
    return c.json(toItemJson(row, replay, publicBase(c, options.publicUrl)));
  };

  // Not in the contract: what a deep link to one item (the inbox's /feedback/:id) needs.
  api.get('/:clientId/feedbacks/:id', async (c) => one(c, await storage.getFeedback(c.req.param('id'))));

  api.patch('/:clientId/feedbacks/:id', requireRole('member'), cappedBody, async (c) => {
    const body = await readJsonBody(c);
    const state = body.ok ? parseStateChange(body.value) : body;
    if (!state.ok) return invalid(c, READ_API_ERRORS.invalidBody, state.issues);
    const changed = await setFeedbackState(storage, c.get('client').id, c.req.param('id'), state.value, options.nowMs());
    return one(c, changed);
  });

  // Projects' settings, members, invitations and keys (the team API).
  registerProjectRoutes(api, options);

  return api;
}
