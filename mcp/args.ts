/** Turns the MCP program's command line and environment into its configuration, or the reason it cannot start. */
import { parseArgs } from 'node:util';
import { PROJECT_KEY_ID_PREFIX } from '../server/constants.ts';
import { API_KEY_ENV, KEY_ID_ENV } from './constants.ts';

/** Which server, which project, and the key that signs every request. */
export interface McpConfig {
  /** The server's root, ending in `/`. */
  server: URL;
  clientId: string;
  kid: string;
  secret: string;
}

/** The configuration, `help` for --help, or a usage error naming what is wrong. */
export type McpArgs = { ok: true; config: McpConfig } | { ok: false; help: boolean; message?: string };

const OPTIONS = {
  server: { type: 'string' },
  client: { type: 'string' },
  'key-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function serverUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.search = '';
    url.hash = '';
    return url;
  } catch {
    return undefined;
  }
}

/** Reads `argv` (without node and the script) and `env`. */
export function parseMcpArgs(argv: readonly string[], env: Record<string, string | undefined>): McpArgs {
  let values: { server?: string; client?: string; 'key-id'?: string; help?: boolean };
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { ok: false, help: false, message: (error as Error).message };
  }
  if (values.help) return { ok: false, help: true };
  if (!values.server) return { ok: false, help: false, message: '--server URL is required (the Loupe server, e.g. http://127.0.0.1:8787)' };
  const server = serverUrl(values.server);
  if (!server) return { ok: false, help: false, message: `--server must be an http(s) URL, not ${JSON.stringify(values.server)}` };
  if (!values.client) return { ok: false, help: false, message: '--client CLIENT_ID is required (the project the key belongs to)' };
  const kid = values['key-id'] ?? env[KEY_ID_ENV];
  if (!kid) return { ok: false, help: false, message: `--key-id KEY_ID (or ${KEY_ID_ENV}) is required: the kid that keys create printed` };
  if (!kid.startsWith(PROJECT_KEY_ID_PREFIX)) return { ok: false, help: false, message: `--key-id must be a key id (${PROJECT_KEY_ID_PREFIX}…), not ${JSON.stringify(kid)}` };
  const secret = env[API_KEY_ENV];
  if (!secret) return { ok: false, help: false, message: `${API_KEY_ENV} must hold the key's secret (the secret that keys create printed)` };
  return { ok: true, config: { server, clientId: values.client, kid, secret } };
}
