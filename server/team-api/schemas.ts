/**
 * What the team routes accept (docs/team-api.md), validated with zod/mini; failures name
 * their field as the read API's do (`{"password": ["Must be 8 to 256 characters"]}`).
 * Unknown fields are refused: a typo must not be silently ignored.
 */
import * as z from 'zod/mini';
import { PASSWORD_LIMITS, TEAM_LIMITS } from '../constants.ts';
import { normalizeOrigin } from '../origin.ts';
import { ROLES } from '../auth/access.ts';
import { storableText } from '../storable-text.ts';

const { minChars, maxChars } = PASSWORD_LIMITS;
const PASSWORD_MESSAGE = `Must be ${minChars} to ${maxChars} characters`;

// A simple shape check: one @, something either side, no spaces; the mail server decides the rest.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/** An e-mail address, trimmed and lower-cased (how accounts are looked up). */
export const emailSchema = z.pipe(
  z.string({ error: 'Must be an e-mail address' }).check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(TEAM_LIMITS.emailMaxChars, { error: `Must be at most ${TEAM_LIMITS.emailMaxChars} characters` }),
    z.regex(EMAIL_SHAPE, { error: 'Must be an e-mail address' }),
  ),
  z.transform(storableText),
);

/** A new password: 8 to 256 characters, as given (never trimmed). */
export const passwordSchema = z.string({ error: PASSWORD_MESSAGE }).check(
  z.minLength(minChars, { error: PASSWORD_MESSAGE }),
  z.maxLength(maxChars, { error: PASSWORD_MESSAGE }),
);

/** A password to check: any text up to the maximum (a short one simply does not match). */
const givenPassword = z.string({ error: 'Must be a string' }).check(z.maxLength(maxChars, { error: PASSWORD_MESSAGE }));

/** A person's or project's name: trimmed, 1 to 200 characters. */
export const nameSchema = z.pipe(
  z.string({ error: 'Must be a string' }).check(
    z.trim(),
    z.minLength(1, { error: 'Must not be empty' }),
    z.maxLength(TEAM_LIMITS.nameMaxChars, { error: `Must be at most ${TEAM_LIMITS.nameMaxChars} characters` }),
  ),
  z.transform(storableText),
);

const token = z.string({ error: 'Must be the token of a link' }).check(z.minLength(1, { error: 'Must not be empty' }), z.maxLength(200));

/** A role in a project. */
export const roleSchema = z.enum(ROLES, { error: `Must be one of ${ROLES.join(', ')}` });

// Normalized origins, each once; a value that is not an http(s) origin is named.
const originsSchema = z.pipe(
  z.array(z.string({ error: 'Must be an http(s) origin' })).check(z.maxLength(TEAM_LIMITS.allowedOriginsMax)),
  z.transform((values, ctx) => {
    const origins: string[] = [];
    values.forEach((value, i) => {
      const origin = normalizeOrigin(value);
      if (!origin) ctx.issues.push({ code: 'custom', message: 'Must be an http(s) origin', input: value, path: [i] });
      else if (!origins.includes(origin)) origins.push(origin);
    });
    return origins;
  }),
);

/** `POST /api/auth/sign-in`. */
export const signInBody = z.strictObject({ email: emailSchema, password: givenPassword });
/** Bodies that carry only a link's token. */
export const tokenBody = z.strictObject({ token });
/** `POST /api/auth/password-reset`. */
export const resetBody = z.strictObject({ email: emailSchema });
/** `POST /api/auth/password-reset/confirm`. */
export const resetConfirmBody = z.strictObject({ token, password: passwordSchema });
/** `PATCH /api/me/projects/:clientId`. */
export const myProjectBody = z.strictObject({ notifyNewReports: z.boolean({ error: 'Must be true or false' }) });
/** `POST /api/projects`. */
export const newProjectBody = z.strictObject({ name: nameSchema, allowedOrigins: z.optional(originsSchema) });
/** `PATCH /api/projects/:clientId`. */
export const projectChangeBody = z.strictObject({
  name: z.optional(nameSchema),
  allowedOrigins: z.optional(originsSchema),
  notifyReporterOnDone: z.optional(z.boolean({ error: 'Must be true or false' })),
});
/** `PATCH /api/projects/:clientId/members/:userId`. */
export const memberChangeBody = z.strictObject({ role: roleSchema });
/** `POST /api/projects/:clientId/invitations`. */
export const invitationBody = z.strictObject({ role: roleSchema, email: z.optional(emailSchema) });
/** `POST /api/invitations/:token/accept` (the account's fields, when not signed in). */
export const acceptBody = z.strictObject({
  name: z.optional(nameSchema),
  email: z.optional(emailSchema),
  password: z.optional(passwordSchema),
});
/** `POST /api/projects/:clientId/keys`. */
export const newKeyBody = z.strictObject({ name: z.optional(nameSchema) });

const webhookUrlSchema = z.string({ error: 'Must be an absolute http(s) URL' }).check(
  z.trim(),
  z.maxLength(TEAM_LIMITS.urlMaxChars, { error: `Must be at most ${TEAM_LIMITS.urlMaxChars} characters` }),
);
const webhookEventsSchema = z.array(z.string({ error: 'Must be an event name' }), { error: 'Must be a list of event names' });
/** `POST /api/projects/:clientId/webhooks` (the URL and events are checked further by outbox/endpoints.ts). */
export const newWebhookBody = z.strictObject({ url: webhookUrlSchema, events: z.optional(webhookEventsSchema) });
/** `PATCH /api/projects/:clientId/webhooks/:id`: its events, or turning it on or off. */
export const webhookChangeBody = z.strictObject({ events: z.optional(webhookEventsSchema), enabled: z.optional(z.boolean({ error: 'Must be true or false' })) });
