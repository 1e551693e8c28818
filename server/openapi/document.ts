/**
 * The OpenAPI 3.1 document of the ingest, read, team and outbound APIs, served at GET
 * /openapi.json. It is built from the zod schemas the routes validate with and the answers' own
 * schemas, once per app; test/server/openapi.test.ts checks every route's real answers against it.
 */
import { createRequire } from 'node:module';
import { screenshotRefSchema } from '../../lib/api/schemas.ts';
import { userSchema } from '../auth/session.ts';
import { SESSION_COOKIE } from '../constants.ts';
import { reportRuleSchema } from '../outbox/trackers.ts';
import { feedbackItemSchema, itemReplaySchema } from '../read-api/items.ts';
import { timestampSchema } from '../read-api/schemas.ts';
import { roleSchema } from '../team-api/schemas.ts';
import { buildPaths, named } from './build.ts';
import { INGEST_OPERATIONS } from './ingest-operations.ts';
import { OUTBOUND_OPERATIONS } from './outbound-operations.ts';
import { READ_OPERATIONS } from './read-operations.ts';
import { TEAM_OPERATIONS } from './team-operations.ts';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Parts of answers that get a name of their own (and are referenced wherever they appear). */
const SHARED = [
  named('Timestamp', timestampSchema, 'UTC, as `toISOString()` writes it'),
  named('Role', roleSchema, 'owner (settings, members, keys, invitations), member (triage, labels, comments), viewer (reads)'),
  named('User', userSchema),
  named('ScreenshotRef', screenshotRefSchema, 'A stored screenshot, as `POST /api/screenshots` answered it'),
  named('ItemReplay', itemReplaySchema, "The item's replay, when it is stored for the same project: `url` serves the gzip"),
  named('FeedbackItem', feedbackItemSchema, 'A feedback item: every field, `null` for absent ones'),
  named('ReportRule', reportRuleSchema, "Which new reports go to a tracker on their own: every one (`{}`) or those of the ratings listed; a connection's `rule` is `null` when none do (only when asked)"),
];

const TAGS = [
  { name: 'Ingest', description: 'Public: what the extension (or any widget) sends. CORS for any origin.' },
  { name: 'Projects', description: 'Projects and their settings.' },
  { name: 'Feedback', description: 'Reading feedback: cursor-paged lists, filters, counts, one item.' },
  { name: 'Triage', description: "A report's state, assignee, priority and labels; the project's labels." },
  { name: 'Discussion', description: 'Comments and the activity log of a report.' },
  { name: 'Members', description: 'Members, their roles, invitations.' },
  { name: 'Keys', description: 'Read API keys of a project.' },
  { name: 'Webhooks', description: "A project's webhook endpoints: signed events, their deliveries and retries." },
  { name: 'Trackers', description: "GitHub and Slack connections of a project, where each report stands in them, and GitHub's webhook back." },
  { name: 'Me', description: 'The signed-in person: their projects and notifications.' },
  { name: 'Signing in', description: 'Sessions for people: password, one-time links, password resets.' },
];

const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A JWT the caller signs with a project key's secret (HS256 only, `kid` in the header, `iat` and `exp` at most 24 hours apart), or the server's admin token. A key reads its own project, as a member.",
  },
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE.name, description: "A signed-in person's session cookie (POST /api/auth/sign-in)." },
  csrf: { type: 'apiKey', in: 'header', name: SESSION_COOKIE.csrfHeader, description: "The session's CSRF token (from signing in), on every state-changing request made with the cookie." },
  githubSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hub-Signature-256',
    description: "`sha256=` and the hex HMAC-SHA256 of the body as sent, keyed with the connection's webhook secret (its `hook.secret`, shown when it was connected), as GitHub signs its webhooks.",
  },
};

/** The document; `publicUrl` (when the server has one) is its server's address. */
export function buildOpenApiDocument(options: { publicUrl?: string } = {}) {
  const { paths, schemas } = buildPaths([...INGEST_OPERATIONS, ...READ_OPERATIONS, ...TEAM_OPERATIONS, ...OUTBOUND_OPERATIONS], SHARED);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loupe',
      version,
      summary: 'Feedback on any web page: the ingest API and the read, team and outbound APIs of a Loupe server.',
      description:
        'Every answer is JSON; every refusal is `{"error": "..."}`, and a 400 that names its fields adds `"issues": {"<field>": ["..."]}`. The ingest routes follow the hosted service\'s published contract exactly.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(options.publicUrl ? { servers: [{ url: options.publicUrl.replace(/\/+$/, '') }] } : {}),
    tags: TAGS,
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
  };
}
