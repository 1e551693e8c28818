/**
 * The read API under /api/projects (api-contract.md section 2): projects, cursor-paged lists,
 * filters, counts, one item, and triage (routes/triage.ts). Every route needs a bearer token or a session
 * cookie (server/auth/bearer.ts), and under `/:clientId` a role in that project (server/auth/access.ts).
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { requireRole, roleIn } from '../auth/access.ts';
import { authenticate, refuse, type AccessEnv, type BearerOptions } from '../auth/bearer.ts';
import { AUTH_ERRORS, READ_API_ERRORS, TEAM_ERRORS } from '../constants.ts';
import { toItemsJson } from '../read-api/items.ts';
import { cappedBody, invalid, readJsonBody } from '../read-api/json-body.ts';
import { parseFilterBody, parsePaging, type FilterRequest, type Paging } from '../read-api/schemas.ts';
import { roleSchema } from '../team-api/schemas.ts';
import type { Role, User } from '../storage/team-types.ts';
import type { Client, FeedbackRow, Storage } from '../storage/types.ts';
import { registerDiscussionRoutes } from './comments.ts';
import { createReporterLinkApi } from './reporter-links.ts';
import { addTriageRoutes } from './triage.ts';
import { registerProjectRoutes } from './projects.ts';
import { publicBase } from './upload-form.ts';

/** What the read API needs besides the token checks' options. */
export interface ReadApiOptions extends BearerOptions {
  /** Base of replay URLs in items; defaults to each request's origin. */
  publicUrl?: string;
  /** Called after a change queued e-mails (the sender looks at the queue then). */
  onEmailsQueued?: () => void;
  /** Called after a change was written with outbox events (the outbox worker looks then). */
  onOutboxQueued?: () => void;
  /** Whether e-mail goes out (SMTP configured): password resets and invitations are queued only then. */
  emailEnabled?: boolean;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /** The GitHub API new connections talk to (env GITHUB_API_URL; GitHub Enterprise Server's `https://HOST/api/v3`). */
  githubApiUrl?: string;
}

/** Variables under `/:clientId`: who asks, their role, and the project. */
export type ProjectEnv = { Variables: AccessEnv['Variables'] & { client: Client } };

/** A project as `GET /api/projects` lists it; a person's role in it (tokens have none). */
export const projectSummarySchema = z.object({ id: z.string(), name: z.string(), role: z.optional(roleSchema) });

/** What `.../feedbacks/filter/count` answers. */
export const feedbackCountSchema = z.object({ count: z.int().check(z.nonnegative()) });

const UNKNOWN_CURSOR = 'No feedback item of this project has this id';

/** The projects a person sees, with their role in each: all of them for the server's owner. */
async function projectsOf(storage: Storage, user: User): Promise<{ id: string; name: string; role: Role }[]> {
  if (user.serverOwner) return (await storage.listClients()).map((client) => ({ id: client.id, name: client.name, role: 'owner' }));
  const memberships = await storage.team.listMemberships(user.id);
  const clients = await Promise.all(memberships.map((m) => storage.getClient(m.clientId)));
  return memberships.flatMap((m, i) => (clients[i] ? [{ id: m.clientId, name: clients[i].name, role: m.role }] : []));
}

/** The sub-app to mount at `/api/projects`. */
export function createReadApi(options: ReadApiOptions): Hono<ProjectEnv> {
  const { storage } = options;
  const api = new Hono<ProjectEnv>();

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
  const page = async (c: Context<ProjectEnv>, paging: Paging, request: FilterRequest) => {
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

  const filterOf = async (c: Context<ProjectEnv>) => {
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

  // Not in the contract: what a deep link to one item (the inbox's /feedback/:id) needs.
  api.get('/:clientId/feedbacks/:id', async (c) => {
    const row = await storage.getFeedback(c.req.param('id'));
    if (!row || row.clientId !== c.get('client').id) return c.json({ error: READ_API_ERRORS.feedbackNotFound }, 404);
    const [item] = await toItemsJson(storage, [row], publicBase(c, options.publicUrl));
    return c.json(item);
  });

  addTriageRoutes(api, options, cappedBody);
  api.route('/', createReporterLinkApi({ publicUrl: options.publicUrl }));
  registerDiscussionRoutes(api, { ...options, cappedBody });
  // Projects' settings, members, invitations and keys (the team API).
  registerProjectRoutes(api, options);
  return api;
}
