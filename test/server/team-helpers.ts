/**
 * People for the team tests: users and memberships written through the storage, and a
 * signed-in session made as the server makes one (a random cookie token stored as its
 * SHA-256, computed here with node:crypto, not with the server's code).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role, User } from '../../server/storage/team-types.ts';
import type { TestServer } from './helpers.ts';
import { callApi } from './read-api-helpers.ts';

/** A signed-in person: their user and the headers of their session (cookie, CSRF token). */
export interface SignedInUser {
  user: User;
  headers: Record<string, string>;
}

let counter = 0;

/** Creates a user with a live session, a member of each project with the role given. */
export async function signedInUser(
  t: TestServer,
  fields: { email?: string; name?: string | null; roles?: Record<string, Role>; notifyNewReports?: boolean } = {},
): Promise<SignedInUser> {
  const team = t.server.storage.team;
  const n = ++counter;
  const now = new Date().toISOString();
  const user: User = {
    id: `usr_test${n}${randomBytes(6).toString('hex')}`,
    email: fields.email ?? `person${n}@example.com`,
    name: fields.name === undefined ? `Person ${n}` : fields.name,
    passwordHash: null,
    serverOwner: false,
    createdAt: now,
  };
  await team.insertUser(user);
  for (const [clientId, role] of Object.entries(fields.roles ?? {})) {
    await team.putMember({ clientId, userId: user.id, role, notifyNewReports: false, createdAt: now });
    if (fields.notifyNewReports) await team.setNotifyNewReports(clientId, user.id, true);
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

/** A JSON request as a signed-in person (or with other headers). */
export function callAs(
  t: TestServer,
  who: { headers: Record<string, string> },
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: any }> {
  return callApi(t, path, undefined, { ...init, headers: who.headers });
}
