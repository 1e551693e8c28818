/**
 * Tracker connections (GitHub, Jira, Slack; Linear to come) as owners make them through
 * routes/integrations.ts: each kind's body, the config stored from it (secrets encrypted under
 * the connection's id), and how the API shows it. Every kind keeps an optional rule in
 * `config.rule`: the new reports that go to it on their own (`null`: none, only by hand).
 */
import * as z from 'zod/mini';
import type { FieldIssues } from '../../lib/api/schemas.ts';
import { newTeamId } from '../ids.ts';
import type { FeedbackItemJson } from '../read-api/items.ts';
import { parseBodyWith } from '../read-api/schemas.ts';
import type { Integration, IntegrationKind, WebhookEvent } from '../storage/outbox-types.ts';
import type { Storage } from '../storage/types.ts';

/** Which new reports a connection takes on its own: every one, or those of the ratings listed. */
export const reportRuleSchema = z.strictObject({
  ratings: z.optional(
    z.array(z.int({ error: 'Must be a rating from 1 to 4' }).check(z.minimum(1, { error: 'Must be a rating from 1 to 4' }), z.maximum(4, { error: 'Must be a rating from 1 to 4' })), {
      error: 'Must be a list of ratings',
    }),
  ),
});

/** A rule as stored; `null` when reports go only when someone asks. */
export type ReportRule = z.infer<typeof reportRuleSchema> | null;

/** The connection's rule (stored in its config). */
export function ruleOf(integration: Integration): ReportRule {
  return (integration.config.rule as ReportRule | undefined) ?? null;
}

/** Whether a new report goes to a connection with this rule on its own. */
export function ruleMatches(rule: ReportRule, item: FeedbackItemJson): boolean {
  if (rule === null) return false;
  return rule.ratings === undefined || (item.rating !== null && rule.ratings.includes(item.rating));
}

/** What making a connection of a kind needs, besides its body. */
export interface ConnectContext {
  id: string;
  masterKey: Uint8Array;
  /** The GitHub API the server talks to (env GITHUB_API_URL). */
  githubApiUrl: string;
}

/** A connection as stored, before its id, project and times. */
export interface ConnectionSettings {
  name: string;
  events: WebhookEvent[];
  config: Record<string, unknown>;
}

/** One kind of tracker connection: what making one takes, its settings as shown, what is shown once. */
export interface TrackerKind<Body, Settings = Record<string, unknown>, Shown = Record<string, unknown>> {
  kind: IntegrationKind;
  /** The body of a new connection, `kind` and `rule` left out (they are the routes'). */
  body: z.ZodMiniObject & z.ZodMiniType<Body>;
  /** The body's field that is its secret (the CLI reads it from standard input). */
  secretField: string;
  /** Whether it makes a report's issue when asked (POST /api/projects/:clientId/feedbacks/:id/issues). */
  createsIssues?: boolean;
  /** The rule of a connection made without one; default `null` (only by hand). */
  defaultRule?: ReportRule;
  /** Checks of the body that zod does not make (a URL's form); keys as the body spells them. */
  issues?(body: Body): FieldIssues;
  connect(body: Body, ctx: ConnectContext): ConnectionSettings;
  /** The schema of `json`'s answer. */
  settings: z.ZodMiniType<Settings>;
  /** Its settings as the API shows them, never a secret. */
  json(integration: Integration): Settings;
  /** The schema of `shownOnce`'s answer: its fields are added to the new connection's. */
  shown?: z.ZodMiniObject & z.ZodMiniType<Shown>;
  /** What is shown once, when it is made (e.g. the secret its own webhook signs with). */
  shownOnce?(integration: Integration, ctx: { masterKey: Uint8Array; baseUrl: string }): Shown;
}

/** What a new connection is made of, from the inbox (routes/integrations.ts) or the CLI (cli-trackers.ts). */
export interface NewConnection extends Omit<ConnectContext, 'id'> {
  clientId: string;
  kind: TrackerKind<unknown>;
  /** Left out: the kind's default rule, else only when asked. */
  rule?: ReportRule;
  /** The kind's fields, checked here by its body schema. */
  fields: Record<string, unknown>;
  nowMs: number;
}

/** Checks and stores a new connection: the connection, or the fields' problems (nothing stored). */
export async function connectTracker(storage: Storage, input: NewConnection): Promise<{ ok: true; integration: Integration } | { ok: false; issues: FieldIssues }> {
  const { kind } = input;
  const body = parseBodyWith(kind.body, input.fields);
  if (!body.ok) return body;
  const issues = kind.issues?.(body.value) ?? {};
  if (Object.keys(issues).length > 0) return { ok: false, issues };
  const id = newTeamId('integration');
  const settings = kind.connect(body.value, { id, masterKey: input.masterKey, githubApiUrl: input.githubApiUrl });
  const integration: Integration = {
    id,
    clientId: input.clientId,
    kind: kind.kind,
    ...settings,
    config: { ...settings.config, rule: input.rule === undefined ? (kind.defaultRule ?? null) : input.rule },
    enabled: true,
    disabledReason: null,
    failingSince: null,
    createdAt: new Date(input.nowMs).toISOString(),
  };
  await storage.outbox.insertIntegration(integration);
  return { ok: true, integration };
}
