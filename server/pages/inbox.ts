/**
 * The inbox's shell page, served at `/` and `/feedback/<id>`: the same HTML with asset paths
 * relative to where it is served (so the server works mounted under a path). It holds no
 * project data: the script signs in and fetches everything. The first-time help is rendered
 * here, so that it shows before (and without) the script, which moves it beside the sign-in form.
 */
import { INBOX_STRINGS as S } from '../inbox/client/strings.ts';
import { PAGE_ASSETS } from '../constants.ts';
import { escapeHtml, PAGE_START } from './html.ts';

/** Where the shell is served from, relative to the server root: `./` at `/`, `../` one level down. */
export type ShellBase = './' | '../';

function welcome(base: ShellBase): string {
  const code = (text: string) => `<pre><code>${escapeHtml(text)}</code></pre>`;
  return `<section id="welcome" class="welcome card" aria-labelledby="welcome-title">
      <h2 id="welcome-title">${escapeHtml(S.welcomeTitle)}</h2>
      <p>${escapeHtml(S.welcomeIngest)}</p>
      <h3>${escapeHtml(S.welcomeSteps)}</h3>
      <ol>
        <li>${escapeHtml(S.welcomeCreateClient)} ${code(S.welcomeCreateClientCommand)}</li>
        <li>${escapeHtml(S.welcomeCreateKey)} ${code(S.welcomeCreateKeyCommand)}</li>
        <li>${escapeHtml(S.welcomeLoadExtension)}</li>
        <li>${escapeHtml(S.welcomeDemoBefore)}<a href="${base}demo">${escapeHtml(S.welcomeDemoLink)}</a>${escapeHtml(S.welcomeDemoAfter)}</li>
      </ol>
    </section>`;
}

/** The shell's HTML for one base. */
export function renderInboxShell(base: ShellBase): string {
  const asset = (path: string) => `${base}${path.replace(/^\//, '')}`;
  return `${PAGE_START}
  <title>${escapeHtml(S.pageTitle)}</title>
  <link rel="stylesheet" href="${asset(PAGE_ASSETS.inboxStyle.path)}">
  <script src="${asset(PAGE_ASSETS.inboxScript.path)}" defer></script>
</head>
<body data-base="${base}">
  <div id="app">
    <main class="sign-in-layout">
      ${welcome(base)}
      <noscript><p class="alert">${escapeHtml(S.noScript)}</p></noscript>
    </main>
  </div>
</body>
</html>
`;
}
