/**
 * Jira Cloud as a tracker: a project on a site, reached with an Atlassian account's e-mail
 * and API token through Jira's REST API v3. The requests are jira.js's (its cloud operations
 * and their models); only the transport is ours, over the guarded client (safe-http.ts),
 * since jira.js's own calls the global `fetch`. A delivery either creates a report's issue
 * (asked for by hand, or on its own by the connection's rule; the description in ADF,
 * jira-adf.ts) or moves the linked issue to the Jira status the connection maps the report's
 * state to, by the transition that leads there. Jira's own webhook brings the other way in
 * (routes/jira-hook.ts).
 *
 * Creating is idempotent: the issue carries a label naming the report (`loupe-<id>`, lower
 * case as labels are matched), and before creating, JQL looks for it, so a try whose answer
 * was lost finds its issue instead of making a second one. Jira's search is eventually
 * consistent (its read-after-write option needs the issue's id, which a lost answer does
 * not give): an issue made a moment before may not be found yet, which the outbox's first
 * retry delay (seconds, then minutes) leaves time for.
 */
import { randomBytes } from 'node:crypto';
import { createCloudClient } from 'jira.js';
import type { Client, SendRequestOptions } from 'jira.js/core';
import * as z from 'zod/mini';
import type { FieldIssues } from '../../lib/api/schemas.ts';
import { decryptSecret, encryptSecret } from '../auth/keys.ts';
import { JIRA, OUTBOUND } from '../constants.ts';
import { issueTitle } from '../inbox/client/github-issue.ts';
import { feedbackUrl, replayFileUrl, screenshotUrl } from '../inbox/client/links.ts';
import { oneLine } from '../inbox/client/markdown-text.ts';
import { buildTimeline } from '../inbox/client/timeline-entries.ts';
import type { FeedbackItemJson } from '../read-api/items.ts';
import type { Delivery, Integration, TrackerLink } from '../storage/outbox-types.ts';
import { issueTarget } from './issue-target.ts';
import { issueAdf, type AdfDoc } from './jira-adf.ts';
import { guardedFetch, OutboundError, retryAfterMs, urlProblem } from './safe-http.ts';
import type { OutboxContext, SendResult, Target } from './targets.ts';
import type { TrackerKind } from './trackers.ts';

/** The Loupe states, each with the Jira status it is. */
export type StatusMap = { new: string; in_progress: string; done: string };

const nameSchema = (what: string) =>
  z.string({ error: `Must be ${what}` }).check(z.trim(), z.minLength(1, { error: `Must be ${what}` }), z.maxLength(255, { error: 'Must be at most 255 characters' }));

/** `POST /api/projects/:clientId/integrations` with `kind: "jira"`. */
const jiraBody = z.strictObject({
  siteUrl: z.string({ error: 'Must be the site, e.g. https://acme.atlassian.net' }).check(z.trim(), z.maxLength(200, { error: 'Must be at most 200 characters' })),
  email: z.string({ error: 'Must be an e-mail address' }).check(z.trim(), z.regex(/^[^\s@]+@[^\s@]+$/, { error: 'Must be an e-mail address' }), z.maxLength(254)),
  apiToken: z.string({ error: 'Must be an Atlassian API token' }).check(z.trim(), z.minLength(1, { error: 'Must be an Atlassian API token' }), z.maxLength(500, { error: 'Must be at most 500 characters' })),
  projectKey: z.string({ error: 'Must be a project key, e.g. SHOP' }).check(z.trim(), z.regex(/^[A-Z][A-Z0-9_]{1,254}$/, { error: 'Must be a project key, e.g. SHOP' })),
  issueType: z.optional(nameSchema('an issue type name')),
  statusMap: z.optional(z.strictObject({ new: z.optional(nameSchema('a status name')), in_progress: z.optional(nameSchema('a status name')), done: z.optional(nameSchema('a status name')) })),
});

/** The label that names a report's issue. */
export function reportLabel(feedbackId: string): string {
  return `${JIRA.labelPrefix}${feedbackId.toLowerCase()}`;
}

/** The connection's mapping of Loupe states to Jira statuses. */
export function statusMapOf(integration: Integration): StatusMap {
  return integration.config.statusMap as StatusMap;
}

