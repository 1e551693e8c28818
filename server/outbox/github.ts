/**
 * GitHub as a tracker: a project connected to a repository with a token (fine-grained
 * personal token or an App installation token), through Octokit over the guarded client
 * (safe-http.ts). A delivery either creates a report's issue (asked for by hand, or on its
 * own by the connection's rule) or moves the linked issue with the report's state (done
 * closes it, any other state reopens it). GitHub's own webhook brings the other way in
 * (routes/github-hook.ts).
 *
 * Creating is idempotent: the body carries a marker with the report's id, and before
 * creating, the repository's issues created since the delivery was queued are looked at, so
 * a try whose answer was lost finds its issue instead of making a second one.
 */
import { randomBytes } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import * as z from 'zod/mini';
import { decryptSecret, encryptSecret } from '../auth/keys.ts';
import { GITHUB, OUTBOUND } from '../constants.ts';
import { issueMarkdown, issueTitle } from '../inbox/client/github-issue.ts';
import { feedbackUrl, replayFileUrl, screenshotUrl } from '../inbox/client/links.ts';
import { buildTimeline } from '../inbox/client/timeline-entries.ts';
import { toItemsJson, type FeedbackItemJson } from '../read-api/items.ts';
import { readReplayEvents } from '../replay-read.ts';
import type { Delivery, Integration } from '../storage/outbox-types.ts';
import { guardedFetch, OutboundError } from './safe-http.ts';
import type { OutboxContext, SendResult, Target } from './targets.ts';
import { ruleMatches, ruleOf, type TrackerKind } from './trackers.ts';

/** What a delivery to GitHub does. */
type GitHubOp = { op: 'create' } | { op: 'state'; state: string };

const repoSchema = z.string({ error: 'Must be owner/name' }).check(
  z.trim(),
  z.regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, { error: 'Must be owner/name, e.g. acme/shop' }),
);

/** `POST /api/projects/:clientId/integrations` with `kind: "github"`. */
const githubBody = z.strictObject({
  repo: repoSchema,
  token: z.string({ error: 'Must be a GitHub token' }).check(z.trim(), z.minLength(1, { error: 'Must be a GitHub token' }), z.maxLength(500, { error: 'Must be at most 500 characters' })),
  labels: z.optional(
    z.array(z.string({ error: 'Must be a label name' }).check(z.trim(), z.minLength(1), z.maxLength(50)), { error: 'Must be a list of label names' }).check(z.maxLength(20)),
  ),
});

/** A GitHub connection's settings as the API shows them (never its token). */
const githubSettings = z.object({ repo: z.string(), apiUrl: z.string(), labels: z.array(z.string()) });

/** Shown once, when a connection is made: where GitHub's webhook goes, its secret and its events. */
const githubShown = z.object({ hook: z.object({ url: z.string(), secret: z.string(), events: z.array(z.literal('issues')) }) });

/** The marker in an issue's body that names its report. */
export function reportMarker(feedbackId: string): string {
  return `<!-- loupe:${feedbackId} -->`;
}

/** The issue's title, body and labels for a report, as the inbox's "Copy as GitHub issue" writes them. */
export function issueOf(
  item: FeedbackItemJson,
  integration: Integration,
  baseUrl: string,
  replayEvents?: unknown[],
): { title: string; body: string; labels: string[] } {
  const base = new URL(`${baseUrl}/`);
  const body = issueMarkdown(item, {
    feedback: feedbackUrl(base, item.id),
    screenshots: (item.screenshots ?? []).map((shot) => screenshotUrl(base, item, shot)),
    replayFile: item.replay ? replayFileUrl(base, item.replay) : undefined,
    steps: buildTimeline(item.metadata, replayEvents && { events: replayEvents }).steps.map((entry) => entry.text),
  });
  const labels = (integration.config.labels as string[] | undefined) ?? [];
  return { title: issueTitle(item), body: `${body}\n\n${reportMarker(item.id)}`, labels };
}

