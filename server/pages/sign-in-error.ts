/** The page a refused single sign-on callback shows (GET /api/auth/oidc/callback): why, and a link back to the inbox. */
import type { OidcFailure } from '../auth/oidc.ts';
import { escapeHtml, PAGE_START, styleOnlyCsp } from './html.ts';

/** Why a single sign-on was refused, as the page says it (English, as the server's other pages). */
export type SsoRefusal = OidcFailure | 'no-account' | 'too-many';

/** The page's words. */
export const SSO_ERROR_STRINGS = {
  title: 'Single sign-on did not work',
  reasons: {
    state: 'The sign-in took too long, was started in another browser, or its answer was changed. Start again from the sign-in page.',
    provider: 'The sign-in provider refused or could not be checked. Start again from the sign-in page; if it keeps failing, ask whoever runs this server.',
    'no-email': 'The sign-in provider did not say which e-mail address you use.',
    unverified: 'The sign-in provider has not verified your e-mail address.',
    'no-account': 'There is no account with your e-mail address on this server. Ask a project owner for an invitation.',
    'too-many': 'Too many failed sign-ins from here. Try again later.',
  } satisfies Record<SsoRefusal, string>,
  back: 'Back to sign-in',
} as const;

const STYLE = `
:root { color-scheme: light dark; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 36rem; margin: 3rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.5rem; line-height: 1.3; }
`;

/** The page's policy: its one inline style (by hash), no script, never framed. */
export const SSO_ERROR_CSP = styleOnlyCsp(STYLE);

/** The page for `reason`, linking to the inbox at `inboxUrl`. */
export function renderSsoError(reason: SsoRefusal, inboxUrl: string): string {
  const S = SSO_ERROR_STRINGS;
  return `${PAGE_START}
  <title>${escapeHtml(S.title)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <main>
    <h1>${escapeHtml(S.title)}</h1>
    <p>${escapeHtml(S.reasons[reason])}</p>
    <p><a href="${escapeHtml(inboxUrl)}">${escapeHtml(S.back)}</a></p>
  </main>
</body>
</html>
`;
}
