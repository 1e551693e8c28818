/**
 * A report's discussion and history under /api/projects/:clientId (docs/team-api.md
 * "Discussion and history"): comments (members write, their authors edit and delete) and
 * the activity log. Registered on the read API, behind its authentication and project check.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { actorOf, requireRole, type AccessVariables } from '../auth/access.ts';
import { DISCUSSION_ERRORS, DISCUSSION_LIMITS, READ_API_ERRORS, TEAM_ERRORS } from '../constants.ts';
import { laterThan } from '../feedback-state.ts';
import { newTeamId } from '../ids.ts';
import { commentEditEffects, commentEffects, projectPeople } from '../notify/effects.ts';
import { storableText } from '../storable-text.ts';
import type { Activity, Comment, User } from '../storage/team-types.ts';
import type { Client, FeedbackRow, Storage } from '../storage/types.ts';
import { bodyIssuesOf, timestampSchema } from '../read-api/schemas.ts';
import { invalid, readJsonBody } from '../read-api/json-body.ts';
import { commentEvent } from '../outbox/events.ts';
import { publicBase } from './upload-form.ts';

type Env = { Variables: AccessVariables & { client: Client } };

/** What the discussion routes need. */
export interface DiscussionOptions {
  storage: Storage;
  nowMs: () => number;
  /** Base of links in e-mails; defaults to each request's origin. */
  publicUrl?: string;
  /** Called after a change queued e-mails (the sender looks at the queue then). */
  onEmailsQueued?: () => void;
  /** Called after a comment was written with its outbox event (the outbox worker looks then). */
  onOutboxQueued?: () => void;
  /** The read API's body cap (READ_API_LIMITS.maxBodyBytes). */
  cappedBody: MiddlewareHandler;
}

const { commentMaxChars } = DISCUSSION_LIMITS;
/** The body of a new or edited comment. */
export const commentBody = z.strictObject({
  body: z.string({ error: 'Must be a string' }).check(
    z.refine((text) => text.trim() !== '', { error: 'Must not be empty' }),
    z.maxLength(commentMaxChars, { error: `Must be at most ${commentMaxChars} characters` }),
  ),
});

/** The comment body of a request, or the 400 to answer. */
async function readCommentBody(c: Context): Promise<{ body: string } | Response> {
  const json = await readJsonBody(c);
  if (!json.ok) return invalid(c, READ_API_ERRORS.invalidBody, json.issues);
  const parsed = commentBody.safeParse(json.value);
  if (parsed.success) return { body: storableText(parsed.data.body) };
  return invalid(c, READ_API_ERRORS.invalidBody, bodyIssuesOf(parsed.error));
}

