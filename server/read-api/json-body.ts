/** How the read API's routes read a JSON body and answer a bad one (api-contract.md section 2). */
import type { Context } from 'hono';
import type { FieldIssues } from '../../lib/api/schemas.ts';
import { capBody } from '../body-cap.ts';
import { CLOSE_AFTER_ANSWER, READ_API_ERRORS, READ_API_LIMITS } from '../constants.ts';

/** Middleware: a read API body is at most READ_API_LIMITS.maxBodyBytes, else 413 and the connection closes. */
export const cappedBody = capBody({
  maxBytes: READ_API_LIMITS.maxBodyBytes,
  onTooLarge: (c) => c.json({ error: READ_API_ERRORS.bodyTooLarge }, 413, CLOSE_AFTER_ANSWER),
});

/** The read API's 400: a message and the issues per field. */
export function invalid(c: Context, error: string, issues: FieldIssues): Response {
  return c.json({ error, issues }, 400);
}

/** The body as JSON, or the issues of a 400 (the body is required: `{}` means "no filters"). */
export async function readJsonBody(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; issues: FieldIssues }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: false, issues: { body: ['A JSON body is required (send {} for none)'] } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, issues: { body: ['Body must be valid JSON'] } };
  }
}
