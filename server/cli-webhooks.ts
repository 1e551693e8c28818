/** The `webhooks` commands of `npm run server`: create, list and delete a project's webhook endpoints. */
import type { CliCommand } from './cli-args.ts';
import { createEndpoint, endpointIssues } from './outbox/endpoints.ts';
import { openMasterKey, openStorage } from './start.ts';

/** A webhooks command. */
export type WebhooksCommand = Extract<CliCommand, { kind: 'webhooks-create' | 'webhooks-list' | 'webhooks-delete' }>;

/** What a command printed; `ok` false means it failed (exit code 1) and `lines` say why. */
export interface WebhooksResult {
  ok: boolean;
  lines: string[];
}

const noClient = (clientId: string): WebhooksResult => ({
  ok: false,
  lines: [`No client has the id ${clientId}. List them with: npm run server -- clients list`],
});

/** Runs one webhooks command against a data directory; the secret is printed only when made. */
export async function runWebhooksCommand(command: WebhooksCommand, nowMs = Date.now()): Promise<WebhooksResult> {
  // As at start: a missing or malformed master key is the first thing said.
  const masterKey = command.kind === 'webhooks-create' ? openMasterKey(command.dataDir, undefined, command.databaseUrl) : undefined;
  const storage = await openStorage(command.dataDir, command.databaseUrl);
  try {
    switch (command.kind) {
      case 'webhooks-create': {
        if (!(await storage.getClient(command.clientId))) return noClient(command.clientId);
        const issues = endpointIssues(command);
        const problems = Object.entries(issues).map(([field, messages]) => `--${field}: ${messages.join('; ')}`);
        if (problems.length > 0) return { ok: false, lines: problems };
        const { endpoint, secret } = await createEndpoint(storage, masterKey!, { ...command, nowMs });
        return {
          ok: true,
          lines: [
            `Endpoint: ${endpoint.id}`,
            `Signing secret: ${secret}`,
            `Events: ${endpoint.events.join(', ')}`,
            'Keep the secret now: it is not shown again. Receivers verify with any Standard Webhooks library.',
          ],
        };
      }
      case 'webhooks-list': {
        if (!(await storage.getClient(command.clientId))) return noClient(command.clientId);
        const endpoints = await storage.outbox.listIntegrations(command.clientId, 'webhook');
        if (endpoints.length === 0) return { ok: true, lines: [`No webhooks yet. Add one with: npm run server -- webhooks create --client ${command.clientId} --url URL`] };
        return {
          ok: true,
          lines: endpoints.map((e) => [e.id, String(e.config.url), e.events.join(','), e.enabled ? 'on' : `off (${e.disabledReason ?? ''})`].join('\t')),
        };
      }
      case 'webhooks-delete': {
        const found = await storage.outbox.getIntegration(command.id);
        if (!found || found.kind !== 'webhook') return { ok: false, lines: [`No webhook endpoint has the id ${command.id}`] };
        await storage.outbox.deleteIntegration(command.id);
        return { ok: true, lines: [`Deleted webhook ${command.id} (${String(found.config.url)}) and its deliveries`] };
      }
    }
  } finally {
    await storage.close();
  }
}
