/**
 * The per-client domain allowlist. Origins are compared normalized (scheme, host, port),
 * so `https://App.example.com:443/x` matches an allowlist entry `https://app.example.com`.
 */
import { EXTENSION_PROTOCOLS } from './constants.ts';

/** `scheme://host[:port]` of an http(s) URL or origin, or `undefined` when it has none. */
export function normalizeOrigin(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin;
}

/** Whether an Origin header names a browser extension page. */
export function isExtensionOrigin(origin: string): boolean {
  return EXTENSION_PROTOCOLS.some((protocol) => origin.toLowerCase().startsWith(`${protocol}//`));
}

/** What a request tells us about where it came from. */
export interface RequestSource {
  /** The Origin header. */
  origin?: string | null;
  /** `pageUrl` from the body or form. */
  pageUrl?: string | null;
  /** The Referer header. */
  referer?: string | null;
}

/**
 * The web origin to check. A page's own Origin header wins. The extension's background
 * worker sends its extension origin (and servers send none), so then the page the
 * feedback is about decides: `pageUrl`, else the Referer. An opaque `null` Origin
 * (sandboxed frame, file://) decides nothing and so never passes an allowlist.
 */
export function effectiveOrigin(source: RequestSource): string | undefined {
  const header = source.origin?.trim();
  if (header && !isExtensionOrigin(header)) return normalizeOrigin(header);
  return normalizeOrigin(source.pageUrl) ?? normalizeOrigin(source.referer);
}

/** Whether a client with this allowlist accepts the request; an empty list accepts all. */
export function isOriginAllowed(allowedOrigins: readonly string[], source: RequestSource): boolean {
  if (allowedOrigins.length === 0) return true;
  const origin = effectiveOrigin(source);
  if (origin === undefined) return false;
  return allowedOrigins.some((entry) => normalizeOrigin(entry) === origin);
}
