/**
 * The page a reporter invite link opens (GET /join): plain HTML with no script, which says how
 * to let Loupe set itself up from the link (the popup reads the tab's address when the user
 * opens it) and, without Loupe, how to install it and what to type into its settings.
 */
import type { JoinLink } from '../../lib/api/join-link.ts';
import { escapeHtml, PAGE_START, styleOnlyCsp } from './html.ts';

/** The page's words (English, as the server's other pages). */
export const JOIN_PAGE_STRINGS = {
  title: (project: string) => `Send feedback on ${project} with Loupe`,
  intro: (project: string) =>
    `You are invited to report problems and ideas about ${project} with Loupe, a browser extension that leaves feedback (a comment, screenshots, a rating) on the page you are looking at.`,
  withLoupe: 'If Loupe is installed',
  clickButton: 'With this page open, click the Loupe button in the browser\'s toolbar (if it is not pinned, it is in the extensions menu, the puzzle piece).',
  confirm: (question: string) => `The popup asks "${question}": check the server and press Confirm. Nothing needs typing.`,
  withoutLoupe: 'If Loupe is not installed',
  install: 'Install Loupe in Chrome or Firefox: from your browser\'s extension store, or the copy whoever sent you this link gave you (in Chrome: chrome://extensions, turn on Developer mode, Load unpacked).',
  thenReturn: 'Then open this link again and follow the steps above, or open Loupe\'s popup and enter these settings, then press Save:',
  serverUrl: 'Server URL',
  clientId: 'Client ID',
  environment: 'Environment',
  defaultEnvironment: '(leave blank)',
  after: 'From then on, Loupe\'s toolbar button opens the feedback panel on any page, and your reports go to this project.',
  invalidTitle: 'This invite link does not work',
  invalid: 'The link is incomplete or was changed. Ask whoever sent it for a new one.',
  unknownTitle: 'This project does not exist',
  unknown: 'The link names a project this server does not have (it may have been deleted). Ask whoever sent it for a new one.',
} as const;

/** The question the popup asks for a link (components/JoinCard.tsx words it the same way in each language). */
export function popupQuestion(link: Pick<JoinLink, 'serverUrl'>, project: string): string {
  return `Join ${project} on ${new URL(link.serverUrl).host}?`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f7f8fa; --card: #ffffff; --fg: #1d2433; --muted: #5b6478; --line: #d9dee8; --accent: #3b4fd8; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111418; --card: #1a1f26; --fg: #e6e9ef; --muted: #a3acbb; --line: #2e3541; --accent: #9aa8ff; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 40rem; margin: 3rem auto; padding: 2rem; background: var(--card); border: 1px solid var(--line); border-radius: 12px; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
p, li { color: var(--fg); }
.muted { color: var(--muted); }
ol { padding-left: 1.4rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0.75rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
code { font: 0.95em ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.1rem 0.4rem; overflow-wrap: anywhere; }
strong { color: var(--accent); }
`;

/** The page's policy: nothing but its one inline style (by hash); no script, no requests, never framed. */
export const JOIN_PAGE_CSP = styleOnlyCsp(STYLE);

function page(title: string, body: string): string {
  return `${PAGE_START}
  <title>${escapeHtml(title)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <main>
${body}
  </main>
</body>
</html>
`;
}

/** The page for a valid link to an existing project, named as the server stores it. */
export function renderJoinPage(link: JoinLink, projectName: string): string {
  const S = JOIN_PAGE_STRINGS;
  const e = escapeHtml;
  const code = (text: string) => `<code>${e(text)}</code>`;
  const environment = link.environment === '' ? `<span class="muted">${e(S.defaultEnvironment)}</span>` : code(link.environment);
  return page(
    S.title(projectName),
    `    <h1>${e(S.title(projectName))}</h1>
    <p>${e(S.intro(projectName))}</p>
    <h2>${e(S.withLoupe)}</h2>
    <ol>
      <li>${e(S.clickButton)}</li>
      <li>${e(S.confirm(popupQuestion(link, link.projectName || link.clientId)))}</li>
    </ol>
    <h2>${e(S.withoutLoupe)}</h2>
    <ol>
      <li>${e(S.install)}</li>
      <li>${e(S.thenReturn)}
        <dl>
          <dt>${e(S.serverUrl)}</dt><dd>${code(link.serverUrl)}</dd>
          <dt>${e(S.clientId)}</dt><dd>${code(link.clientId)}</dd>
          <dt>${e(S.environment)}</dt><dd>${environment}</dd>
        </dl>
      </li>
    </ol>
    <p class="muted">${e(S.after)}</p>`,
  );
}

/** The page for a link that is not valid (`unknown`: valid, but the project does not exist). */
export function renderJoinError(kind: 'invalid' | 'unknown'): string {
  const S = JOIN_PAGE_STRINGS;
  const [title, text] = kind === 'invalid' ? [S.invalidTitle, S.invalid] : [S.unknownTitle, S.unknown];
  return page(title, `    <h1>${escapeHtml(title)}</h1>\n    <p>${escapeHtml(text)}</p>`);
}
