/** What the triage controls need of the project shown: who is asking, their role, its members and labels. */
import type { Api } from './api.ts';
import { atLeast, type Label, type Member, type Role, type User } from './team-types.ts';
import type { Project } from './types.ts';

/** The project's people and labels, as last loaded. */
export interface TeamContext {
  projectId: string;
  /** The signed-in person; undefined for a tool's key or token. */
  me: User | undefined;
  role: Role;
  members: Member[];
  labels: Label[];
  /** May change reports (state, assignee, labels, comments). */
  canTriage: boolean;
  /** May change the project's settings. */
  isOwner: boolean;
}

/** The role of a sign-in in `project`: as the server says, else what its kind of sign-in has. */
export function roleOf(api: Api, project: Project | undefined): Role {
  if (project?.role) return project.role;
  return api.credentials.kind === 'admin' ? 'owner' : api.credentials.kind === 'key' ? 'member' : 'viewer';
}

/** Loads the context of `project`; members and labels are empty on a server without those routes. */
export async function loadTeamContext(api: Api, project: Project, me: User | undefined): Promise<TeamContext> {
  const role = roleOf(api, project);
  const [members, labels] = await Promise.all([api.members(project.id).catch(() => []), api.labels(project.id).catch(() => [])]);
  return { projectId: project.id, me, role, members, labels, canTriage: atLeast(role, 'member'), isOwner: atLeast(role, 'owner') };
}

/** The member with `userId`, if any. */
export function memberById(context: TeamContext, userId: string | null | undefined): Member | undefined {
  return userId ? context.members.find((m) => m.userId === userId) : undefined;
}
