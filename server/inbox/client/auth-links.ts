/** The one-time links the server sends people to: `#sign-in=TOKEN` and `#invitation=TOKEN` (or `#invite=`) on an inbox address (server INBOX_LINKS). */

/** What the address's fragment asks for, if anything. */
export type AuthLink = { kind: 'sign-in'; token: string } | { kind: 'invite'; token: string };

// Tokens are base64url; anything else is not one of ours.
const TOKEN = /^[A-Za-z0-9_-]{10,200}$/;

/** The link in a URL's fragment (`#sign-in=…` or `#invite=…`), or undefined. */
export function readAuthLink(hash: string): AuthLink | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [name, kind] of [['sign-in', 'sign-in'], ['invitation', 'invite'], ['invite', 'invite']] as const) {
    const token = params.get(name);
    if (token !== null && TOKEN.test(token)) return { kind, token };
  }
  return undefined;
}

/** Takes the token out of the address bar (and so out of history) without reloading. */
export function clearAuthLink(): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}