/** A comment as the API shows it; a deleted one keeps its place with no body. */
export const commentSchema = z.object({
  id: z.string(),
  author: z.object({ id: z.string(), email: z.nullable(z.string()), name: z.nullable(z.string()) }),
  body: z.string(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  deletedAt: z.nullable(timestampSchema),
});

/** One entry of a report's activity log: what changed (`data`), by whom, when. */
export const activitySchema = z.object({
  id: z.string(),
  kind: z.enum(['created', 'state', 'assigned', 'labelled', 'priority', 'commented'] satisfies Activity['kind'][]),
  actorLabel: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: timestampSchema,
});

/** The JSON of a comment (commentSchema), its author's e-mail and name looked up. */
export function commentJson(comment: Comment, author: User | undefined): z.infer<typeof commentSchema> {
  return {
    id: comment.id,
    author: { id: comment.authorId, email: author?.email ?? null, name: author?.name ?? null },
    body: comment.deletedAt === null ? comment.body : '',
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    deletedAt: comment.deletedAt,
  };
}

function activityJson(entry: Pick<Activity, 'id' | 'kind' | 'actorLabel' | 'data' | 'createdAt'>): z.infer<typeof activitySchema> {
  return { id: entry.id, kind: entry.kind, actorLabel: entry.actorLabel, data: entry.data, createdAt: entry.createdAt };
}

/** The report's 'created' entry, made from the report itself: every report has one, imported ones too. */
function createdEntry(feedback: FeedbackRow) {
  return activityJson({ id: `act_created_${feedback.id}`, kind: 'created', actorLabel: 'Reporter', data: {}, createdAt: feedback.createdAt });
}

/** Adds the comment and activity routes to the read API's app. */
export function registerDiscussionRoutes(api: Hono<Env>, options: DiscussionOptions): void {
  const { storage } = options;
  const team = storage.team;

  const feedbackOf = async (c: Context<Env>) => {
    const row = await storage.getFeedback(c.req.param('id') ?? '');
    return row && row.clientId === c.get('client').id ? row : undefined;
  };
  const noFeedback = (c: Context) => c.json({ error: READ_API_ERRORS.feedbackNotFound }, 404);

  api.get('/:clientId/feedbacks/:id/comments', async (c) => {
    const feedback = await feedbackOf(c);
    if (!feedback) return noFeedback(c);
    const comments = await team.listComments(feedback.id);
    const authors = new Map((await team.getUsers([...new Set(comments.map((m) => m.authorId))])).map((u) => [u.id, u]));
    return c.json({ items: comments.map((comment) => commentJson(comment, authors.get(comment.authorId))) });
  });

  api.post('/:clientId/feedbacks/:id/comments', requireRole('member'), options.cappedBody, async (c) => {
    const access = c.get('access');
    // A comment has a person as its author: tools (admin token, project keys) cannot write one.
    if (access.kind !== 'user') return c.json({ error: TEAM_ERRORS.signInRequired }, 403);
    const feedback = await feedbackOf(c);
    if (!feedback) return noFeedback(c);
    const read = await readCommentBody(c);
    if (read instanceof Response) return read;
    const nowMs = options.nowMs();
    const at = new Date(nowMs).toISOString();
    const comment: Comment = {
      id: newTeamId('comment'),
      clientId: feedback.clientId,
      feedbackId: feedback.id,
      authorId: access.user.id,
      body: read.body,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    const ctx = { projectName: c.get('client').name, feedback, base: publicBase(c, options.publicUrl), nowMs };
    const effects = commentEffects(ctx, comment, actorOf(access), await projectPeople(team, feedback.clientId));
    await team.insertComment(comment, { ...effects, events: [commentEvent(comment)] });
    if (effects.emails?.length) options.onEmailsQueued?.();
    options.onOutboxQueued?.();
    return c.json(commentJson(comment, access.user), 201);
  });

  // Author only, and still a member: a viewer reads, and one demoted to it no longer writes.
  const ownComment = async (c: Context<Env>): Promise<Comment | Response> => {
    const access = c.get('access');
    const comment = await team.getComment(c.req.param('commentId') ?? '');
    if (!comment || comment.clientId !== c.get('client').id) return c.json({ error: DISCUSSION_ERRORS.commentNotFound }, 404);
    if (access.kind !== 'user' || access.user.id !== comment.authorId) return c.json({ error: DISCUSSION_ERRORS.notAuthor }, 403);
    if (comment.deletedAt !== null) return c.json({ error: DISCUSSION_ERRORS.commentDeleted }, 409);
    return comment;
  };

  api.patch('/:clientId/comments/:commentId', requireRole('member'), options.cappedBody, async (c) => {
    const comment = await ownComment(c);
    if (comment instanceof Response) return comment;
    const read = await readCommentBody(c);
    if (read instanceof Response) return read;
    const nowMs = options.nowMs();
    const updatedAt = laterThan(nowMs, comment.updatedAt);
    const access = c.get('access');
    const feedback = await storage.getFeedback(comment.feedbackId);
    const ctx = { projectName: c.get('client').name, feedback: feedback!, base: publicBase(c, options.publicUrl), nowMs };
    const effects = commentEditEffects(ctx, comment, read.body, actorOf(access), await projectPeople(team, comment.clientId));
    if (!(await team.updateComment(comment.id, { body: read.body, updatedAt }, effects))) {
      return c.json({ error: DISCUSSION_ERRORS.commentDeleted }, 409);
    }
    if (effects.emails?.length) options.onEmailsQueued?.();
    return c.json(commentJson({ ...comment, body: read.body, updatedAt }, access.kind === 'user' ? access.user : undefined));
  });

  api.delete('/:clientId/comments/:commentId', requireRole('member'), async (c) => {
    const comment = await ownComment(c);
    if (comment instanceof Response) return comment;
    const at = laterThan(options.nowMs(), comment.updatedAt);
    if (!(await team.updateComment(comment.id, { updatedAt: at, deletedAt: at }))) {
      return c.json({ error: DISCUSSION_ERRORS.commentDeleted }, 409);
    }
    return c.body(null, 204);
  });

  api.get('/:clientId/feedbacks/:id/activity', async (c) => {
    const feedback = await feedbackOf(c);
    if (!feedback) return noFeedback(c);
    const entries = await team.listActivity(feedback.id);
    const items = entries.map(activityJson);
    if (!entries.some((entry) => entry.kind === 'created')) items.unshift(createdEntry(feedback));
    return c.json({ items });
  });
}
