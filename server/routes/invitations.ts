/**
 * Invitations: an owner makes a one-time link (7 days) that joins its project with a role,
 * e-mailed when an address is given and SMTP is set up; anyone with the link may look at it
 * and accept it, signed in or by making their account. An e-mailed invitation is for its
 * address only; a link invitation for whoever has it.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { actorOf, requireRole, ROLE_RANK } from '../auth/access.ts';
import { inboxLink, issueToken, peekToken, useToken } from '../auth/one-time.ts';
import { signedInSchema, startSession, userJson } from '../auth/session.ts';
import { createUser } from '../auth/users.ts';
import { TEAM_ERRORS } from '../constants.ts';
import type { OneTimeToken, User } from '../storage/team-types.ts';
import { invalidBody, readBody, teamBodyCap } from '../team-api/body.ts';
import { invitationEmail } from '../team-api/emails.ts';
import { timestampSchema } from '../read-api/schemas.ts';
import { acceptBody, invitationBody, roleSchema } from '../team-api/schemas.ts';
import { sessionOf } from '../team-api/session-gate.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';
import { publicBase } from './upload-form.ts';

/** What making an invitation answers: its link, when it expires, whether it was e-mailed. */
export const invitationLinkSchema = z.object({ url: z.string(), expiresAt: timestampSchema, emailed: z.boolean() });

/** What an invitation's link shows before it is accepted. */
export const invitationSchema = z.object({
  project: z.object({ id: z.string(), name: z.string() }),
  role: roleSchema,
  email: z.nullable(z.string()),
  expiresAt: timestampSchema,
});

/** What accepting answers: the person signed in, and the project they are now in with their role. */
export const acceptedSchema = z.extend(signedInSchema, { project: z.object({ id: z.string(), name: z.string(), role: roleSchema }) });

/** Adds `POST /:clientId/invitations` to the read API's sub-app. */
export function registerInvitationRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions): void {
  const { storage, nowMs } = options;
  api.post('/:clientId/invitations', requireRole('owner'), teamBodyCap, async (c) => {
    const body = await readBody(c, invitationBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const { role, email } = body.value;
    const client = c.get('client');
    const actor = actorOf(c.get('access'));
    const now = nowMs();
    const { token, stored } = await issueToken(storage.team, 'invitation', { clientId: client.id, role, email, createdBy: actor.id }, now);
    const url = inboxLink(publicBase(c, options.publicUrl), 'invitation', token);
    const emailed = email !== undefined && options.emailEnabled === true;
    if (emailed) {
      const mail = invitationEmail(email, { projectName: client.name, role, inviter: actor.label, url }, now);
      await storage.team.record({ emails: [mail] });
    }
    return c.json({ url, expiresAt: stored.expiresAt, emailed }, 201);
  });
}

/** The sub-app to mount at `/api/invitations`: looking at one and accepting it. */
export function createInvitationRoutes(options: ReadApiOptions): Hono {
  const { storage, nowMs } = options;
  const team = storage.team;
  const api = new Hono();
  const notFound = (c: Context) => c.json({ error: TEAM_ERRORS.badInvitation }, 404);

  // A live invitation of a project that still exists.
  const live = async (token: string) => {
    const invitation = await peekToken(team, token, 'invitation', nowMs());
    const client = invitation?.clientId ? await storage.getClient(invitation.clientId) : undefined;
    return invitation && client ? { invitation, client } : undefined;
  };

  api.get('/:token', async (c) => {
    const found = await live(c.req.param('token'));
    if (!found) return notFound(c);
    const { invitation, client } = found;
    return c.json({ project: { id: client.id, name: client.name }, role: invitation.role, email: invitation.email, expiresAt: invitation.expiresAt });
  });

  api.post('/:token/accept', teamBodyCap, async (c) => {
    const session = await sessionOf(c, team, nowMs());
    if (session instanceof Response) return session;
    const body = await readBody(c, acceptBody);
    if (!body.ok) return invalidBody(c, body.issues);
    const found = await live(c.req.param('token'));
    if (!found) return notFound(c);
    const { invitation, client } = found;
    const email = session?.user.email ?? body.value.email ?? invitation.email ?? undefined;
    if (invitation.email !== null && email !== invitation.email) return c.json({ error: TEAM_ERRORS.invitedElsewhere }, 403);

    let user: User | undefined = session?.user;
    if (!user) {
      const { name, password } = body.value;
      const missing = { ...(email ? {} : { email: ['Required'] }), ...(password ? {} : { password: ['Required'] }) };
      if (!email || !password) return invalidBody(c, missing);
      if (await team.getUserByEmail(email)) return c.json({ error: TEAM_ERRORS.emailTaken }, 409);
      user = await createUser(team, { email, name, password }, nowMs());
      if (!user) return c.json({ error: TEAM_ERRORS.emailTaken }, 409);
    }
    // Used only now, after every check: a refused attempt leaves the link working.
    if (!(await useToken(team, c.req.param('token'), 'invitation', nowMs()))) return notFound(c);
    const role = await join(invitation, user);
    const signedIn = session
      ? { user: userJson(user), csrfToken: session.csrfToken }
      : await startSession(c, team, user, { nowMs: nowMs(), publicUrl: options.publicUrl });
    return c.json({ ...signedIn, project: { id: client.id, name: client.name, role } });
  });

  // Joins with the invitation's role; someone already in keeps a higher role they have.
  async function join(invitation: OneTimeToken, user: User) {
    const clientId = invitation.clientId!;
    const invited = invitation.role ?? 'viewer';
    const existing = await team.getMember(clientId, user.id);
    if (existing && ROLE_RANK[existing.role] >= ROLE_RANK[invited]) return existing.role;
    const createdAt = new Date(nowMs()).toISOString();
    await team.putMember({ clientId, userId: user.id, role: invited, notifyNewReports: existing?.notifyNewReports ?? false, createdAt });
    return invited;
  }

  return api;
}
