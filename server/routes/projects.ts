/**
 * Projects as the team manages them (docs/team-api.md "Projects, members, invitations,
 * keys"): creating one, reading and changing its settings. Joins the read API's sub-app at
 * /api/projects, behind its authentication and its project middleware (role and client set).
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { requireRole } from '../auth/access.ts';
import { createClient } from '../clients.ts';
import { TEAM_ERRORS } from '../constants.ts';
import type { Role } from '../storage/team-types.ts';
import type { Client } from '../storage/types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { timestampSchema } from '../read-api/schemas.ts';
import { newProjectBody, projectChangeBody, roleSchema } from '../team-api/schemas.ts';
import { registerInvitationRoutes } from './invitations.ts';
import { registerKeyRoutes } from './keys.ts';
import { registerIntegrationRoutes } from './integrations.ts';
import { registerWebhookRoutes } from './webhooks.ts';
import { registerMemberRoutes } from './members.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';

/** A project's settings as the team API answers them, with the caller's role. */
export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  notifyReporterOnDone: z.boolean(),
  createdAt: timestampSchema,
  role: roleSchema,
});

/** A project's settings as the team API answers them. */
export function projectJson(client: Client, role: Role): z.infer<typeof projectSchema> {
  const { id, name, allowedOrigins, notifyReporterOnDone, createdAt } = client;
  return { id, name, allowedOrigins, notifyReporterOnDone, createdAt, role };
}

/** Adds the project routes (and those of members, invitations and keys) to the read API's sub-app. */
export function registerProjectRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions): void {
  const { storage, nowMs } = options;

  // The server's owner and the admin token may create projects; a person who does owns it.
  api.post('/', teamBodyCap, async (c: Context<ProjectEnv>) => {
    const access = c.get('access');
    if (!(access.kind === 'admin' || (access.kind === 'user' && access.user.serverOwner))) {
      return c.json({ error: TEAM_ERRORS.projectsNeedOwner }, 403);
    }
    const body = await readBody(c, newProjectBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const now = nowMs();
    const client = await createClient(storage, body.value, now);
    if (access.kind === 'user') {
      const owner = { clientId: client.id, userId: access.user.id, role: 'owner' as const, notifyNewReports: false };
      await storage.team.putMember({ ...owner, createdAt: new Date(now).toISOString() });
    }
    return c.json(projectJson(client, 'owner'), 201);
  });

  api.get('/:clientId', (c) => c.json(projectJson(c.get('client'), c.get('role'))));

  api.patch('/:clientId', requireRole('owner'), teamBodyCap, async (c) => {
    const body = await readBody(c, projectChangeBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const client = await storage.updateClient(c.get('client').id, body.value);
    if (!client) return c.json({ error: WIRE_ERRORS.invalidClientId }, 404);
    return c.json(projectJson(client, c.get('role')));
  });

  registerMemberRoutes(api, options);
  registerInvitationRoutes(api, options);
  registerKeyRoutes(api, options);
  registerWebhookRoutes(api, options);
  registerIntegrationRoutes(api, options);
}
