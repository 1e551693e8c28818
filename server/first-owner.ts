/**
 * The first person of a fresh install (`npm start`): the server's owner, owner of the demo
 * project, signing in by a one-time link printed to the console. While that owner has no
 * password, each start prints a fresh link (the console is where the admin token is printed
 * too); once they have set one, they sign in with it.
 */
import { inboxLink, issueToken } from './auth/one-time.ts';
import { createUser } from './auth/users.ts';
import type { User } from './storage/team-types.ts';
import type { Storage } from './storage/types.ts';

/** Who the owner is and, while they have no password, a one-time sign-in link. */
export interface FirstOwner {
  user: User;
  /** Made on this start. */
  created: boolean;
  /** `<base>/#sign-in=TOKEN`, valid for an hour; absent once the owner has a password. */
  signInUrl?: string;
}

/**
 * Makes the owner `email` when the install has no users yet (owner of `demoClientId`);
 * otherwise finds them (by e-mail, else the oldest server owner). `undefined` when users
 * exist but no server owner does (people were made with the CLI): nothing is printed.
 */
export async function ensureFirstOwner(
  storage: Storage,
  input: { email: string; demoClientId: string; baseUrl: string; nowMs: number },
): Promise<FirstOwner | undefined> {
  const team = storage.team;
  const users = await team.listUsers();
  let user = users.find((u) => u.email === input.email && u.serverOwner) ?? users.find((u) => u.serverOwner);
  let created = false;
  if (users.length === 0) {
    user = await createUser(team, { email: input.email, serverOwner: true }, input.nowMs);
    // Another instance starting at the same moment made it first.
    user ??= await team.getUserByEmail(input.email);
    if (!user) return undefined;
    created = true;
    const createdAt = new Date(input.nowMs).toISOString();
    await team.putMember({ clientId: input.demoClientId, userId: user.id, role: 'owner', notifyNewReports: false, createdAt });
  }
  if (!user) return undefined;
  if (user.passwordHash !== null) return { user, created };
  const { token } = await issueToken(team, 'sign_in', { userId: user.id }, input.nowMs);
  return { user, created, signInUrl: inboxLink(input.baseUrl, 'signIn', token) };
}
