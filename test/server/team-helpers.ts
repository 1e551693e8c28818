/**
 * People for the team-side tests, made straight in storage: a user, their membership and a
 * signed-in session (cookie token and CSRF token), so requests can act as them.
 */
import { hashToken, newToken } from '../../server/auth/session.ts';
import { SESSION_COOKIE } from '../../server/constants.ts';
import { newTeamId } from '../../server/ids.ts';
import type { Role, User } from '../../server/storage/team-types.ts';
import type { Storage } from '../../server/storage/types.ts';

/** A signed-in person: send `headers` with each request to act as them. */
export interface TestPerson {
  user: User;
  headers: Record<string, string>;
}

let people = 0;

/** A new user (member of `clientId` with `role`, when given) with a live session. */
export async function addPerson(
  storage: Storage,
  memberOf?: { clientId: string; role: Role },
  fields: Partial<Pick<User, 'name' | 'email' | 'serverOwner'>> = {},
): Promise<TestPerson> {
  people += 1;
  const now = new Date().toISOString();
  const user: User = {
    id: newTeamId('user'),
    email: `person${people}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name: `Person ${people}`,
    passwordHash: null,
    serverOwner: false,
    createdAt: now,
    ...fields,
  };
  if (!(await storage.team.insertUser(user))) throw new Error(`User ${user.email} exists`);
  if (memberOf) await storage.team.putMember({ ...memberOf, userId: user.id, notifyNewReports: false, createdAt: now });
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(Date.now() + SESSION_COOKIE.maxAgeMs).toISOString();
  await storage.team.insertSession({ idHash: hashToken(token), userId: user.id, csrfToken, createdAt: now, expiresAt });
  return { user, headers: { Cookie: `${SESSION_COOKIE.name}=${token}`, [SESSION_COOKIE.csrfHeader]: csrfToken } };
}