function clientOf(integration: Integration, ctx: OutboxContext): Octokit {
  return new Octokit({
    auth: decryptSecret(ctx.masterKey, integration.id, String(integration.config.token)),
    baseUrl: String(integration.config.apiUrl),
    userAgent: OUTBOUND.userAgent,
    request: { fetch: guardedFetch({ allowedHosts: ctx.allowedHosts, timeoutMs: ctx.timeoutMs, maxResponseBytes: GITHUB.maxResponseBytes }) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

const repoOf = (integration: Integration) => {
  const [owner, repo] = String(integration.config.repo).split('/') as [string, string];
  return { owner, repo };
};

/** What GitHub's refusal means for the next try; a 401 or 403 needs an owner (the token). */
function failure(error: unknown): SendResult {
  if (error instanceof OutboundError) return { ok: false, status: null, excerpt: null, error: error.message };
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') throw error;
  const headers = ((error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {}) as Record<string, string | undefined>;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const excerpt = (typeof data === 'string' ? data : JSON.stringify(data ?? null)).slice(0, OUTBOUND.excerptChars);
  const message = (data as { message?: unknown } | undefined)?.message;
  const said = typeof message === 'string' ? `: ${message}` : '';
  // GitHub's rate limit: 403 or 429 with the time it resets, or a Retry-After.
  const reset = Number(headers['x-ratelimit-reset']);
  const retryAfterMs = headers['retry-after'] ? Number(headers['retry-after']) * 1000 : headers['x-ratelimit-remaining'] === '0' && reset > 0 ? reset * 1000 - Date.now() : undefined;
  const attention = (status === 401 || status === 403) && retryAfterMs === undefined ? ` (${GITHUB.needsAttention})` : '';
  return { ok: false, status, excerpt, error: `GitHub answered ${status}${said}${attention}`, retryAfterMs };
}

/** The report's issue: the one linked, or one a lost answer left behind (found by its marker), else a new one. */
async function createIssue(delivery: Delivery, integration: Integration, ctx: OutboxContext): Promise<SendResult> {
  const feedbackId = delivery.feedbackId!;
  const linked = await ctx.storage.outbox.getLink(integration.id, feedbackId);
  if (linked) return { ok: true, status: null, excerpt: `Already linked to ${linked.url}` };
  const row = await ctx.storage.getFeedback(feedbackId);
  const [item] = row ? await toItemsJson(ctx.storage, [row], ctx.baseUrl) : [];
  if (!item) return { ok: true, status: null, excerpt: 'The report is gone' };
  const octokit = clientOf(integration, ctx);
  const where = repoOf(integration);
  const marker = reportMarker(feedbackId);
  const since = new Date(Date.parse(delivery.createdAt) - GITHUB.clockSkewMs).toISOString();
  const recent = await octokit.rest.issues.listForRepo({ ...where, state: 'all', since, sort: 'created', direction: 'desc', per_page: GITHUB.lookBack });
  const found = recent.data.find((issue) => !issue.pull_request && issue.body?.includes(marker));
  const create = async () => {
    const events = item.replay && ctx.files ? await readReplayEvents(ctx.storage, ctx.files, item.replay.id) : undefined;
    return (await octokit.rest.issues.create({ ...where, ...issueOf(item, integration, ctx.baseUrl, events) })).data;
  };
  const issue = found ?? (await create());
  // A report done before its issue was made: the issue starts closed too.
  if (item.state === 'done' && issue.state !== 'closed') await octokit.rest.issues.update({ ...where, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
  const link = await ctx.storage.outbox.saveLink({
    integrationId: integration.id,
    feedbackId,
    externalId: String(issue.number),
    url: issue.html_url,
    createdAt: new Date(ctx.nowMs()).toISOString(),
  });
  return { ok: true, status: found ? 200 : 201, excerpt: found ? `Found ${link.url}` : `Created ${link.url}` };
}

async function moveIssue(delivery: Delivery, integration: Integration, ctx: OutboxContext, state: string): Promise<SendResult> {
  const link = await ctx.storage.outbox.getLink(integration.id, delivery.feedbackId!);
  if (!link) return { ok: true, status: null, excerpt: 'No issue linked' };
  const done = state === 'done';
  const answer = await clientOf(integration, ctx).rest.issues.update({
    ...repoOf(integration),
    issue_number: Number(link.externalId),
    state: done ? 'closed' : 'open',
    state_reason: done ? 'completed' : 'reopened',
  });
  return { ok: true, status: answer.status, excerpt: `${done ? 'Closed' : 'Reopened'} ${link.url}` };
}

/** The GitHub target. */
export const githubTarget: Target = {
  plan(integration, change) {
    if (change.type === 'feedback.created' && ruleMatches(ruleOf(integration), change.item)) return JSON.stringify({ op: 'create' } satisfies GitHubOp);
    if (change.type === 'feedback.updated' && change.changes.includes('state')) return JSON.stringify({ op: 'state', state: change.item.state } satisfies GitHubOp);
    return undefined;
  },

  async send(delivery, integration, ctx) {
    const op = JSON.parse(delivery.payload) as GitHubOp;
    try {
      return op.op === 'create' ? await createIssue(delivery, integration, ctx) : await moveIssue(delivery, integration, ctx, op.state);
    } catch (error) {
      return failure(error);
    }
  },
};

/** The payload of an issue asked for by hand. */
export const CREATE_ISSUE_PAYLOAD = JSON.stringify({ op: 'create' } satisfies GitHubOp);

/** A GitHub connection as owners make it. */
export const githubKind: TrackerKind<z.infer<typeof githubBody>, z.infer<typeof githubSettings>, z.infer<typeof githubShown>> = {
  kind: 'github',
  body: githubBody,
  secretField: 'token',
  createsIssues: true,
  settings: githubSettings,
  shown: githubShown,
  connect(body, ctx) {
    const hookSecret = randomBytes(24).toString('base64url');
    return {
      name: body.repo,
      events: ['feedback.created', 'feedback.updated'],
      config: {
        repo: body.repo,
        apiUrl: ctx.githubApiUrl,
        labels: [...new Set(body.labels ?? [])],
        token: encryptSecret(ctx.masterKey, ctx.id, body.token),
        hookSecret: encryptSecret(ctx.masterKey, ctx.id, hookSecret),
      },
    };
  },
  json: (integration) => {
    const { repo, apiUrl, labels } = integration.config as { repo: string; apiUrl: string; labels: string[] };
    return { repo, apiUrl, labels };
  },
  shownOnce: (integration, ctx) => ({
    hook: { url: `${ctx.baseUrl}/api/integrations/${integration.id}/github`, secret: githubHookSecret(ctx.masterKey, integration), events: ['issues'] },
  }),
};

/** The secret GitHub signs its webhook for this connection with (X-Hub-Signature-256). */
export function githubHookSecret(masterKey: Uint8Array, integration: Integration): string {
  return decryptSecret(masterKey, integration.id, String(integration.config.hookSecret));
}
