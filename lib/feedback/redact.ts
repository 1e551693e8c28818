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

// `key=value`, `key: value` and `"key":"value"` in free text (console messages, stacks), with
// keys named like secrets. Over-matching (`author=`, `monkey=`) costs a word, missing costs a secret.
// A key starts where a run of word characters does (the lookbehind): trying every position
// inside a long run would make this quadratic, and it runs on every console message.
const TEXT_SECRET =
  /(?<![\w.-])([\w.-]*(?:token|secret|passw(?:or)?d|pwd|api[-_]?key|apikey|auth|session|credential|cookie|key\b)[\w.-]*)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"'&,;#)\]}]+/gi;
// A bare `Bearer abc...` with no key before it.
const BEARER = /\b(bearer|basic)\s+[\w~+/.=-]{6,}/gi;
// `scheme://user:password@host`.
const USERINFO = /(\/\/)[^\s/?#@]+@/g;

/**
 * Free text with credentials removed: the values after secret-looking keys (`token=abc`,
 * `"password": "x"`, `Authorization: Bearer x`), bare bearer tokens, and user:password in URLs.
 */
export function redactText(text: string): string {
  return text.replace(TEXT_SECRET, `$1$2${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`).replace(USERINFO, '$1');
}
