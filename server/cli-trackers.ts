/** The `trackers` commands of `npm run server`: connect a project to GitHub, Jira or Slack, list its connections, delete one. */
import type { CliCommand } from './cli-args.ts';
import { DEFAULTS, GITHUB } from './constants.ts';
import { TRACKER_KINDS } from './outbox/all-targets.ts';
import { connectTracker, ruleOf } from './outbox/trackers.ts';
import { openMasterKey, openStorage } from './start.ts';

/** A trackers command. */
export type TrackersCommand = Extract<CliCommand, { kind: 'trackers-connect' | 'trackers-list' | 'trackers-delete' }>;

/** What a command printed; `ok` false means it failed (exit code 1) and `lines` say why. */
export interface TrackersResult {
  ok: boolean;
  lines: string[];
}

const noClient = (clientId: string): TrackersResult => ({ ok: false, lines: [`No client has the id ${clientId}. List them with: npm run server -- clients list`] });

/** The flags of the fields whose names differ. */
const FLAG_OF_FIELD: Record<string, string> = { siteUrl: 'site', projectKey: 'project', issueType: 'issue-type' };

/** What a rule says, as `trackers list` prints it. */
const ruleText = (rule: { ratings?: number[] } | null) => (rule === null ? 'when asked' : rule.ratings === undefined ? 'every report' : `rated ${rule.ratings.join(',')}`);

/**
 * Runs one trackers command against a data directory. `readStdin` gives the secret for
 * `connect` (one trailing line break is not part of it); `env` gives GITHUB_API_URL.
 */
export async function runTrackersCommand(
  command: TrackersCommand,
  options: { readStdin: () => Promise<string>; env: Record<string, string | undefined>; nowMs?: number },
): Promise<TrackersResult> {
  const kind = command.kind === 'trackers-connect' && Object.hasOwn(TRACKER_KINDS, command.tracker) ? TRACKER_KINDS[command.tracker] : undefined;
  if (command.kind === 'trackers-connect' && !kind) return { ok: false, lines: [`Not a tracker: ${command.tracker} (one of ${Object.keys(TRACKER_KINDS).join(', ')})`] };
  const secret = kind ? (await options.readStdin()).replace(/\r?\n$/, '') : undefined;
  // As at start: a missing or malformed master key is the first thing said.
  const masterKey = kind ? openMasterKey(command.dataDir, undefined, command.databaseUrl) : undefined;
  const storage = await openStorage(command.dataDir, command.databaseUrl);
  try {
    switch (command.kind) {
      case 'trackers-connect': {
        if (!(await storage.getClient(command.clientId))) return noClient(command.clientId);
        const given = { repo: command.repo, labels: command.labels, siteUrl: command.site, email: command.email, projectKey: command.project, issueType: command.issueType };
        const fields = { ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)), [kind!.secretField]: secret };
        const made = await connectTracker(storage, {
          clientId: command.clientId,
          kind: kind!,
          rule: command.rule,
          fields,
          masterKey: masterKey!,
          githubApiUrl: options.env[GITHUB.apiUrlEnvVar] || GITHUB.defaultApiUrl,
          nowMs: options.nowMs ?? Date.now(),
        });
        if (!made.ok) {
          const flag = (field: string) => (field === kind!.secretField ? 'the secret on stdin' : `--${FLAG_OF_FIELD[field] ?? field.split('.')[0]}`);
          return { ok: false, lines: Object.entries(made.issues).map(([field, messages]) => `${flag(field)}: ${messages.join('; ')}`) };
        }
        const { integration } = made;
        const base = (command.publicUrl ?? (options.env.PUBLIC_URL || `http://${DEFAULTS.host}:${DEFAULTS.port}`)).replace(/\/+$/, '');
        const shown = kind!.shownOnce?.(integration, { masterKey: masterKey!, baseUrl: base }) as { hook?: { url: string; secret: string } } | undefined;
        const vendor = integration.kind === 'jira' ? 'Jira' : 'GitHub';
        const where =
          integration.kind === 'jira'
            ? 'Add it as a Jira webhook (Settings, System, WebHooks) with this secret and the "Issue updated" event, so that state comes back; the secret is not shown again.'
            : 'Add it in the repository settings (content type application/json, the "Issues" event) so that state comes back; the secret is not shown again.';
        return {
          ok: true,
          lines: [
            `Connection: ${integration.id} (${integration.kind} ${integration.name})`,
            `New reports: ${ruleText(ruleOf(integration))}`,
            ...(shown?.hook
              ? [
                  `${vendor} webhook URL: ${shown.hook.url}`,
                  `${vendor} webhook secret: ${shown.hook.secret}`,
                  where,
                ]
              : []),
          ],
        };
      }
      case 'trackers-list': {
        if (!(await storage.getClient(command.clientId))) return noClient(command.clientId);
        const connections = (await storage.outbox.listIntegrations(command.clientId)).filter((i) => i.kind in TRACKER_KINDS);
        if (connections.length === 0) return { ok: true, lines: [`No trackers yet. Connect one with: npm run server -- trackers connect --client ${command.clientId} --kind github --repo OWNER/NAME --secret-stdin`] };
        return { ok: true, lines: connections.map((i) => [i.id, i.kind, i.name, ruleText(ruleOf(i)), i.enabled ? 'on' : `off (${i.disabledReason ?? ''})`].join('\t')) };
      }
      case 'trackers-delete': {
        const found = await storage.outbox.getIntegration(command.id);
        if (!found || !(found.kind in TRACKER_KINDS)) return { ok: false, lines: [`No tracker connection has the id ${command.id}`] };
        await storage.outbox.deleteIntegration(command.id);
        return { ok: true, lines: [`Deleted ${found.kind} ${found.name} (${command.id}) and its deliveries; its issues stay in the tracker`] };
      }
    }
  } finally {
    await storage.close();
  }
}
