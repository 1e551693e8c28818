/** The page at GET /: proof of life until the inbox exists. */

/** HTML for GET /. */
export const HOME_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Loupe server</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center;
      min-height: 100vh; background: #f6f7fb; color: #1c2033; }
    main { background: #fff; padding: 2rem 2.5rem; border-radius: 12px;
      box-shadow: 0 4px 24px rgb(0 0 0 / 8%); max-width: 32rem; }
    h1 { margin-top: 0; font-size: 1.5rem; }
    code { background: #eef0f7; padding: 0.1em 0.35em; border-radius: 4px; }
  </style>
</head>
<body>
  <main>
    <h1>Loupe server is running</h1>
    <p>Feedback is accepted at <code>POST /api/feedback</code>, screenshots at
      <code>POST /api/screenshots</code> and session replays at <code>POST /api/replays</code>.</p>
    <p>Each feedback item has its own page, <code>/feedback/&lt;feedbackId&gt;</code>, with
      its replay; there is no list of them here, since the unguessable id is its only key.</p>
    <p>Create a project with <code>npm run server -- clients create --name "My site"</code>,
      or try the extension on the <a href="/demo">demo page</a>.</p>
  </main>
</body>
</html>
`;
