/**
 * The signed-in person, under /api/me (docs/team-api.md "Me"): who they are, their projects
 * with their role and e-mail choice in each. People only: a bearer token is no one.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { userJson, userSchema } from '../auth/session.ts';
import { TEAM_ERRORS } from '../constants.ts';
import type { Membership, Role, User } from '../storage/team-types.ts';
import type { Client, Storage } from '../storage/types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { myProjectBody, roleSchema } from '../team-api/schemas.ts';
import { signedIn } from '../team-api/session-gate.ts';
import type { ReadApiOptions } from './read-api.ts';

/** One of a person's projects as /api/me lists it. */
export const myProjectSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema, notifyNewReports: z.boolean() });
export type MyProject = z.infer<typeof myProjectSchema>;

/** What `GET /api/me` answers. */
export const meSchema = z.object({ user: userSchema, projects: z.array(myProjectSchema) });

const myProject = (client: Client, role: Role, membership: Membership | undefined): MyProject => ({
  id: client.id,
  name: client.name,
  role,
  notifyNewReports: membership?.notifyNewReports ?? false,
});

/** A person's projects: those they are a member of, or every project for the server's owner. */
async function myProjects(storage: Storage, user: User): Promise<MyProject[]> {
  const memberships = await storage.team.listMemberships(user.id);
  const byClient = new Map(memberships.map((m) => [m.clientId, m]));
  if (user.serverOwner) return (await storage.listClients()).map((client) => myProject(client, 'owner', byClient.get(client.id)));
  const clients = await Promise.all(memberships.map((m) => storage.getClient(m.clientId)));
  return memberships.flatMap((m, i) => (clients[i] ? [myProject(clients[i], m.role, m)] : []));
}

/** The sub-app to mount at `/api/me` (the notifications routes join it elsewhere). */
export function createMeRoutes(options: ReadApiOptions): Hono {
  const { storage, nowMs } = options;
  const team = storage.team;
  const api = new Hono();

  api.get('/', async (c) => {
    const access = await signedIn(c, team, nowMs());
    if (access instanceof Response) return access;
    return c.json({ user: userJson(access.user), projects: await myProjects(storage, access.user) });
  });

  api.patch('/projects/:clientId', teamBodyCap, async (c) => {
    const access = await signedIn(c, team, nowMs());
    if (access instanceof Response) return access;
    const body = await readBody(c, myProjectBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const { user } = access;
    const clientId = c.req.param('clientId');
    let membership = await team.getMember(clientId, user.id);
    if (!membership && !user.serverOwner) return c.json({ error: TEAM_ERRORS.notMember }, 403);
    const client = await storage.getClient(clientId);
    if (!client) return c.json({ error: WIRE_ERRORS.invalidClientId }, 404);
    const { notifyNewReports } = body.value;
    if (membership) await team.setNotifyNewReports(clientId, user.id, notifyNewReports);
    else {
      // The server's owner is owner everywhere without being a member: choosing e-mail makes them one.
      membership = { clientId, userId: user.id, role: 'owner', notifyNewReports, createdAt: new Date(nowMs()).toISOString() };
      await team.putMember(membership);
    }
    return c.json(myProject(client, user.serverOwner ? 'owner' : membership.role, { ...membership, notifyNewReports }));
  });

  return api;
}
