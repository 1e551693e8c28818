/**
 * Shared by the multipart upload routes: reading the form, finding the client it names
 * (and checking its allowlist), and the base of the URLs they hand out.
 */
import type { Context } from 'hono';
import { WIRE_ERRORS } from '../../lib/api/schemas.ts';
import { SAFE_CLIENT_ID } from '../ids.ts';
import { isOriginAllowed } from '../origin.ts';
import type { Client, Storage } from '../storage/types.ts';

/** A parsed multipart form: text fields and files by name. */
export type UploadForm = Record<string, string | File | undefined>;

/** The form, or `{}` when the body is not multipart or is malformed (nothing usable was sent). */
export async function readUploadForm(c: Context): Promise<UploadForm> {
  try {
    return (await c.req.parseBody()) as UploadForm;
  } catch {
    return {};
  }
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
  const pageUrl = typeof form.pageUrl === 'string' ? form.pageUrl : null;
  const source = { origin: c.req.header('origin'), referer: c.req.header('referer'), pageUrl };
  if (!isOriginAllowed(client.allowedOrigins, source)) return c.json({ error: WIRE_ERRORS.domainNotAllowed }, 403);
  return client;
}
