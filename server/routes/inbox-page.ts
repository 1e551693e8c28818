/** GET / and GET /feedback/<id>: the inbox's shell page; the data comes after sign-in, from the read API. */
import type { Handler } from 'hono';
import { INBOX_PAGE_CSP } from '../constants.ts';
import { renderInboxShell, type ShellBase } from '../pages/inbox.ts';

const PAGE_HEADERS = {
  'Content-Security-Policy': INBOX_PAGE_CSP,
  // Item URLs name feedback: never send them to the sites a replay or a screenshot loads from.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** The handler serving the shell with asset paths relative to `base`. */
export function createInboxPageHandler(base: ShellBase): Handler {
  const html = renderInboxShell(base);
  return (c) => c.html(html, 200, PAGE_HEADERS);
}
