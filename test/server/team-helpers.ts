/**
 * People for the team tests: users and memberships written through the storage, and a
 * signed-in session made as the server makes one (a random cookie token stored as its
 * SHA-256, computed here with node:crypto, not with the server's code).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role, User } from '../../server/storage/team-types.ts';
import type { Storage } from '../../server/storage/types.ts';
import type { TestServer } from './helpers.ts';
import { callApi } from './read-api-helpers.ts';

/** A signed-in person: their user and the headers of their session (cookie, CSRF token). */
export interface TestPerson {
  user: User;
  headers: Record<string, string>;
}

let counter = 0;

/** A new user, with a live session, a member of each project of `roles` with its role. */
async function createPerson(
  storage: Storage,
  fields: Partial<Pick<User, 'email' | 'name' | 'serverOwner'>> & { roles?: Record<string, Role>; notifyNewReports?: boolean },
): Promise<TestPerson> {
  const team = storage.team;
  const n = ++counter;
  const now = new Date().toISOString();
  const user: User = {
    id: `usr_test${n}${randomBytes(6).toString('hex')}`,
    email: fields.email ?? `person${n}-${randomBytes(3).toString('hex')}@example.com`,
    name: fields.name === undefined ? `Person ${n}` : fields.name,
    passwordHash: null,
    serverOwner: fields.serverOwner ?? false,
    createdAt: now,
  };
  if (!(await team.insertUser(user))) throw new Error(`User ${user.email} exists`);
  for (const [clientId, role] of Object.entries(fields.roles ?? {})) {
    await team.putMember({ clientId, userId: user.id, role, notifyNewReports: fields.notifyNewReports ?? false, createdAt: now });
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await team.insertSession({
    idHash: createHash('sha256').update(token, 'utf8').digest('base64url'),
    userId: user.id,
    csrfToken,
    createdAt: now,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return { user, headers: { Cookie: `loupe_session=${token}`, 'X-CSRF-Token': csrfToken } };
}

/** Creates a user with a live session, a member of each project with the role given. */
export function signedInUser(
  t: TestServer,
  fields: { email?: string; name?: string | null; roles?: Record<string, Role>; notifyNewReports?: boolean } = {},
): Promise<TestPerson> {
  return createPerson(t.server.storage, fields);
}

/** A new user (member of `clientId` with `role`, when given) with a live session. */
export function addPerson(
  storage: Storage,
  memberOf?: { clientId: string; role: Role },
  fields: Partial<Pick<User, 'name' | 'email' | 'serverOwner'>> = {},
): Promise<TestPerson> {
  return createPerson(storage, { ...fields, roles: memberOf ? { [memberOf.clientId]: memberOf.role } : {} });
}

/** A JSON request as a signed-in person (or with other headers). */
export function callAs(
  t: TestServer,
  who: { headers: Record<string, string> },
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: any }> {
  return callApi(t, path, undefined, { ...init, headers: who.headers });
}
