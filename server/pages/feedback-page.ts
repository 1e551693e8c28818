/**
 * The page at GET /feedback/<id>: one stored feedback item and, when it links a stored
 * replay, the player. Every stored string is escaped; the page runs no inline script.
 */
import { RATINGS } from '../../lib/api/schemas.ts';
import { PAGE_ASSETS } from '../constants.ts';
import type { FeedbackRow, ReplayRow } from '../storage/types.ts';
import { escapeHtml, safeHttpUrl } from './html.ts';

/** A screenshot as the page shows it: `src` is undefined when it has no URL we would load. */
export interface ShownScreenshot {
  src: string | undefined;
  label: string;
}

/** What the page is rendered from. */
export interface FeedbackPageInput {
  feedback: FeedbackRow;
  screenshots: ShownScreenshot[];
  /** The linked replay, only when it is stored and belongs to the feedback's client. */
  replay: ReplayRow | undefined;
}

// Page-relative, so the page works behind a reverse proxy that mounts the server under a path.
const relative = (path: string) => `..${path}`;

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7fb; color: #1c2033; }
  main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
  dt { font-weight: 600; }
  dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  pre { background: #fff; padding: 0.75rem; border-radius: 8px; overflow: auto; }
  .shots { display: flex; flex-wrap: wrap; gap: 0.75rem; }
  .shots img { max-width: 22rem; max-height: 16rem; border: 1px solid #d5d8e3; border-radius: 6px; }
  [data-replay-root] { margin-top: 0.75rem; overflow: auto; width: fit-content; max-width: 100%; border: 1px solid #d5d8e3; background: #fff; }
`;

function row(label: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
}

function linkRow(label: string, value: string | null): string {
  const href = safeHttpUrl(value);
  if (!href) return row(label, value);
  return `<dt>${escapeHtml(label)}</dt><dd><a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(value!)}</a></dd>`;
}

function ratingText(rating: number | null): string | null {
  if (rating === null) return null;
  const label = RATINGS.find((r) => r.value === rating)?.label;
  return label ? `${rating} (${label})` : String(rating);
}

function screenshotsSection(screenshots: ShownScreenshot[]): string {
  if (screenshots.length === 0) return '';
  const items = screenshots.map((shot) =>
    shot.src
      ? `<a href="${escapeHtml(shot.src)}" rel="noopener noreferrer"><img src="${escapeHtml(shot.src)}" alt="${escapeHtml(shot.label)}"></a>`
      : `<p>${escapeHtml(shot.label)} (no URL this page can show)</p>`,
  );
  return `<h2>Screenshots</h2><div class="shots">${items.join('')}</div>`;
}

function replaySection(feedback: FeedbackRow, replay: ReplayRow | undefined): string {
  if (feedback.sessionReplayId === null) return '';
  if (!replay) {
    return `<h2>Replay</h2><section id="replay" data-replay-state="missing"><p>Replay
      <code>${escapeHtml(feedback.sessionReplayId)}</code> is not stored on this server.</p></section>`;
  }
  const offsetMs = Math.min(feedback.replayOffsetMs ?? 0, replay.durationMs);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `<h2>Replay</h2>
  <section id="replay" aria-label="Session replay" data-replay-state="loading"
    data-replay-url="${escapeHtml(relative(`/replays/${replay.id}.json.gz`))}"
    data-replay-offset-ms="${offsetMs}" data-replay-duration-ms="${replay.durationMs}" data-replay-current-ms="0">
    <p>${replay.eventCount} events, ${seconds(replay.durationMs)}; the feedback was given at ${seconds(offsetMs)}.</p>
    <p data-replay-status role="status">Loading the replay…</p>
    <button type="button" data-replay-seek="start" disabled>Play from the start</button>
    <button type="button" data-replay-seek="feedback" disabled>Play from the feedback</button>
    <button type="button" data-replay-seek="pause" disabled>Pause</button>
    <div data-replay-root></div>
  </section>`;
}

/** The whole HTML document for one feedback item. */
export function renderFeedbackPage(input: FeedbackPageInput): string {
  const { feedback, replay } = input;
  const metadata = feedback.metadata === null ? '' : `<h2>Metadata</h2><pre>${escapeHtml(JSON.stringify(feedback.metadata, null, 2))}</pre>`;
  const playerHead = replay
    ? `<link rel="stylesheet" href="${relative(PAGE_ASSETS.playerStyle.path)}">
  <script src="${relative(PAGE_ASSETS.playerScript.path)}" defer></script>
  <script src="${relative(PAGE_ASSETS.feedbackScript.path)}" defer></script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <link rel="icon" href="data:,">
  <title>Feedback ${escapeHtml(feedback.id)} · Loupe</title>
  <style>${STYLE}</style>
  ${playerHead}
</head>
<body>
  <main>
    <h1>Feedback</h1>
    <dl>
      ${row('Rating', ratingText(feedback.rating))}
      ${row('Comment', feedback.comment)}
      ${linkRow('Page', feedback.pageUrl)}
      ${row('Page title', feedback.pageTitle)}
      ${linkRow('Came from', feedback.referrer)}
      ${row('Environment', feedback.environment ?? 'default')}
      ${row('Email', feedback.userEmail)}
      ${row('State', feedback.state)}
      ${row('Created at', feedback.createdAt)}
      ${row('User agent', feedback.userAgent)}
      ${row('Id', feedback.id)}
    </dl>
    ${screenshotsSection(input.screenshots)}
    ${metadata}
    ${replaySection(feedback, replay)}
  </main>
</body>
</html>
`;
}
