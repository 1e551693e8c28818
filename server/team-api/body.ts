/**
 * Bodies of the team routes: small JSON objects, capped as they stream in, sent as
 * `application/json` (a cross-site HTML form cannot send that type, so a page elsewhere
 * cannot sign a visitor in to its own account: login CSRF), parsed with a zod schema.
 */
import type { Context } from 'hono';
import type * as z from 'zod/mini';
import type { FieldIssues } from '../../lib/api/schemas.ts';
import { capBody } from '../body-cap.ts';
import { CLOSE_AFTER_ANSWER, READ_API_ERRORS, TEAM_LIMITS } from '../constants.ts';
import { parseBodyWith, type Parsed } from '../read-api/schemas.ts';

/** Middleware: refuses a body over TEAM_LIMITS.maxBodyBytes with 413 as it streams in. */
export const teamBodyCap = capBody({
  maxBytes: TEAM_LIMITS.maxBodyBytes,
  onTooLarge: (c) => c.json({ error: `Body too large (max ${TEAM_LIMITS.maxBodyBytes / 1024}KB)` }, 413, CLOSE_AFTER_ANSWER),
});

/** A 400 with its issues, as the read API answers. */
export function invalidBody(c: Context, issues: FieldIssues): Response {
  return c.json({ error: READ_API_ERRORS.invalidBody, issues }, 400);
}

/** The request's JSON body checked by `schema`; an empty body is `{}` (routes whose fields are all optional). */
export async function readBody<T>(c: Context, schema: z.ZodMiniType<T>): Promise<Parsed<T>> {
  const text = await c.req.text();
  if (text.trim() === '') return parseBodyWith(schema, {});
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return { ok: false, issues: { body: ['Must be sent as application/json'] } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, issues: { body: ['Body must be valid JSON'] } };
  }
  return parseBodyWith(schema, value);
}
