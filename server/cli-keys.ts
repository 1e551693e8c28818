/** The `keys` commands of `npm run server`: create, list and revoke read API keys. */
import { createProjectKey } from './auth/keys.ts';
import type { CliCommand } from './cli-args.ts';
import { openMasterKey, openStorage } from './start.ts';
import type { Storage } from './storage/types.ts';

/** A keys command. */
export type KeysCommand = Extract<CliCommand, { kind: 'keys-create' | 'keys-list' | 'keys-revoke' }>;

/** What a command printed; `ok` false means it failed (exit code 1) and `lines` say why. */
export interface KeysResult {
  ok: boolean;
  lines: string[];
}

async function withStorage(command: KeysCommand, run: (storage: Storage) => Promise<KeysResult>): Promise<KeysResult> {
  const storage = await openStorage(command.dataDir, command.databaseUrl);
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}

const noClient = (clientId: string): KeysResult => ({
  ok: false,
  lines: [`No client has the id ${clientId}. List them with: npm run server -- clients list`],
});

/** Runs one keys command against a data directory; never prints a stored secret (it has none in clear). */
export async function runKeysCommand(command: KeysCommand): Promise<KeysResult> {
  // Before the database, as at start: a missing or malformed master key is the first thing said.
  const masterKey = command.kind === 'keys-create' ? openMasterKey(command.dataDir, undefined, command.databaseUrl) : undefined;
  return withStorage(command, async (storage) => {
    switch (command.kind) {
      case 'keys-create': {
        const client = await storage.getClient(command.clientId);
        if (!client) return noClient(command.clientId);
        const { key, secret } = await createProjectKey(storage, masterKey!, {
          clientId: client.id,
          name: command.name,
        });
        return {
          ok: true,
          lines: [
            `Created a read API key${key.name ? ` "${key.name}"` : ''} for "${client.name}" (${client.id})`,
            `kid:    ${key.kid}`,
            `secret: ${secret}`,
            'Store the secret now: it is shown only this once and cannot be shown again.',
            'Sign HS256 JWTs with it (the UTF-8 text above is the HMAC key), kid in the header, exp required.',
          ],
        };
      }
      case 'keys-list': {
        const client = await storage.getClient(command.clientId);
        if (!client) return noClient(command.clientId);
        const keys = await storage.listProjectKeys(client.id);
        if (keys.length === 0) {
          const hint = `Create one with: npm run server -- keys create --client ${client.id}`;
          return { ok: true, lines: [`No keys for ${client.id} yet. ${hint}`] };
        }
        return {
          ok: true,
          lines: keys.map((key) => {
            const status = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
            return [key.kid, key.name ?? '(no name)', `created ${key.createdAt}`, status].join('\t');
          }),
        };
      }
      case 'keys-revoke': {
        const before = await storage.getProjectKey(command.kid);
        if (!before) return { ok: false, lines: [`No key has the id ${command.kid}`] };
        if (before.revokedAt) return { ok: true, lines: [`Key ${before.kid} was already revoked at ${before.revokedAt}`] };
        const key = await storage.revokeProjectKey(command.kid, new Date().toISOString());
        const when = `${before.clientId} at ${key?.revokedAt}`;
        return { ok: true, lines: [`Revoked key ${command.kid} of ${when}: tokens signed with it are refused from now on`] };
      }
    }
  });
}