/** The issue's fields for a report: summary, ADF description, the marker label. */
export function issueFieldsOf(item: FeedbackItemJson, integration: Integration, baseUrl: string): { summary: string; description: AdfDoc; labels: string[] } {
  const base = new URL(`${baseUrl}/`);
  const description = issueAdf(item, {
    feedback: feedbackUrl(base, item.id),
    screenshots: (item.screenshots ?? []).map((shot) => screenshotUrl(base, item, shot)),
    replayFile: item.replay ? replayFileUrl(base, item.replay) : undefined,
    steps: buildTimeline(item.metadata).steps.map((entry) => entry.text),
  });
  return { summary: issueTitle(item), description, labels: [reportLabel(item.id)] };
}

/** Jira's refusal: its status, its body, and what `Retry-After` asked for. */
class JiraRefusal extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`Jira answered ${status}`);
  }
}

/** jira.js's cloud operations over the guarded client, signed in with the connection's token. */
function clientOf(integration: Integration, ctx: OutboxContext) {
  const site = String(integration.config.siteUrl);
  const token = decryptSecret(ctx.masterKey, integration.id, String(integration.config.apiToken));
  const authorization = `Basic ${Buffer.from(`${String(integration.config.email)}:${token}`).toString('base64')}`;
  const send = guardedFetch({ allowedHosts: ctx.allowedHosts, timeoutMs: ctx.timeoutMs, maxResponseBytes: JIRA.maxResponseBytes });
  const transport: Client = {
    async sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      const url = new URL(request.url, site);
      for (const [name, value] of Object.entries(request.searchParams ?? {})) {
        if (value !== undefined && value !== null) url.searchParams.set(name, Array.isArray(value) ? value.join(',') : String(value));
      }
      const hasBody = request.body !== undefined && request.body !== null;
      const answer = await send(url, {
        method: request.method ?? 'GET',
        headers: { accept: 'application/json', authorization, 'user-agent': OUTBOUND.userAgent, ...(hasBody && { 'content-type': 'application/json' }) },
        body: hasBody ? JSON.stringify(request.body) : undefined,
      });
      const text = await answer.text();
      if (!answer.ok) throw new JiraRefusal(answer.status, text, retryAfterMs(answer.headers.get('retry-after') ?? undefined, Date.now()));
      if (text === '') return undefined as T;
      const data = JSON.parse(text) as unknown;
      // jira.js's model of the answer, where it fits; Jira's answers grow fields it may not know.
      const parsed = request.schema?.safeParse(data);
      return (parsed?.success ? parsed.data : data) as T;
    },
  };
  return createCloudClient(transport);
}

/** What Jira's refusal means for the next try; a 400, 401 or 403 needs an owner (token, project, issue type). */
function failure(error: unknown): SendResult {
  if (error instanceof OutboundError) return { ok: false, status: null, excerpt: null, error: error.message };
  if (!(error instanceof JiraRefusal)) throw error;
  const excerpt = error.body.slice(0, OUTBOUND.excerptChars);
  let said = '';
  try {
    const json = JSON.parse(error.body) as { errorMessages?: unknown[]; errors?: Record<string, unknown> };
    said = [...(json.errorMessages ?? []), ...Object.entries(json.errors ?? {}).map(([field, message]) => `${field}: ${String(message)}`)].map(String).join('; ');
  } catch {
    said = error.body;
  }
  said = oneLine(said).slice(0, 200);
  const attention = [400, 401, 403].includes(error.status) ? ` (${JIRA.needsAttention})` : '';
  return { ok: false, status: error.status, excerpt, error: `Jira answered ${error.status}${said ? `: ${said}` : ''}${attention}`, retryAfterMs: error.retryAfterMs };
}

const browseUrl = (integration: Integration, key: string) => `${String(integration.config.siteUrl)}/browse/${encodeURIComponent(key)}`;

