/**
 * Who a request acts for and what it may do in a project. Bearer tokens (admin, project
 * key) and session cookies (people) all end up as an `Access`; routes ask for a role with
 * `requireRole`, after the project middleware has set `role` (server/routes/read-api.ts).
 */
import type { MiddlewareHandler } from 'hono';
import type { Role, TeamStore, User } from '../storage/team-types.ts';

/** Who a request acts for: everything (admin token), one project (a key), or a signed-in person. */
export type Access =
  | { kind: 'admin' }
  | { kind: 'key'; clientId: string; kid: string }
  | { kind: 'user'; user: User; csrfToken: string };

/** Hono variables set by authentication and, under `/:clientId`, by the project middleware. */
export type AccessVariables = { access: Access; role: Role };

/** Higher may do everything lower may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 1, member: 2, owner: 3 };

/** The roles, lowest first. */
export const ROLES = ['viewer', 'member', 'owner'] as const satisfies readonly Role[];

/** What `access` may do in project `clientId`; `undefined` when nothing (not a member, another project's key). */
export async function roleIn(team: TeamStore, access: Access, clientId: string): Promise<Role | undefined> {
  if (access.kind === 'admin') return 'owner';
  if (access.kind === 'key') return access.clientId === clientId ? 'member' : undefined;
  if (access.user.serverOwner) return 'owner';
  return (await team.getMember(clientId, access.user.id))?.role;
}

/** The message of a 403 for a role below `needed`. */
export function roleRefusal(needed: Role): string {
  return `This needs the ${needed} role in this project`;
}

/** Middleware: 403 unless the project middleware's `role` is at least `needed`. */
export function requireRole(needed: Role): MiddlewareHandler<{ Variables: AccessVariables }> {
  return async (c, next) => {
    if (ROLE_RANK[c.get('role')] < ROLE_RANK[needed]) return c.json({ error: roleRefusal(needed) }, 403);
    await next();
  };
}

/** Who did something, for the activity log and notifications. */
export interface Actor {
  /** The user, or `null` for tools. */
  id: string | null;
  label: string;
}

/** The actor of a request: a person by name (else e-mail), or the tool that called. */
export function actorOf(access: Access): Actor {
  if (access.kind === 'user') return { id: access.user.id, label: access.user.name ?? access.user.email };
  if (access.kind === 'key') return { id: null, label: `Key ${access.kid}` };
  return { id: null, label: 'Admin token' };
}
