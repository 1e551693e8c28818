/** The `npm run server` command line: start the server, manage clients and read API keys, move an install. */
import { USAGE, parseCli, type CliCommand } from './cli-args.ts';
import { runKeysCommand, type KeysCommand } from './cli-keys.ts';
import { runTrackersCommand, type TrackersCommand } from './cli-trackers.ts';
import { runWebhooksCommand, type WebhooksCommand } from './cli-webhooks.ts';
import { runTransferCommand } from './cli-transfer.ts';
import { runUsersCommand, type UsersCommand } from './cli-users.ts';
import { openStorage, startServer } from './start.ts';
import { createClient } from './clients.ts';
import { describeDatabase } from './storage/pg-pool.ts';

/** Where a command's data is, for its first lines: never a database password. */
function dataPlace(command: { dataDir: string; databaseUrl?: string }): string {
  return command.databaseUrl ? `PostgreSQL at ${describeDatabase(command.databaseUrl)}` : `SQLite in ${command.dataDir}`;
}

async function serve(command: Extract<CliCommand, { kind: 'serve' }>): Promise<void> {
  const server = await startServer(command);
  console.log(`Loupe server listening on ${server.url}`);
  console.log(`Data directory: ${command.dataDir}`);
  console.log(`Files: ${server.files.description}`);
  console.log(`Database: ${dataPlace(command)}`);
  const limit = (perMin: number) => (perMin === 0 ? 'off' : `${perMin}/min`);
  console.log(`Rate limits: ${limit(command.rateLimitIpPerMin)} per IP, ${limit(command.rateLimitClientPerMin)} per client`);
  if (command.trustProxyHops > 0) console.log(`Client addresses: X-Forwarded-For, ${command.trustProxyHops} proxy hop(s) trusted`);
  console.log(`Admin token: ${command.adminToken ? 'set' : 'not set (read API and inbox take project keys only)'}`);
  const stop = (signal: string) => {
    console.log(`\n${signal} received: finishing the requests under way, then stopping (again to stop now)`);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.once('SIGINT', () => void server.close());
    process.once('SIGTERM', () => void server.close());
    // With the socket and the database closed nothing is left, so the process ends itself.
    server.drain().catch((error: unknown) => {
      console.error('Failed to stop cleanly:', error);
      process.exitCode = 1;
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function migrate(command: Extract<CliCommand, { kind: 'migrate' }>): Promise<void> {
  // Opening applies what is missing (under PostgreSQL's advisory lock) and refuses a newer schema.
  await (await openStorage(command.dataDir, command.databaseUrl)).close();
  console.log(`Database schema is up to date: ${dataPlace(command)}`);
}

async function createClientCommand(command: Extract<CliCommand, { kind: 'clients-create' }>): Promise<void> {
  const storage = await openStorage(command.dataDir, command.databaseUrl);
  try {
    const client = await createClient(storage, { name: command.name, allowedOrigins: command.allowedOrigins });
    console.log(`Created client "${client.name}"`);
    console.log(`Allowed origins: ${client.allowedOrigins.join(', ') || '(any)'}`);
    // Alone on the last line, so scripts can take it with `tail -n 1`.
    console.log(client.id);
  } finally {
    await storage.close();
  }
}

async function listClients(command: Extract<CliCommand, { kind: 'clients-list' }>): Promise<void> {
  const storage = await openStorage(command.dataDir, command.databaseUrl);
  try {
    const clients = await storage.listClients();
    if (clients.length === 0) console.log('No clients yet. Create one with: npm run server -- clients create --name NAME');
    for (const client of clients) {
      console.log([client.id, client.name, client.allowedOrigins.join(',') || '(any origin)'].join('\t'));
    }
  } finally {
    await storage.close();
  }
}

async function keys(command: KeysCommand): Promise<void> {
  const result = await runKeysCommand(command);
  (result.ok ? console.log : console.error)(result.lines.join('\n'));
  if (!result.ok) process.exitCode = 1;
}

async function webhooks(command: WebhooksCommand): Promise<void> {
  const result = await runWebhooksCommand(command);
  (result.ok ? console.log : console.error)(result.lines.join('\n'));
  if (!result.ok) process.exitCode = 1;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function trackers(command: TrackersCommand): Promise<void> {
  const result = await runTrackersCommand(command, { readStdin, env: process.env });
  (result.ok ? console.log : console.error)(result.lines.join('\n'));
  if (!result.ok) process.exitCode = 1;
}

async function users(command: UsersCommand): Promise<void> {
  const result = await runUsersCommand(command, { readStdin, env: process.env });
  (result.ok ? console.log : console.error)(result.lines.join('\n'));
  if (!result.ok) process.exitCode = 1;
}

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2), process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'usage-error':
      process.stderr.write(`${command.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    case 'serve':
      return serve(command);
    case 'migrate':
      return migrate(command);
    case 'clients-create':
      return createClientCommand(command);
    case 'clients-list':
      return listClients(command);
    case 'keys-create':
    case 'keys-list':
    case 'keys-revoke':
      return keys(command);
    case 'users-create':
    case 'users-list':
      return users(command);
    case 'trackers-connect':
    case 'trackers-list':
    case 'trackers-delete':
      return trackers(command);
    case 'webhooks-create':
    case 'webhooks-list':
    case 'webhooks-delete':
      return webhooks(command);
    case 'export':
    case 'import':
      return runTransferCommand(command, (line) => console.log(line));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
