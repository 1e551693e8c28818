/**
 * GitHub's webhook for a connection, at POST /api/integrations/:integrationId/github: the way
 * back from a repository. Its body is verified against the connection's secret
 * (`X-Hub-Signature-256`, by @octokit/webhooks-methods); an issue closed moves its report to
 * done, one reopened moves it back to new. The change is triaged with the connection as its
 * source, so it is not sent back to GitHub (no echo), and a report already there is left alone.
 */
import { verify } from '@octokit/webhooks-methods';
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { GITHUB, SERVER_ERRORS } from '../constants.ts';
import { githubHookSecret } from '../outbox/github.ts';
import { hookBodyCap, moveLinkedReport, type TrackerHookOptions } from './tracker-hook.ts';

/** What the hook needs. */
export type GitHubHookOptions = TrackerHookOptions;

const STATE_OF_ACTION: Record<string, 'done' | 'new'> = { closed: 'done', reopened: 'new' };

/** The parts of GitHub's event the hook reads, for the OpenAPI document (GitHub sends much more); not parsed with. */
export const issuesEventDoc = z.looseObject({
  action: z.optional(z.string()),
  issue: z.optional(z.looseObject({ number: z.optional(z.int()) })),
  repository: z.optional(z.looseObject({ full_name: z.optional(z.string()) })),
});

type IssuesEvent = z.infer<typeof issuesEventDoc>;

/** What the hook answers a change it made: the report and its state now; a ping: `{ok}` only. */
export const hookAnswerSchema = z.union([z.object({ ok: z.literal(true), feedbackId: z.string(), state: z.enum(['done', 'new']) }), z.object({ ok: z.literal(true) })]);

/** What it answers an event it leaves alone: why. */
export const hookIgnoredSchema = z.object({ ok: z.literal(true), ignored: z.string() });

type Ignored = z.infer<typeof hookIgnoredSchema>;

/** The sub-app to mount at `/api/integrations`. */
export function createGitHubHook(options: GitHubHookOptions): Hono {
  const app = new Hono();
  const cap = hookBodyCap(GITHUB.hookMaxBytes);

  app.post('/:integrationId/github', cap, async (c) => {
    const integration = await options.storage.outbox.getIntegration(c.req.param('integrationId'));
    if (!integration || integration.kind !== 'github') return c.json({ error: SERVER_ERRORS.notFound }, 404);
    const text = await c.req.text();
    const signature = c.req.header('x-hub-signature-256') ?? '';
    const valid = signature !== '' && (await verify(githubHookSecret(options.masterKey, integration), text, signature).catch(() => false));
    if (!valid) return c.json({ error: 'Signature does not match (X-Hub-Signature-256)' }, 401);
    if (!integration.enabled) return c.json({ ok: true, ignored: 'The connection is turned off' } satisfies Ignored, 202);

    const event = c.req.header('x-github-event');
    if (event === 'ping') return c.json({ ok: true } satisfies z.infer<typeof hookAnswerSchema>);
    let payload: IssuesEvent;
    try {
      payload = JSON.parse(text) as IssuesEvent;
    } catch {
      return c.json({ error: SERVER_ERRORS.bodyNotJson }, 400);
    }
    const action = payload.action ?? '';
    // Own keys only: an action named `constructor` is no state.
    const state = event === 'issues' && Object.hasOwn(STATE_OF_ACTION, action) ? STATE_OF_ACTION[action] : undefined;
    if (!state) return c.json({ ok: true, ignored: `Not an issue closed or reopened (${event ?? 'no event'} ${payload.action ?? ''})`.trim() } satisfies Ignored, 202);
    if (payload.repository?.full_name?.toLowerCase() !== String(integration.config.repo).toLowerCase()) {
      return c.json({ ok: true, ignored: 'Not the connected repository' } satisfies Ignored, 202);
    }
    const link = await options.storage.outbox.linkOfIssue(integration.id, String(payload.issue?.number ?? ''));
    if (!link) return c.json({ ok: true, ignored: 'No report is linked to this issue' } satisfies Ignored, 202);
    return moveLinkedReport(c, options, integration, link, state, 'GitHub');
  });
  return app;
}
