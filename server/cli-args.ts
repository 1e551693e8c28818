/** Turns the command line (and environment) of `npm run server` into one typed command. */
import { parseArgs } from 'node:util';
import {
  ADMIN_TOKEN_MIN_CHARS,
  EMAIL_QUEUE,
  OIDC,
  DEFAULTS,
  MASTER_KEY,
  PASSWORD_LIMITS,
  POSTGRES,
  PROJECT_KEY_ID_PREFIX,
  RATE_LIMIT_DEFAULTS,
  TRUST_PROXY_MAX_HOPS,
} from './constants.ts';
import { SAFE_CLIENT_ID } from './ids.ts';
import { normalizeOrigin } from './origin.ts';
import { parseBodyWith } from './read-api/schemas.ts';
import { emailSchema, passwordSchema } from './team-api/schemas.ts';

/** The help text; printed to stderr on any usage error. */
export const USAGE = `Usage:
  npm run server [-- serve] [--host HOST] [--port PORT] [--data-dir DIR] [--public-url URL]
                 [--rate-limit-ip-per-min N] [--rate-limit-client-per-min N] [--trust-proxy N]
                 [--admin-token TOKEN] [--database-url URL]
  npm run server -- migrate [--data-dir DIR] [--database-url URL]
  npm run server -- clients create --name NAME [--allow-origin ORIGIN ...] [--data-dir DIR]
  npm run server -- clients list [--data-dir DIR]
  npm run server -- keys create --client CLIENT_ID [--name NAME] [--data-dir DIR]
  npm run server -- keys list --client CLIENT_ID [--data-dir DIR]
  npm run server -- keys revoke --kid KEY_ID [--data-dir DIR]
  npm run server -- webhooks create --client CLIENT_ID --url URL [--events a,b] [--data-dir DIR]
  npm run server -- webhooks list --client CLIENT_ID [--data-dir DIR]
  npm run server -- webhooks delete --id ENDPOINT_ID [--data-dir DIR]
  npm run server -- trackers connect --client CLIENT_ID --kind github --repo OWNER/NAME --secret-stdin
                 [--labels a,b] [--rule none|all|1,2] [--public-url URL] [--data-dir DIR]
  npm run server -- trackers connect --client CLIENT_ID --kind slack --secret-stdin [--rule none|all|1,2]
  npm run server -- trackers connect --client CLIENT_ID --kind jira --site URL --email EMAIL --project KEY
                 --secret-stdin [--issue-type NAME] [--rule none|all|1,2] [--public-url URL]
  npm run server -- trackers list --client CLIENT_ID [--data-dir DIR]
  npm run server -- trackers delete --id CONNECTION_ID [--data-dir DIR]
  npm run server -- users create --email EMAIL [--name NAME] [--password PASSWORD | --password-stdin]
                 [--owner] [--data-dir DIR]
  npm run server -- users list [--data-dir DIR]
  npm run server -- export --to DIR [--data-dir DIR]
  npm run server -- import --from DIR [--data-dir DIR]

Starts the Loupe server, brings its database schema up to date (migrate; the server
also does this when it starts), manages the clients (projects) that may send it feedback
and the keys that may read it through the read API, or moves an install: export writes
every row and file to a new directory, import loads one into an empty install. Every
command also takes --database-url URL.

Options:
  --host HOST          interface to listen on (env HOST, default ${DEFAULTS.host})
  --port PORT          port to listen on, 0 for any free one (env PORT, default ${DEFAULTS.port})
  --data-dir DIR       database and uploaded files (env DATA_DIR, default ${DEFAULTS.dataDir})
  --database-url URL   postgres://user:password@host:port/database: keep the data in
                       PostgreSQL, shared by every instance, instead of SQLite in DIR
                       (env ${POSTGRES.envVar}; then env ${MASTER_KEY.envVar} is required)
  --public-url URL     base URL of links to uploaded files (env PUBLIC_URL)
  --rate-limit-ip-per-min N
                       ingest requests per minute per IP address, 0 for no limit
                       (env RATE_LIMIT_IP_PER_MIN, default ${RATE_LIMIT_DEFAULTS.ipPerMin})
  --rate-limit-client-per-min N
                       stored submissions and uploads per minute per client, 0 for no
                       limit (env RATE_LIMIT_CLIENT_PER_MIN, default ${RATE_LIMIT_DEFAULTS.clientPerMin})
  --trust-proxy N      N reverse proxies in front: the per-IP limits take the client's
                       address from X-Forwarded-For, N hops from the right (env TRUST_PROXY,
                       default 0: the header is ignored; at most ${TRUST_PROXY_MAX_HOPS})
  --admin-token TOKEN  a token (at least ${ADMIN_TOKEN_MIN_CHARS} characters) that reads every project
                       through the read API and the inbox (env ADMIN_TOKEN)
  --name NAME          name of the new client, or of the new key
  --allow-origin URL   accept feedback only from this origin; repeat for more
                       (without any, the client accepts every origin)
  --client CLIENT_ID   the client a key is for, or whose keys to list
  --kid KEY_ID         the key to revoke (a revoked key is refused from then on)
  --url URL            where a webhook endpoint receives events (signed as Standard Webhooks says)
  --events a,b         the events it wants, of feedback.created, feedback.updated, comment.created (default: all)
  --id ENDPOINT_ID     the webhook endpoint to delete
  --email EMAIL        the new person's e-mail address (how they sign in to the inbox)
  --password PASSWORD  their password (${PASSWORD_LIMITS.minChars} to ${PASSWORD_LIMITS.maxChars} characters); without one, a one-time
                       sign-in link is printed instead (base: env PUBLIC_URL)
  --password-stdin     read the password from standard input (kept out of the shell history)
  --secret-stdin       read the tracker's secret from standard input: GitHub's token, Slack's
                       incoming webhook URL, Jira's API token
  --site URL           the Jira Cloud site, e.g. https://acme.atlassian.net (with --email, the
                       Atlassian account the API token is of, and --project, the project's key)
  --issue-type NAME    the Jira issue type of new issues (default Task)
  --rule RULE          which new reports go to the tracker on their own: none (only when
                       asked), all, or the ratings, e.g. 1,2
  --owner              make them the server's owner: owner of every project
  --to DIR             where export writes (a new or empty directory)
  --from DIR           the export that import loads (the target must hold no clients)
  -h, --help           show this help

Files go to an S3-compatible bucket when env S3_BUCKET is set (with S3_ENDPOINT,
S3_REGION, S3_FORCE_PATH_STYLE, S3_PREFIX, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY),
else under DIR/files.

E-mail (notifications, invitations, password resets) goes out through SMTP when env
${EMAIL_QUEUE.smtpUrlEnvVar} (smtp://user:password@host:587, or smtps://) and ${EMAIL_QUEUE.fromEnvVar} (the sender's address)
are both set; until then it waits in the database's queue. Links in it start with
--public-url, else the address the request came to.

The inbox offers single sign-on when env ${OIDC.issuerEnvVar}, ${OIDC.clientIdEnvVar} and ${OIDC.clientSecretEnvVar} are set
(button label: ${OIDC.nameEnvVar}); the provider's redirect URI is <public URL>${OIDC.callbackPath}.
It signs in existing accounts only.

A key's secret is printed once, when it is created, and kept only encrypted, with the
master key from env ${MASTER_KEY.envVar} (base64 of 32 bytes) or else DIR/${MASTER_KEY.fileName}
(created on first use): keep that file, or the keys stop working.
`;

