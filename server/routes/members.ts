/**
 * A project's members under /api/projects/:clientId/members: the list (viewer), changing a
 * role and removing someone (owner). A project keeps at least one owner: the change or
 * removal that would leave none is answered 409.
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { requireRole } from '../auth/access.ts';
import { TEAM_ERRORS } from '../constants.ts';
import type { Membership, Role, User } from '../storage/team-types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { memberChangeBody, roleSchema } from '../team-api/schemas.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';

/** A member as the API shows them. */
export const memberSchema = z.object({ userId: z.string(), email: z.nullable(z.string()), name: z.nullable(z.string()), role: roleSchema });

const memberJson = (member: Membership, user: User | undefined): z.infer<typeof memberSchema> => ({
  userId: member.userId,
  email: user?.email ?? null,
  name: user?.name ?? null,
  role: member.role,
});

/** Adds the member routes to the read API's sub-app. */
export function registerMemberRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions): void {
  const team = options.storage.team;

  api.get('/:clientId/members', async (c) => {
    const members = await team.listMembers(c.get('client').id);
    const users = new Map((await team.getUsers(members.map((m) => m.userId))).map((u) => [u.id, u]));
    return c.json({ items: members.map((m) => memberJson(m, users.get(m.userId))) });
  });

  // The member, or the answer when there is none or the change would leave the project without an owner.
  const target = async (c: Context<ProjectEnv>, newRole: Role | undefined): Promise<Membership | Response> => {
    const clientId = c.get('client').id;
    const member = await team.getMember(clientId, c.req.param('userId')!);
    if (!member) return c.json({ error: TEAM_ERRORS.memberNotFound }, 404);
    if (member.role === 'owner' && newRole !== 'owner') {
      const owners = (await team.listMembers(clientId)).filter((m) => m.role === 'owner');
      if (owners.length <= 1) return c.json({ error: TEAM_ERRORS.lastOwner }, 409);
    }
    return member;
  };

  api.patch('/:clientId/members/:userId', requireRole('owner'), teamBodyCap, async (c) => {
    const body = await readBody(c, memberChangeBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const member = await target(c, body.value.role);
    if (member instanceof Response) return member;
    const changed = { ...member, role: body.value.role };
    await team.putMember(changed);
    return c.json(memberJson(changed, await team.getUser(member.userId)));
  });

  api.delete('/:clientId/members/:userId', requireRole('owner'), async (c) => {
    const member = await target(c, undefined);
    if (member instanceof Response) return member;
    await team.removeMember(member.clientId, member.userId);
    return c.body(null, 204);
  });
}
