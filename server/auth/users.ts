/** Making accounts: the row is made above the storage engine (id, time, hash), then stored. */
import { newTeamId } from '../ids.ts';
import type { TeamStore, User } from '../storage/team-types.ts';
import { hashPassword } from './passwords.ts';

/** What a new account is made from; `email` already trimmed and lower-cased (team-api/schemas.ts). */
export interface NewUser {
  email: string;
  name?: string | null;
  /** Absent: the account signs in by link (or OIDC) until a password is set. */
  password?: string;
  serverOwner?: boolean;
}

/** Stores a new user and returns it, or `undefined` when the e-mail is taken (nothing written). */
export async function createUser(team: TeamStore, input: NewUser, nowMs: number): Promise<User | undefined> {
  const user: User = {
    id: newTeamId('user'),
    email: input.email,
    name: input.name ?? null,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    serverOwner: input.serverOwner ?? false,
    createdAt: new Date(nowMs).toISOString(),
  };
  return (await team.insertUser(user)) ? user : undefined;
}