/** Where a command keeps its data: the data directory, and PostgreSQL's URL when one is given. */
interface DataPlace {
  dataDir: string;
  /** `--database-url` or env DATABASE_URL; absent means SQLite in the data directory. */
  databaseUrl?: string;
}

/** One thing the CLI was asked to do. */
export type CliCommand =
  | (DataPlace & {
      kind: 'serve';
      host: string;
      port: number;
      publicUrl?: string;
      rateLimitIpPerMin: number;
      rateLimitClientPerMin: number;
      trustProxyHops: number;
      adminToken?: string;
    })
  | (DataPlace & { kind: 'migrate' })
  | (DataPlace & { kind: 'clients-create'; name: string; allowedOrigins: string[] })
  | (DataPlace & { kind: 'clients-list' })
  | (DataPlace & { kind: 'keys-create'; clientId: string; name?: string })
  | (DataPlace & { kind: 'keys-list'; clientId: string })
  | (DataPlace & { kind: 'keys-revoke'; kid: string })
  | (DataPlace & { kind: 'users-create'; email: string; name?: string; password?: string; passwordStdin: boolean; owner: boolean })
  | (DataPlace & { kind: 'users-list' })
  | (DataPlace & { kind: 'webhooks-create'; clientId: string; url: string; events?: string[] })
  | (DataPlace & { kind: 'webhooks-list'; clientId: string })
  | (DataPlace & { kind: 'webhooks-delete'; id: string })
  | (DataPlace & { kind: 'trackers-connect'; clientId: string; tracker: string; repo?: string; labels?: string[]; site?: string; email?: string; project?: string; issueType?: string; rule?: { ratings?: number[] } | null; publicUrl?: string })
  | (DataPlace & { kind: 'trackers-list'; clientId: string })
  | (DataPlace & { kind: 'trackers-delete'; id: string })
  | (DataPlace & { kind: 'export'; to: string })
  | (DataPlace & { kind: 'import'; from: string })
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'public-url': { type: 'string' },
  'rate-limit-ip-per-min': { type: 'string' },
  'rate-limit-client-per-min': { type: 'string' },
  'trust-proxy': { type: 'string' },
  name: { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'admin-token': { type: 'string' },
  client: { type: 'string' },
  kid: { type: 'string' },
  to: { type: 'string' },
  from: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  owner: { type: 'boolean' },
  url: { type: 'string' },
  events: { type: 'string' },
  id: { type: 'string' },
  kind: { type: 'string' },
  repo: { type: 'string' },
  site: { type: 'string' },
  project: { type: 'string' },
  'issue-type': { type: 'string' },
  labels: { type: 'string' },
  rule: { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Which flags each command accepts, so a misplaced one is an error rather than ignored.
const DATA_FLAGS = ['data-dir', 'database-url'];
const FLAGS_BY_COMMAND: Record<string, readonly string[]> = {
  serve: ['host', 'port', ...DATA_FLAGS, 'public-url', 'rate-limit-ip-per-min', 'rate-limit-client-per-min', 'trust-proxy', 'admin-token'],
  migrate: DATA_FLAGS,
  'clients create': ['name', 'allow-origin', ...DATA_FLAGS],
  'clients list': DATA_FLAGS,
  'keys create': ['client', 'name', ...DATA_FLAGS],
  'keys list': ['client', ...DATA_FLAGS],
  'keys revoke': ['kid', ...DATA_FLAGS],
  'users create': ['email', 'name', 'password', 'password-stdin', 'owner', ...DATA_FLAGS],
  'users list': DATA_FLAGS,
  'webhooks create': ['client', 'url', 'events', ...DATA_FLAGS],
  'webhooks list': ['client', ...DATA_FLAGS],
  'webhooks delete': ['id', ...DATA_FLAGS],
  'trackers connect': ['client', 'kind', 'repo', 'labels', 'site', 'email', 'project', 'issue-type', 'rule', 'secret-stdin', 'public-url', ...DATA_FLAGS],
  'trackers list': ['client', ...DATA_FLAGS],
  'trackers delete': ['id', ...DATA_FLAGS],
  export: ['to', ...DATA_FLAGS],
  import: ['from', ...DATA_FLAGS],
};

const KEY_ID = new RegExp(`^${PROJECT_KEY_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);

// A key command's client: required and shaped like a client id (the storage says whether it exists).
function clientOf(command: string, value: string | undefined): string | CliCommand {
  const clientId = value?.trim();
  if (!clientId) return usageError(`${command} needs --client CLIENT_ID`);
  if (!SAFE_CLIENT_ID.test(clientId)) return usageError(`Not a client id: ${clientId}`);
  return clientId;
}

function usageError(message: string): CliCommand {
  return { kind: 'usage-error', message };
}

// A per-minute limit: a whole number, 0 meaning off.
function parseLimit(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

// `users create`: the e-mail as accounts keep it, and at most one way of giving a password.
function usersCreate(values: { email?: string; name?: string; password?: string; 'password-stdin'?: boolean; owner?: boolean }, place: DataPlace): CliCommand {
  if (values.email === undefined) return usageError('users create needs --email EMAIL');
  const email = parseBodyWith(emailSchema, values.email);
  if (!email.ok) return usageError(`Not an e-mail address: ${values.email}`);
  const passwordStdin = values['password-stdin'] ?? false;
  if (values.password !== undefined && passwordStdin) return usageError('Use --password or --password-stdin, not both');
  if (values.password !== undefined) {
    const password = parseBodyWith(passwordSchema, values.password);
    if (!password.ok) return usageError(`The password must be ${PASSWORD_LIMITS.minChars} to ${PASSWORD_LIMITS.maxChars} characters`);
  }
  const name = values.name?.trim();
  return {
    kind: 'users-create',
    ...place,
    email: email.value,
    ...(name ? { name } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
    passwordStdin,
    owner: values.owner ?? false,
  };
}

// `--rule`: none, all, or ratings from 1 to 4.
function parseRule(text: string): { ratings?: number[] } | null | undefined {
  if (text === 'none') return null;
  if (text === 'all') return {};
  const ratings = text.split(',').map((part) => part.trim());
  return ratings.every((r) => /^[1-4]$/.test(r)) ? { ratings: [...new Set(ratings.map(Number))] } : undefined;
}

// `trackers connect`: the kind and its fields (checked by the kind when stored); the secret comes from stdin.
function trackersConnect(
  values: { kind?: string; repo?: string; labels?: string; site?: string; email?: string; project?: string; 'issue-type'?: string; rule?: string; 'secret-stdin'?: boolean; 'public-url'?: string },
  place: DataPlace,
  clientId: string,
): CliCommand {
  const tracker = values.kind?.trim();
  if (!tracker) return usageError('trackers connect needs --kind github|jira|slack');
  if (!values['secret-stdin']) return usageError('trackers connect needs --secret-stdin (the token or webhook URL, kept out of the shell history)');
  const rule = values.rule === undefined ? undefined : parseRule(values.rule.trim());
  if (rule === undefined && values.rule !== undefined) return usageError(`Not a rule: ${values.rule} (none, all, or ratings such as 1,2)`);
  const labels = values.labels?.split(',').map((label) => label.trim()).filter(Boolean);
  return {
    kind: 'trackers-connect',
    ...place,
    clientId,
    tracker,
    ...(values.repo !== undefined && { repo: values.repo.trim() }),
    ...(labels && { labels }),
    ...Object.fromEntries((['site', 'email', 'project'] as const).flatMap((flag) => (values[flag] === undefined ? [] : [[flag, values[flag].trim()]]))),
    ...(values['issue-type'] !== undefined && { issueType: values['issue-type'].trim() }),
    ...(rule !== undefined && { rule }),
    ...(values['public-url'] && { publicUrl: values['public-url'] }),
  };
}

/** Parses argv (without node and script) with env fallbacks; never throws. */
export function parseCli(argv: string[], env: Record<string, string | undefined>): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };

  const command = positionals.length === 0 ? 'serve' : positionals.join(' ');
  const allowed = FLAGS_BY_COMMAND[command];
  if (!allowed) return usageError(`Unknown command: ${command}`);
  const misplaced = Object.keys(values).find((flag) => !allowed.includes(flag));
  if (misplaced) return usageError(`--${misplaced} does not apply to "${command}"`);

  const dataDir = values['data-dir'] ?? env.DATA_DIR ?? DEFAULTS.dataDir;
  if (dataDir.trim() === '') return usageError('--data-dir must not be empty');
  // Checked when it is opened (start.ts), where a bad one gets its one-line error.
  const databaseUrl = values['database-url'] || env[POSTGRES.envVar] || undefined;
  const place: DataPlace = databaseUrl ? { dataDir, databaseUrl } : { dataDir };

  if (command === 'migrate') return { kind: 'migrate', ...place };
  if (command === 'clients list') return { kind: 'clients-list', ...place };

  if (command === 'keys create' || command === 'keys list') {
    const clientId = clientOf(command, values.client);
    if (typeof clientId !== 'string') return clientId;
    if (command === 'keys list') return { kind: 'keys-list', ...place, clientId };
    const name = values.name?.trim();
    return { kind: 'keys-create', ...place, clientId, ...(name ? { name } : {}) };
  }

  if (command === 'keys revoke') {
    const kid = values.kid?.trim();
    if (!kid) return usageError('keys revoke needs --kid KEY_ID');
    if (!KEY_ID.test(kid)) return usageError(`Not a key id: ${kid}`);
    return { kind: 'keys-revoke', ...place, kid };
  }

  if (command === 'webhooks create' || command === 'webhooks list') {
    const clientId = clientOf(command, values.client);
    if (typeof clientId !== 'string') return clientId;
    if (command === 'webhooks list') return { kind: 'webhooks-list', ...place, clientId };
    const url = values.url?.trim();
    if (!url) return usageError('webhooks create needs --url URL');
    const events = values.events?.split(',').map((event) => event.trim()).filter(Boolean);
    return { kind: 'webhooks-create', ...place, clientId, url, ...(events ? { events } : {}) };
  }
  if (command === 'webhooks delete') {
    const id = values.id?.trim();
    return id ? { kind: 'webhooks-delete', ...place, id } : usageError('webhooks delete needs --id ENDPOINT_ID');
  }

  if (command === 'trackers connect' || command === 'trackers list') {
    const clientId = clientOf(command, values.client);
    if (typeof clientId !== 'string') return clientId;
    if (command === 'trackers list') return { kind: 'trackers-list', ...place, clientId };
    return trackersConnect(values, place, clientId);
  }
  if (command === 'trackers delete') {
    const id = values.id?.trim();
    return id ? { kind: 'trackers-delete', ...place, id } : usageError('trackers delete needs --id CONNECTION_ID');
  }

  if (command === 'users list') return { kind: 'users-list', ...place };
  if (command === 'users create') return usersCreate(values, place);

  if (command === 'export') {
    const to = values.to?.trim();
    return to ? { kind: 'export', ...place, to } : usageError('export needs --to DIR');
  }
  if (command === 'import') {
    const from = values.from?.trim();
    return from ? { kind: 'import', ...place, from } : usageError('import needs --from DIR');
  }

  if (command === 'clients create') {
    const name = values.name?.trim();
    if (!name) return usageError('clients create needs --name NAME');
    const allowedOrigins: string[] = [];
    for (const entry of values['allow-origin'] ?? []) {
      const origin = normalizeOrigin(entry);
      if (!origin) return usageError(`Not an http(s) origin: ${entry}`);
      if (!allowedOrigins.includes(origin)) allowedOrigins.push(origin);
    }
    return { kind: 'clients-create', ...place, name, allowedOrigins };
  }

  const host = values.host ?? env.HOST ?? DEFAULTS.host;
  const portText = values.port ?? env.PORT ?? String(DEFAULTS.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) return usageError(`Not a port number: ${portText}`);
  const publicUrl = values['public-url'] ?? env.PUBLIC_URL ?? undefined;
  if (publicUrl !== undefined && publicUrl !== '' && !normalizeOrigin(publicUrl)) {
    return usageError(`Not an http(s) URL: ${publicUrl}`);
  }
  const ipText = values['rate-limit-ip-per-min'] ?? env.RATE_LIMIT_IP_PER_MIN ?? String(RATE_LIMIT_DEFAULTS.ipPerMin);
  const rateLimitIpPerMin = parseLimit(ipText);
  if (rateLimitIpPerMin === undefined) return usageError(`Not a per-minute limit: ${ipText}`);
  const clientText =
    values['rate-limit-client-per-min'] ?? env.RATE_LIMIT_CLIENT_PER_MIN ?? String(RATE_LIMIT_DEFAULTS.clientPerMin);
  const rateLimitClientPerMin = parseLimit(clientText);
  if (rateLimitClientPerMin === undefined) return usageError(`Not a per-minute limit: ${clientText}`);
  const hopsText = values['trust-proxy'] ?? env.TRUST_PROXY ?? '0';
  const trustProxyHops = /^\d{1,2}$/.test(hopsText) ? Number(hopsText) : Number.NaN;
  if (!(trustProxyHops <= TRUST_PROXY_MAX_HOPS)) {
    return usageError(`Not a number of proxies (0 to ${TRUST_PROXY_MAX_HOPS}): ${hopsText}`);
  }
  const adminToken = values['admin-token'] ?? env.ADMIN_TOKEN ?? '';
  if (adminToken !== '' && adminToken.length < ADMIN_TOKEN_MIN_CHARS) {
    return usageError(`The admin token must be at least ${ADMIN_TOKEN_MIN_CHARS} characters`);
  }
  return {
    kind: 'serve',
    host,
    port,
    ...place,
    publicUrl: publicUrl || undefined,
    rateLimitIpPerMin,
    rateLimitClientPerMin,
    trustProxyHops,
    ...(adminToken ? { adminToken } : {}),
  };
}
