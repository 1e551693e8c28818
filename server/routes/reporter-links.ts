/**
 * POST /api/projects/:clientId/reporter-links (docs/team-api.md): an owner makes a link that,
 * opened in a browser with Loupe, sets the extension up to report to this project (and
 * environment). Mounted inside the read API, after its project middleware has set the role.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { buildJoinLink, linkProjectName } from '../../lib/api/join-link.ts';
import { ENVIRONMENT_MAX_CHARS, environmentProblem, type FieldIssues } from '../../lib/api/schemas.ts';
import { requireRole } from '../auth/access.ts';
import { READ_API_ERRORS, REPORTER_LINK_ERRORS } from '../constants.ts';
import { cappedBody, invalid, readJsonBody } from '../read-api/json-body.ts';
import type { ProjectEnv } from './read-api.ts';
import { publicBase } from './upload-form.ts';

/** What parseLinkBody accepts, for the OpenAPI document (it checks by hand, to say what is wrong). */
export const reporterLinkBodyDoc = z.object({ environment: z.optional(z.nullable(z.string().check(z.maxLength(ENVIRONMENT_MAX_CHARS)))) });

/** The answer: the link. */
export const reporterLinkSchema = z.object({ url: z.string() });

/** The environment a body asks for ('' for the default), or the issues of its 400. */
function parseLinkBody(body: unknown): { ok: true; environment: string } | { ok: false; issues: FieldIssues } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, issues: { body: [REPORTER_LINK_ERRORS.bodyNotObject] } };
  // An own property only: `{"__proto__": ...}` or a missing key must not find Object's.
  const raw = Object.hasOwn(body, 'environment') ? (body as { environment: unknown }).environment : undefined;
  if (raw === undefined || raw === null) return { ok: true, environment: '' };
  if (typeof raw !== 'string') return { ok: false, issues: { environment: [REPORTER_LINK_ERRORS.environmentNotString] } };
  const environment = raw.trim();
  const problem = environmentProblem(environment);
  if (problem === 'placeholder') return { ok: false, issues: { environment: [REPORTER_LINK_ERRORS.environmentPlaceholder(environment)] } };
  if (problem === 'tooLong') return { ok: false, issues: { environment: [REPORTER_LINK_ERRORS.environmentTooLong(ENVIRONMENT_MAX_CHARS)] } };
  return { ok: true, environment };
}

/** The routes to mount on the read API (paths below `/api/projects`). */
export function createReporterLinkApi(options: { publicUrl?: string }): Hono<ProjectEnv> {
  const api = new Hono<ProjectEnv>();
  api.post('/:clientId/reporter-links', requireRole('owner'), cappedBody, async (c) => {
    const body = await readJsonBody(c);
    const parsed = body.ok ? parseLinkBody(body.value) : body;
    if (!parsed.ok) return invalid(c, READ_API_ERRORS.invalidBody, parsed.issues);
    const client = c.get('client');
    const url = buildJoinLink({
      serverUrl: publicBase(c, options.publicUrl),
      clientId: client.id,
      environment: parsed.environment,
      projectName: linkProjectName(client.name),
    });
    return c.json({ url }, 201);
  });
  return api;
}
