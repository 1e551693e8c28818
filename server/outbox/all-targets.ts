/** The kinds of integration this server delivers to, each with its target (targets.ts). */
import { githubKind, githubTarget } from './github.ts';
import { jiraKind, jiraTarget } from './jira.ts';
import { slackKind, slackTarget } from './slack.ts';
import type { Targets } from './targets.ts';
import type { TrackerKind } from './trackers.ts';
import { webhookTarget } from './webhook.ts';

/** Every kind's target. */
export const OUTBOX_TARGETS: Targets = { webhook: webhookTarget, github: githubTarget, jira: jiraTarget, slack: slackTarget };

/** The trackers owners may connect (routes/integrations.ts), by kind. */
export const TRACKER_KINDS: Record<string, TrackerKind<unknown>> = {
  github: githubKind as TrackerKind<unknown>,
  jira: jiraKind as TrackerKind<unknown>,
  slack: slackKind as TrackerKind<unknown>,
};
