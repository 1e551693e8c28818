/**
 * Shared by the multipart upload routes: the client a form names (and its allowlist), and
 * the base of the URLs they hand out. The form itself is read by server/upload-intake.ts.
 */
import type { Context } from 'hono';
import { WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { SAFE_CLIENT_ID } from '../ids.ts';
import { isOriginAllowed } from '../origin.ts';
import type { Client, Storage } from '../storage/types.ts';
import type { UploadForm } from '../upload-intake.ts';

/** The form's `clientId`, unless it is missing or blank (the contract's "Client ID is required"). */
export function formClientId(form: UploadForm): string | undefined {
  const clientId = form.fields.get('clientId');
  return clientId === undefined || clientId.trim() === '' ? undefined : clientId;
}

/** `https://loupe.example.com` (no trailing slash): the public URL if set, else the request's origin. */
export function publicBase(c: Context, publicUrl: string | undefined): string {
  return (publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

/**
 * The client an upload names, once the request passes its allowlist (the optional
 * `pageUrl` field decides for the extension's worker); otherwise the contract's answer:
 * 404 Invalid client ID or 403 Domain not allowed.
 */
export async function uploadingClient(
  c: Context,
  storage: Storage,
  form: UploadForm,
  clientId: string,
): Promise<Client | Response> {
  // An id that could not be a path segment cannot name one of our clients either.
  const client = SAFE_CLIENT_ID.test(clientId) ? await storage.getClient(clientId) : undefined;
  if (!client) return c.json({ error: WIRE_ERRORS.invalidClientId }, 404);
  const pageUrl = form.fields.get('pageUrl') ?? null;
  const source = { origin: c.req.header('origin'), referer: c.req.header('referer'), pageUrl };
  if (!isOriginAllowed(client.allowedOrigins, source)) return c.json({ error: WIRE_ERRORS.domainNotAllowed }, 403);
  return client;
}
