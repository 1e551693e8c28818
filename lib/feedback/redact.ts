/** Keeps secrets that pages put in their URLs (tokens, keys, passwords) out of reports. */

// Query and fragment keys whose values are credentials often enough to never send them.
const SECRET_KEY = /token|secret|passw(or)?d|pwd|api[-_]?key|apikey|auth|session|sig(nature)?$|credential|^code$|^key$/i;
/** What a redacted value is replaced with. */
export const REDACTED = 'redacted';

function redactParams(params: URLSearchParams): boolean {
  let changed = false;
  for (const key of new Set(params.keys())) {
    if (SECRET_KEY.test(key) && params.getAll(key).some((value) => value !== '')) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed;
}

/**
 * The URL with credentials removed: user:password, and the values of query or
 * `#a=b` fragment parameters named like secrets. Anything that is not a URL is returned as is.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    changed = true;
  }
  const query = new URLSearchParams(url.search);
  if (redactParams(query)) {
    url.search = query.toString();
    changed = true;
  }
  if (url.hash.includes('=')) {
    const fragment = new URLSearchParams(url.hash.slice(1));
    if (redactParams(fragment)) {
      url.hash = fragment.toString();
      changed = true;
    }
  }
  return changed ? url.href : raw;
}
