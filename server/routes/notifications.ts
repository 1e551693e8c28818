/**
 * The inbox's bell under /api/me/notifications (docs/team-api.md "Me"): a signed-in person's
 * notifications, newest first, with the unread count, and marking them read. Tools (admin
 * token, project keys) have no bell: they are refused.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AccessVariables } from '../auth/access.ts';
import { authenticate, type BearerOptions } from '../auth/bearer.ts';
import { capBody } from '../body-cap.ts';
import { CLOSE_AFTER_ANSWER, DISCUSSION_LIMITS, READ_API_ERRORS, READ_API_LIMITS, TEAM_ERRORS } from '../constants.ts';
import { bodyIssuesOf, timestampSchema } from '../read-api/schemas.ts';
import type { Notification } from '../storage/team-types.ts';
import { invalid } from '../read-api/json-body.ts';

type Env = { Variables: AccessVariables };

const { notificationsDefault, notificationsMax, markReadMaxIds } = DISCUSSION_LIMITS;
const LIMIT_MESSAGE = `Must be an integer from 1 to ${notificationsMax}`;

/** The body of `POST /api/me/notifications/read`: which to mark (absent: all). */
export const markReadSchema = z.strictObject({
  ids: z.optional(
    z.array(z.string().check(z.maxLength(200, { error: 'Must be a notification id' }))).check(
      z.maxLength(markReadMaxIds, { error: `At most ${markReadMaxIds} ids` }),
    ),
  ),
});

/** A notification as the bell lists it. */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(['new_report', 'assigned', 'mentioned'] satisfies Notification['kind'][]),
  clientId: z.string(),
  feedbackId: z.string(),
  actorLabel: z.string(),
  createdAt: timestampSchema,
  readAt: z.nullable(timestampSchema),
});

function notificationJson(n: Notification): z.infer<typeof notificationSchema> {
  return { id: n.id, kind: n.kind, clientId: n.clientId, feedbackId: n.feedbackId, actorLabel: n.actorLabel, createdAt: n.createdAt, readAt: n.readAt };
}

/** The sub-app to mount at `/api/me/notifications`. */
export function createNotificationsApi(options: BearerOptions): Hono<Env> {
  const team = options.storage.team;
  const api = new Hono<Env>();
  api.use('*', authenticate(options));
  api.use('*', async (c, next) => {
    if (c.get('access').kind !== 'user') return c.json({ error: TEAM_ERRORS.signInRequired }, 403);
    await next();
  });
  const userId = (access: AccessVariables['access']) => (access.kind === 'user' ? access.user.id : '');

  api.get('/', async (c) => {
    const limitText = c.req.query('limit');
    if (limitText !== undefined && !/^[1-9][0-9]{0,2}$/.test(limitText)) return invalid(c, READ_API_ERRORS.invalidQuery, { limit: [LIMIT_MESSAGE] });
    const limit = limitText === undefined ? notificationsDefault : Number(limitText);
    if (limit > notificationsMax) return invalid(c, READ_API_ERRORS.invalidQuery, { limit: [LIMIT_MESSAGE] });
    const id = userId(c.get('access'));
    const [items, unread] = await Promise.all([team.listNotifications(id, limit), team.countUnread(id)]);
    return c.json({ items: items.map(notificationJson), unread });
  });

  const cappedBody = capBody({
    maxBytes: READ_API_LIMITS.maxBodyBytes,
    onTooLarge: (c) => c.json({ error: READ_API_ERRORS.bodyTooLarge }, 413, CLOSE_AFTER_ANSWER),
  });

  // No body (or `{}`) marks every notification read.
  api.post('/read', cappedBody, async (c) => {
    const text = await c.req.text();
    let body: unknown = {};
    try {
      if (text.trim() !== '') body = JSON.parse(text);
    } catch {
      return invalid(c, READ_API_ERRORS.invalidBody, { body: ['Body must be valid JSON'] });
    }
    const parsed = markReadSchema.safeParse(body);
    if (!parsed.success) return invalid(c, READ_API_ERRORS.invalidBody, bodyIssuesOf(parsed.error));
    await team.markRead(userId(c.get('access')), parsed.data.ids, new Date(options.nowMs()).toISOString());
    return c.body(null, 204);
  });

  return api;
}
