/**
 * A real server in its own process, for tests that measure its memory or its event loop:
 * options come as JSON in LOUPE_CHILD_OPTIONS, and one JSON line `{url, clientId}` on
 * stdout says it is listening with a fresh client.
 */
import { startServer, type StartOptions } from '../../server/start.ts';
import { createClient } from '../../server/clients.ts';

const options = JSON.parse(process.env.LOUPE_CHILD_OPTIONS ?? '{}') as StartOptions;
const server = await startServer({ host: '127.0.0.1', port: 0, ...options });
const client = await createClient(server.storage, { name: 'Child' });
process.stdout.write(`${JSON.stringify({ url: server.url, clientId: client.id })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
