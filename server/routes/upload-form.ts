/** Shared by the multipart upload routes: reading the form, and the base of the URLs they hand out. */
import type { Context } from 'hono';

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
