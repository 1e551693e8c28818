/** Every user-facing string of the inbox, in one place (the server's shell page uses it too). */

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The inbox's text; functions where a value goes into it. */
export const INBOX_STRINGS = {
  pageTitle: 'Loupe inbox',
  feedbackPageTitle: (summary: string) => `${summary} · Loupe inbox`,
  noScript: 'The Loupe inbox needs JavaScript.',
  loading: 'Loading…',

  // What a first-time visitor sees beside the sign-in form.
  welcomeTitle: 'Loupe server is running',
  welcomeIngest:
    'Feedback is accepted at POST /api/feedback, screenshots at POST /api/screenshots and session replays at POST /api/replays.',
  welcomeSteps: 'Getting started',
  welcomeCreateClient: 'Create a project:',
  welcomeCreateClientCommand: 'npm run server -- clients create --name "My site"',
  welcomeCreateKey: 'Create a key to sign in here with (its secret is shown once):',
  welcomeCreateKeyCommand: 'npm run server -- keys create --client <clientId>',
  welcomeLoadExtension:
    'Load the extension: build it with npm run build, open chrome://extensions, turn on Developer mode, click Load unpacked and choose the .output/chrome-mv3 folder.',
  welcomeDemoBefore: 'Then try it on the ',
  welcomeDemoLink: 'demo page',
  welcomeDemoAfter: ': click Loupe’s toolbar button and give feedback.',

  signInTitle: 'Sign in to the inbox',
  signInWith: 'Sign in with',
  signInWithKey: 'A project key',
  signInWithAdmin: 'The admin token',
  keyIdLabel: 'Key ID',
  keyIdHint: 'Starts with key_ (npm run server -- keys list --client <clientId>).',
  secretLabel: 'Secret',
  secretHint: 'Kept in this tab only, and never sent: each request carries a token signed with it that expires in 5 minutes.',
  adminTokenLabel: 'Admin token',
  adminTokenHint: 'The server’s --admin-token (or ADMIN_TOKEN).',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInFailed: (message: string) => `Sign-in failed: ${message}`,
  signedOut: (message: string) => `You were signed out: ${message}`,
  fieldRequired: (label: string) => `${label} is required.`,
  needsSecureContext:
    'Signing in with a key needs this page on https or localhost (the browser’s crypto is only there). Use the admin token, or serve the inbox over https.',
  noProjects: 'This sign-in can read no project.',
  networkError: 'The server could not be reached. Check the connection and try again.',
  serverError: (status: number, message: string) => `The server answered ${status}: ${message}`,
  tooManyAttempts: (seconds: number | undefined) =>
    seconds === undefined ? 'Too many attempts, try again later' : `Too many attempts, try again in ${seconds} s`,

  inboxTitle: 'Feedback',
  project: 'Project',
  signOut: 'Sign out',
  skipToList: 'Skip to the list',

  filters: 'Filters',
  stateFilter: 'State',
  stateCount: (label: string, count: number | undefined) => (count === undefined ? label : `${label} (${count})`),
  allStates: 'All',
  ratingFilter: 'Rating',
  anyRating: 'Any rating',
  environmentFilter: 'Environment',
  environmentHint: 'Exact name; “default” is feedback sent without one.',
  environmentAny: 'any',
  searchFilter: 'Search comments',
  clearFilters: 'Clear filters',

  listTitle: 'Feedback list',
  listEmpty: 'No feedback matches these filters.',
  listStatus: (shown: number, total: number | undefined) =>
    total === undefined ? `Showing ${plural(shown, 'item', 'items')}` : `Showing ${shown} of ${plural(total, 'item', 'items')}`,
  newer: 'Newer',
  older: 'Older',
  paging: 'Pages',
  noComment: 'No comment',
  screenshotsBadge: (n: number) => plural(n, 'screenshot', 'screenshots'),
  replayBadge: 'Replay',
  defaultEnvironment: 'default',

  exportJson: 'Export JSON',
  exporting: (n: number) => `Exporting… ${plural(n, 'item', 'items')} so far`,
  exported: (n: number, file: string) => `Exported ${plural(n, 'item', 'items')} to ${file}.`,
  exportFailed: (message: string) => `Export failed: ${message}`,

  backToList: 'Back to the list',
  detailTitle: 'Feedback details',
  noSelection: 'Choose a feedback item to see it here.',
  notFound: 'This feedback item was not found in your projects.',
  changeState: 'State',
  stateChanged: (label: string) => `State changed to ${label}.`,
  stateChangeFailed: (message: string) => `The state was not changed: ${message}`,
  fields: {
    rating: 'Rating',
    comment: 'Comment',
    state: 'State',
    page: 'Page',
    pageTitle: 'Page title',
    referrer: 'Came from',
    environment: 'Environment',
    email: 'Email',
    createdAt: 'Created',
    updatedAt: 'Updated',
    id: 'ID',
  },
  screenshots: 'Screenshots',
  screenshotAlt: (n: number, total: number) => `Screenshot ${n} of ${total}`,
  screenshotCaption: (n: number, size: string) => (size ? `Screenshot ${n}, ${size}` : `Screenshot ${n}`),
  openFullSize: 'Open in a new tab',
  screenshotUnavailable: (n: number) => `Screenshot ${n} has no address this page can show.`,
  metadata: 'Metadata',
  metadataKey: 'Key',
  metadataValue: 'Value',
  metadataRaw: 'As JSON',

  replay: 'Replay',
  replaySummary: (events: number, durationMs: number, offsetMs: number) =>
    `${plural(events, 'event', 'events')}, ${seconds(durationMs)}; the feedback was given at ${seconds(offsetMs)}.`,
  replayLoading: 'Loading the replay…',
  replayPlaying: (offsetMs: number) => `Playing from ${seconds(offsetMs)}, where the feedback was given.`,
  replayFailed: (message: string) => `The replay could not be played: ${message}`,
  replayMissing: (id: string) => `Replay ${id} is not stored on this server.`,
  replayFromStart: 'Play from the start',
  replayFromFeedback: 'Play from the feedback',
  replayPause: 'Pause',
  replayPlayerFailed: 'the player script did not load',
  replayNotRebuilt: 'the page was not rebuilt from its snapshot',
  replayHttpFailed: (status: number) => `loading it failed (HTTP ${status})`,

  timeline: {
    title: 'Timeline',
    tabs: { console: 'Console', network: 'Network', steps: 'Steps', info: 'Info' },
    empty: { console: 'No console errors or warnings were recorded.', network: 'No failed or slow requests were recorded.', steps: 'No steps were recorded.', info: 'No details were sent.' },
    reportedByPage: 'Console and network entries are what the page’s own scripts reported, which they can make up.',
    outsideReplay: 'before the replay',
    scrubber: 'Errors on the replay’s timeline',
    marker: (time: string, text: string) => `Error at ${time}: ${text}`,
    feedbackMarker: (time: string) => `Feedback given at ${time}`,
    seek: (time: string) => `Play from ${time}`,
    console: { error: 'Error', exception: 'Uncaught', rejection: 'Rejection', warning: 'Warning' },
    failed: 'failed',
    durationMs: (ms: number) => `${ms} ms`,
    step: {
      open: (url: string) => `Open ${url}`,
      navigate: (url: string) => `Go to ${url}`,
      click: (label: string) => `Click “${label}”`,
      type: (label: string) => `Type in “${label}” (value masked)`,
      choose: (label: string) => `Choose an option in “${label}”`,
      check: (label: string) => `Check “${label}”`,
      uncheck: (label: string) => `Uncheck “${label}”`,
    },
    info: {
      browser: 'Browser',
      os: 'Operating system',
      viewport: 'Viewport',
      screen: 'Screen',
      devicePixelRatio: 'Pixel ratio',
      language: 'Language',
      timeZone: 'Time zone',
      extensionVersion: 'Loupe version',
      userAgent: 'User agent',
      totals: 'Seen on the page',
    },
    totals: (t: { errors: number; warnings: number; requests: number; navigations: number }) =>
      `${plural(t.errors, 'error', 'errors')}, ${plural(t.warnings, 'warning', 'warnings')}, ${plural(t.requests, 'failed or slow request', 'failed or slow requests')}, ${plural(t.navigations, 'navigation', 'navigations')}`,
  },

  copyIssue: 'Copy as GitHub issue',
  issueCopied: 'Copied the issue’s Markdown to the clipboard. It is also below.',
  issueNotCopied: 'The clipboard is not available here: select the Markdown below and copy it.',
  issueMarkdown: 'GitHub issue (Markdown)',
  issue: {
    untitled: (rating: string) => `Feedback: ${rating}`,
    noRating: 'no rating',
    rating: 'Rating',
    state: 'State',
    page: 'Page',
    environment: 'Environment',
    email: 'Reported by',
    created: 'Reported at',
    screenshots: 'Screenshots',
    replay: 'Replay',
    replayLink: 'Watch the replay in the Loupe inbox',
    replayFile: 'recorded events (gzip)',
    metadata: 'Metadata',
    steps: 'Steps to reproduce',
    footer: (id: string) => `Loupe feedback ${id}`,
  },
} as const;

/** Labels of the workflow states, in the order the inbox shows them. */
export const STATE_LABELS = { new: 'New', in_progress: 'In progress', done: 'Done' } as const;

/** Labels of ratings 1..4, as the extension shows them. */
export const RATING_LABELS: Record<number, string> = { 1: 'Terrible', 2: 'Bad', 3: 'Good', 4: 'Amazing' };

/** "2 (Bad)", or the number alone when it is outside 1..4. */
export function ratingText(rating: number): string {
  const label = RATING_LABELS[rating];
  return label ? `${rating} (${label})` : String(rating);
}
