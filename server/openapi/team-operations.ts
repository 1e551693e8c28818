/**
 * The team API in the OpenAPI document (docs/team-api.md): members, invitations, keys and
 * reporter links of a project; the signed-in person and their notifications; signing in.
 */
import * as z from 'zod/mini';
import { WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { signedInSchema } from '../auth/session.ts';
import { DISCUSSION_LIMITS, READ_API_ERRORS, TEAM_ERRORS } from '../constants.ts';
import { signInMethodsSchema } from '../routes/auth.ts';
import { acceptedSchema, invitationLinkSchema, invitationSchema } from '../routes/invitations.ts';
import { keySchema, newKeySchema } from '../routes/keys.ts';
import { meSchema, myProjectSchema } from '../routes/me.ts';
import { memberSchema } from '../routes/members.ts';
import { markReadSchema, notificationSchema } from '../routes/notifications.ts';
import { reporterLinkBodyDoc, reporterLinkSchema } from '../routes/reporter-links.ts';
import {
  acceptBody,
  invitationBody,
  memberChangeBody,
  myProjectBody,
  newKeyBody,
  resetBody,
  resetConfirmBody,
  signInBody,
  tokenBody,
} from '../team-api/schemas.ts';
import { json, listOf, named, ok, operation, refusal, type AnswerSpec, type OperationSpec } from './build.ts';

const [team, person, anyone, maybePerson] = [operation('team'), operation('person'), operation('public'), operation('maybePerson')];
const P = '/api/projects/{clientId}';
const SIGNED_IN = named('SignedIn', signedInSchema, 'The person, and the CSRF token every state-changing request with the cookie must send back in `X-CSRF-Token`.');
const signedIn = (description: string): AnswerSpec => ({ description, body: SIGNED_IN, headers: ['Set-Cookie'] });
const orCsrf = ', or a session without its CSRF token';

const lastOwner = refusal(TEAM_ERRORS.lastOwner);
const noMember = refusal(TEAM_ERRORS.memberNotFound);
const badInvitation = refusal(TEAM_ERRORS.badInvitation);
const tokensHaveNoBell = refusal(TEAM_ERRORS.signInRequired, ` for tokens (they have no bell)${orCsrf}`);
const guesses = refusal(READ_API_ERRORS.tooManyFailures, ': a bearer token that failed too often from this address');
const notificationList = z.object({ items: z.array(notificationSchema), unread: z.int().check(z.nonnegative()) });
const { notificationsMax, notificationsDefault } = DISCUSSION_LIMITS;

/** Members, invitations, keys, reporter links; /api/me; /api/invitations; /api/auth. */
export const TEAM_OPERATIONS: OperationSpec[] = [
  team(`GET ${P}/members`, 'listMembers', 'Members', "The project's members", { answers: { 200: ok('The members', listOf('MemberList', memberSchema)) } }),
  team(`PATCH ${P}/members/{userId}`, 'updateMember', 'Members', "Change a member's role (owner)", {
    body: json('MemberChange', memberChangeBody),
    answers: { 200: ok('The member', named('Member', memberSchema)), 404: noMember, 409: lastOwner },
  }),
  team(`DELETE ${P}/members/{userId}`, 'removeMember', 'Members', 'Remove a member (owner); their assignments and notifications in the project go too', {
    answers: { 204: ok('Removed'), 404: noMember, 409: lastOwner },
  }),
  team(`POST ${P}/invitations`, 'createInvitation', 'Members', 'Make a one-time invitation link, 7 days (owner)', {
    description: 'With `email`, the invitation is for that address only, and e-mailed when SMTP is set up.',
    body: json('NewInvitation', invitationBody),
    answers: { 201: ok('Made', named('InvitationLink', invitationLinkSchema)) },
  }),
  team(`GET ${P}/keys`, 'listKeys', 'Keys', "The project's read API keys (owner)", { answers: { 200: ok('The keys', listOf('KeyList', keySchema)) } }),
  team(`POST ${P}/keys`, 'createKey', 'Keys', 'Make a key (owner)', { body: json('NewKey', newKeyBody, true), answers: { 201: ok('Made: the secret is in this answer only', named('KeyMade', newKeySchema)) } }),
  team(`DELETE ${P}/keys/{kid}`, 'revokeKey', 'Keys', 'Revoke a key (owner); it stops working at once', { answers: { 200: ok('The revoked key', named('Key', keySchema)), 404: refusal(TEAM_ERRORS.keyNotFound) } }),
  team(`POST ${P}/reporter-links`, 'createReporterLink', 'Projects', 'Make a link that sets the extension up to report to this project (owner)', {
    description: "Not a secret, and it does not expire: it grants nothing but says where reports go. The environment follows the extension's rules (at most 64 characters, no placeholder such as `default`).",
    body: json('ReporterLinkRequest', reporterLinkBodyDoc),
    answers: { 201: ok('Made', named('ReporterLink', reporterLinkSchema)) },
  }),

  person('GET /api/me', 'getMe', 'Me', 'The signed-in person and their projects', { answers: { 200: ok('Who they are', named('Me', meSchema)) } }),
  person('PATCH /api/me/projects/{clientId}', 'updateMyProject', 'Me', 'Choose whether to be e-mailed each new report of a project', {
    body: json('MyProjectChange', myProjectBody),
    answers: { 200: ok('Their place in the project', named('MyProject', myProjectSchema)), 403: refusal(TEAM_ERRORS.notMember, orCsrf), 404: refusal(WIRE_ERRORS.invalidClientId) },
  }),
  person('GET /api/me/notifications', 'listNotifications', 'Me', 'The bell: notifications, newest first, and how many are unread', {
    query: { limit: { schema: z.string().check(z.regex(/^[1-9][0-9]{0,2}$/)), description: `At most this many, 1 to ${notificationsMax} (default ${notificationsDefault})` } },
    answers: {
      200: ok('The notifications', named('NotificationList', notificationList)),
      400: { description: `\`${READ_API_ERRORS.invalidQuery}\`: \`limit\``, body: 'invalid' },
      403: tokensHaveNoBell,
      429: guesses,
    },
  }),
  person('POST /api/me/notifications/read', 'markNotificationsRead', 'Me', 'Mark notifications read: those of `ids`, or all without them', {
    body: json('MarkRead', markReadSchema, true),
    answers: { 204: ok('Marked'), 403: tokensHaveNoBell, 429: guesses },
  }),

  anyone('GET /api/invitations/{token}', 'getInvitation', 'Members', 'What an invitation link invites to', { answers: { 200: ok('The invitation', named('Invitation', invitationSchema)), 404: badInvitation } }),
  maybePerson('POST /api/invitations/{token}/accept', 'acceptInvitation', 'Members', 'Accept an invitation: signed in, join; else make the account from the body and sign it in', {
    body: json('AcceptInvitation', acceptBody, true),
    answers: {
      200: { description: 'Joined (someone already in keeps a higher role)', body: named('InvitationAccepted', acceptedSchema), headers: ['Set-Cookie'] },
      403: refusal(TEAM_ERRORS.invitedElsewhere, orCsrf),
      404: badInvitation,
      409: refusal(TEAM_ERRORS.emailTaken),
    },
  }),

  anyone('GET /api/auth/methods', 'getSignInMethods', 'Signing in', 'What the sign-in screen offers', { answers: { 200: ok('Passwords, and single sign-on when configured', named('SignInMethods', signInMethodsSchema)) } }),
  anyone('POST /api/auth/sign-in', 'signIn', 'Signing in', 'Sign in with e-mail and password', {
    body: json('SignIn', signInBody),
    answers: { 200: signedIn('Signed in: the session cookie is set'), 401: refusal(TEAM_ERRORS.wrongPassword), 429: { ...refusal(TEAM_ERRORS.tooManySignIns), headers: ['Retry-After'] } },
  }),
  anyone('POST /api/auth/sign-in/link', 'signInWithLink', 'Signing in', "Sign in with a one-time link's token", { body: json('SignInLink', tokenBody), answers: { 200: signedIn('Signed in'), 401: refusal(TEAM_ERRORS.badLink) } }),
  person('GET /api/auth/session', 'getSession', 'Signing in', 'The session of the cookie', { answers: { 200: ok('Signed in', SIGNED_IN) } }),
  maybePerson('POST /api/auth/sign-out', 'signOut', 'Signing in', 'Sign out: the session is deleted and the cookie cleared', { answers: { 204: ok('Signed out') } }),
  anyone('POST /api/auth/password-reset', 'requestPasswordReset', 'Signing in', 'E-mail a password reset link', {
    body: json('PasswordReset', resetBody),
    answers: { 202: ok('Whether or not the account exists', named('Accepted', z.strictObject({}))), 503: refusal(TEAM_ERRORS.noEmail) },
  }),
  anyone('POST /api/auth/password-reset/confirm', 'confirmPasswordReset', 'Signing in', "Set a new password with a reset link's token; every other session is signed out", {
    body: json('PasswordResetConfirm', resetConfirmBody),
    answers: { 200: signedIn('Signed in with the new password'), 401: refusal(TEAM_ERRORS.badResetLink) },
  }),
];