/** The report's issue: one a lost answer left behind (found by its label), else a new one. */
async function createIssue(item: FeedbackItemJson, delivery: Delivery, integration: Integration, ctx: OutboxContext) {
  const jira = clientOf(integration, ctx);
  const projectKey = String(integration.config.projectKey);
  const search = await jira.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: `project = "${projectKey}" AND labels = "${reportLabel(item.id)}" ORDER BY created ASC`,
    fields: ['summary'],
    maxResults: 1,
  });
  const found = search.issues?.[0]?.key;
  const fields = { project: { key: projectKey }, issuetype: { name: String(integration.config.issueType) }, ...issueFieldsOf(item, integration, ctx.baseUrl) };
  const key = found ?? (await jira.issues.createIssue({ fields })).key;
  return { externalId: key, url: browseUrl(integration, key), found: found !== undefined };
}

/** Moves the linked issue to the status the report's state maps to, by the transition that leads there. */
async function moveIssue(link: TrackerLink, state: string, integration: Integration, ctx: OutboxContext): Promise<SendResult> {
  const status = statusMapOf(integration)[state as keyof StatusMap];
  if (!status) return { ok: true, status: null, excerpt: `No Jira status for ${state}` };
  const jira = clientOf(integration, ctx);
  const { transitions = [] } = await jira.issues.getTransitions({ issueIdOrKey: link.externalId });
  const move = transitions.find((t) => t.to?.name?.toLowerCase() === status.toLowerCase());
  // None leads there: the issue is there already, or the workflow has no such step from where it is.
  if (!move?.id) return { ok: true, status: 200, excerpt: `No transition of ${link.url} leads to "${status}"` };
  await jira.issues.doTransition({ issueIdOrKey: link.externalId, transition: { id: move.id } });
  return { ok: true, status: 204, excerpt: `Moved ${link.url} to "${status}"` };
}

/** The Jira target. */
export const jiraTarget: Target = issueTarget({ create: createIssue, move: moveIssue, failure });

/** A connection's settings as the API shows them (never the token). */
const jiraSettings = z.object({
  siteUrl: z.string(),
  email: z.string(),
  projectKey: z.string(),
  issueType: z.string(),
  statusMap: z.object({ new: z.string(), in_progress: z.string(), done: z.string() }),
});

/** Shown once, when a connection is made: where Jira's webhook goes, its secret and its events. */
const jiraShown = z.object({ hook: z.object({ url: z.string(), secret: z.string(), events: z.array(z.literal('jira:issue_updated')) }) });

/** A Jira connection as owners make it. */
export const jiraKind: TrackerKind<z.infer<typeof jiraBody>, z.infer<typeof jiraSettings>, z.infer<typeof jiraShown>> = {
  kind: 'jira',
  body: jiraBody,
  settings: jiraSettings,
  shown: jiraShown,
  secretField: 'apiToken',
  createsIssues: true,
  issues(body): FieldIssues {
    const problem = urlProblem(body.siteUrl);
    return problem ? { siteUrl: [problem] } : {};
  },
  connect(body, ctx) {
    const site = new URL(body.siteUrl).origin;
    const hookSecret = randomBytes(24).toString('base64url');
    return {
      name: `${body.projectKey} on ${new URL(site).host}`,
      events: ['feedback.created', 'feedback.updated'],
      config: {
        siteUrl: site,
        email: body.email,
        projectKey: body.projectKey,
        issueType: body.issueType ?? JIRA.defaultIssueType,
        statusMap: { ...JIRA.defaultStatusMap, ...body.statusMap } satisfies StatusMap,
        apiToken: encryptSecret(ctx.masterKey, ctx.id, body.apiToken),
        hookSecret: encryptSecret(ctx.masterKey, ctx.id, hookSecret),
      },
    };
  },
  json: (integration) => ({
    siteUrl: String(integration.config.siteUrl),
    email: String(integration.config.email),
    projectKey: String(integration.config.projectKey),
    issueType: String(integration.config.issueType),
    statusMap: statusMapOf(integration),
  }),
  shownOnce: (integration, ctx) => ({
    hook: { url: `${ctx.baseUrl}/api/integrations/${integration.id}/jira`, secret: jiraHookSecret(ctx.masterKey, integration), events: ['jira:issue_updated'] },
  }),
};

/** The secret Jira signs its webhook for this connection with (X-Hub-Signature). */
export function jiraHookSecret(masterKey: Uint8Array, integration: Integration): string {
  return decryptSecret(masterKey, integration.id, String(integration.config.hookSecret));
}
