/**
 * Server limits, defaults and the few user-facing strings the wire contract does not own
 * (those live in lib/api/schemas.ts so the extension and the server share them).
 */
import { REPLAY_MAX_BYTES, SCREENSHOT_MAX_BYTES } from '../lib/api/schemas.ts';

/** Where `npm run server` listens and keeps its data unless told otherwise. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dataDir: './data',
} as const;

/** Names inside DATA_DIR. */
export const DATA_LAYOUT = {
  databaseFile: 'loupe.db',
  filesDir: 'files',
  /** Uploads being received; emptied at start, so a crash mid-upload leaves nothing behind. */
  uploadTempDir: 'tmp',
} as const;

/**
 * The S3-compatible file store (server/storage/s3-files.ts), chosen by env S3_BUCKET.
 * Timeouts so that an unreachable endpoint fails a start or a request instead of hanging;
 * sockets enough that slow downloads (each holds one while it streams) do not queue ingest.
 */
export const S3_FILES = {
  env: {
    bucket: 'S3_BUCKET',
    endpoint: 'S3_ENDPOINT',
    region: 'S3_REGION',
    forcePathStyle: 'S3_FORCE_PATH_STYLE',
    prefix: 'S3_PREFIX',
  },
  defaultRegion: 'us-east-1',
  connectTimeoutMs: 5_000,
  /** Longest silence on a socket mid-request (not the whole transfer). */
  socketTimeoutMs: 30_000,
  maxSockets: 256,
  /** Keys per ListObjectsV2 page (S3's own maximum). */
  listPageSize: 1_000,
} as const;

/** How the SQLite engine is run (server/storage/sqlite*.ts). */
export const SQLITE_TUNING = {
  /** Prepared statements kept per connection; the read API's filter shapes share the room. */
  statementCacheMax: 200,
  /** Writes one shared commit takes at most; more wait for the next turn, so one flush stays short. */
  groupCommitMaxWrites: 256,
  /** How often the checkpoint thread starts a cycle of copying the WAL back into the database file. */
  checkpointIntervalMs: 100,
  /**
   * A cycle's checks after its first copy, `delayMs` apart, until the WAL starts over: at most
   * `rounds`, or fewer once `quietRounds` in a row saw nothing appended (sqlite-checkpoint-worker.mjs).
   */
  checkpointCatchUp: { rounds: 25, quietRounds: 5, delayMs: 2 },
  /** A WAL this large is truncated, which makes writers wait: only if writes never let up. */
  walTruncateBytes: 64 * 1024 * 1024,
  /** A WAL that starts over is cut back to this size (PRAGMA journal_size_limit). */
  walSizeLimitBytes: 4 * 1024 * 1024,
  /** How long the truncating checkpoint waits for the writer. */
  checkpointBusyTimeoutMs: 1000,
  /** SQLite's own default, back in force if the checkpoint thread dies. */
  fallbackAutocheckpointPages: 1000,
} as const;

/** A JSON feedback body may be at most this many bytes on the wire. */
export const FEEDBACK_BODY_MAX_BYTES = 1024 * 1024;

/**
 * Multipart bodies larger than this are refused: before they are read when their length is
 * declared, else where they grow past it as they stream in. The slack above the
 * screenshot limit covers the multipart framing and the small text fields, so a file just
 * over the limit still reaches the precise per-file check and gets the same answer.
 */
export const SCREENSHOT_BODY_MAX_BYTES = SCREENSHOT_MAX_BYTES + 256 * 1024;

/** The same for a replay upload (the file is the gzip as the browser compressed it). */
export const REPLAY_BODY_MAX_BYTES = REPLAY_MAX_BYTES + 256 * 1024;

/**
 * What an upload form may hold, enforced while it streams in: the routes take `clientId`,
 * the optional `pageUrl` and one file, so a few parts more than that is already hostile
 * (a 10 MB body of 180,000 tiny parts would otherwise be parsed to its end).
 */
export const UPLOAD_FORM_LIMITS = {
  maxParts: 8,
  maxFields: 7,
  maxFiles: 1,
  /** A field is an id or a page URL. */
  maxFieldBytes: 16 * 1024,
  maxHeaderPairs: 16,
  maxPartHeaderBytes: 16 * 1024,
} as const;

/** An upload body that sends nothing for this long is dropped and its connection closed. */
export const UPLOAD_STALL_MS = 30_000;

/**
 * A temp file untouched for this long belongs to no request (a live upload writes at least
 * every UPLOAD_STALL_MS, and is checked and stored within seconds of its end): a crash left it.
 */
export const UPLOAD_TEMP_STALE_MS = 2 * UPLOAD_STALL_MS;

/**
 * Upload bodies in flight at once, by declared length (a chunked body counts as its route's
 * maximum). Bodies stream to disk, so this bounds temp space and the check work queued, not
 * memory; a request beyond it is answered 503 with Retry-After before its body is read.
 */
export const UPLOAD_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * The most of that budget one client address may hold (six full-size uploads at once), so
 * that stalled or trickling uploads from one address cannot keep everyone else's out.
 * Behind reverse proxies, set --trust-proxy or every client shares the proxy's share.
 */
export const UPLOAD_BUDGET_PER_ADDRESS_BYTES = 64 * 1024 * 1024;

/** What a 503 for a full upload budget asks the client to wait. */
export const UPLOAD_BUSY_RETRY_AFTER_SECONDS = 2;

/** Bytes of a stored image read to find its type and size (every header we accept fits). */
export const IMAGE_SNIFF_MAX_BYTES = 512 * 1024;

/**
 * Deepest JSON nesting a feedback body may have. Validation serializes metadata recursively
 * (to measure it), and a 100,000-level array would overflow the stack there; real
 * submissions nest a handful of levels.
 */
export const FEEDBACK_JSON_MAX_DEPTH = 64;

/** Random part lengths, in url-safe characters (6 bits each). */
export const ID_RANDOM_CHARS = {
  client: 20,
  feedback: 24,
  file: 22,
  replay: 24,
} as const;

/** Prefix of every feedback id. */
export const FEEDBACK_ID_PREFIX = 'fb_';

/** Random bytes drawn from the CSPRNG at a time for ids (server/ids.ts), each used once. */
export const ID_RANDOM_POOL_BYTES = 4096;

/** Prefix of every replay id. */
export const REPLAY_ID_PREFIX = 'rp_';

/** rrweb's EventType numbers the upload check relies on (@rrweb/types `EventType`). */
export const RRWEB_EVENT_TYPES = {
  fullSnapshot: 2,
  meta: 4,
} as const;

/** The gzip magic bytes and the only compression method gzip defines (deflate). */
export const GZIP_MAGIC = [0x1f, 0x8b, 0x08] as const;

/** How long browsers may cache a CORS preflight answer. */
export const CORS_MAX_AGE_SECONDS = 86_400;

/**
 * Request headers cross-origin callers may send: the extension's POSTs, and the read API's
 * bearer token. One list for all of /api/*, because server/answer-headers.ts answers every preflight alike.
 */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Idempotency-Key', 'Authorization'];

/** Answer headers a page's script may read: neither is on the CORS safelist. */
export const CORS_EXPOSE_HEADERS = ['Retry-After', 'Idempotent-Replayed'];

/** Header names of exactly-once delivery (IETF draft "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_HEADERS = {
  key: 'Idempotency-Key',
  replayed: 'Idempotent-Replayed',
} as const;

/** A key is 1..255 visible ASCII characters (0x21-0x7E); anything else is refused. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** How long a remembered answer is replayed; a retry after this is treated as new. */
export const IDEMPOTENCY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Expired keys are deleted at most this often, on the next keyed request (no timer). */
export const IDEMPOTENCY_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Sent with every refusal made before the body is read: the unread rest stays on the
 * socket, and closing stops a keep-alive client from sending its next request into it.
 */
export const CLOSE_AFTER_ANSWER = { Connection: 'close' } as const;

/**
 * On SIGTERM the server stops accepting and gives the requests under way this long to finish
 * (an upload that is still streaming may take that long) before it drops them.
 */
export const DRAIN_TIMEOUT_MS = 30_000;

/** While draining, connections that have become idle are closed this often. */
export const DRAIN_POLL_MS = 100;

/** At most this many reverse proxies in front of the server can be trusted with X-Forwarded-For. */
export const TRUST_PROXY_MAX_HOPS = 10;

/** Default requests per minute on the ingest routes; 0 turns a limit off. */
export const RATE_LIMIT_DEFAULTS = {
  ipPerMin: 120,
  clientPerMin: 600,
} as const;

/** A rate limiter forgets its least recently seen keys beyond this many. */
export const RATE_LIMIT_MAX_KEYS = 10_000;

/**
 * The per-client limit is counted in the database, so that every instance draws on one
 * allowance. An instance claims up to about a second's worth of its steady rate at once
 * (at least 1) and spends it locally for at most `claimLifetimeMs`: one database round trip
 * per claim, not per request, and never more than a claim per instance over the limit.
 */
export const SHARED_RATE_LIMIT = {
  claimLifetimeMs: 1_000,
  /** Compare-and-set attempts on one bucket before a claim gives up (an error, so a 500). */
  maxAttempts: 16,
  /** Full buckets are deleted this often, lazily on a claim. */
  pruneIntervalMs: 60 * 60 * 1000,
} as const;

/** Compare-and-set attempts at one state change (server/feedback-state.ts) before it gives up. */
export const STATE_CHANGE_ATTEMPTS = 8;

/**
 * After refusing a body mid-stream, keep reading and discarding this much (or for this
 * long) before closing, so that the client reads our answer instead of a reset. The bytes
 * cover what loopback TCP buffers hold in flight (1 MB was measured too little).
 */
export const LINGER_LIMITS = {
  maxBytes: 4 * 1024 * 1024,
  maxMs: 1000,
} as const;

/** Methods the /api/ routes answer cross-origin (PATCH: the read API's state change; DELETE: revoking a key). */
export const CORS_ALLOW_METHODS = ['POST', 'GET', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A stored file that no row names is only removed once it is older than this: an upload
 * writes its file before the transaction that records it, so a younger file may still be
 * on its way to its row. A crash leaves it behind; the sweep takes it.
 */
export const ORPHAN_FILE_GRACE_MS = 15 * 60 * 1000;

/** Why a `screenshots[]` entry of a feedback is refused (prefixed with its index, as other field issues are). */
export const SCREENSHOT_REF_ERRORS = {
  notStored: 'fileName is not a screenshot this server stored for this client',
  wrongUrl: 'url is not the address this server gives that file',
  mismatch: (field: string) => `${field} does not match the stored screenshot`,
} as const;

/** How often the running server sweeps orphan files (it also sweeps once at start). */
export const ORPHAN_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Stored files never change (every name is new), so caches may keep them for a year. */
export const FILE_CACHE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** The image types the server stores, by file extension. */
export const STORED_IMAGE_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
} as const;

/** Every type the file store writes and serves, by extension; nothing else ever is. */
export const STORED_FILE_TYPES = {
  ...STORED_IMAGE_TYPES,
  // A replay's events, gzipped by the browser; readers decompress it themselves.
  'json.gz': 'application/gzip',
} as const;

/**
 * Scripts and styles of the pages: rrweb's player, served out of its package's dist folder,
 * and the inbox, bundled from server/inbox/client on first request.
 */
export const PAGE_ASSETS = {
  rrwebPackage: '@rrweb/replay',
  playerScript: { path: '/assets/rrweb-replay.js', distFile: 'replay.umd.min.cjs', type: 'text/javascript; charset=utf-8' },
  playerStyle: { path: '/assets/rrweb-replay.css', distFile: 'style.min.css', type: 'text/css; charset=utf-8' },
  inboxScript: { path: '/assets/inbox.js', type: 'text/javascript; charset=utf-8' },
  inboxStyle: { path: '/assets/inbox.css', type: 'text/css; charset=utf-8' },
} as const;

/**
 * The inbox's policy. Scripts only from us; requests only to us (the read API, replays).
 * rrweb rebuilds the recorded page in an about:blank iframe (sandboxed, no scripts) that
 * inherits this policy, so that document's inline styles and style attributes, and the
 * images and fonts it names on their own origins, must be allowed, as must screenshots
 * stored elsewhere; nothing else is.
 */
export const INBOX_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'img-src * data: blob:',
  'font-src * data:',
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Assets change only with an upgrade, and their paths carry no version: cache them briefly. */
export const ASSET_CACHE_MAX_AGE_SECONDS = 60 * 60;

/** Origins of extension pages; requests from them are checked against `pageUrl` instead. */
export const EXTENSION_PROTOCOLS = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:'];

/** Server-only answers, shaped like the contract's `{"error": "..."}` bodies. */
export const SERVER_ERRORS = {
  payloadTooLarge: 'Payload too large (max 1MB)',
  notFound: 'Not found',
  unknownClientId: 'Unknown client ID',
  bodyNotJson: 'Body must be valid JSON',
  bodyTooDeep: `Body nests too deeply (max ${FEEDBACK_JSON_MAX_DEPTH} levels)`,
  invalidIdempotencyKey: 'Invalid Idempotency-Key header',
  tooManyRequests: 'Too many requests',
  feedbackNotFound: 'Feedback not found',
  uploadBusy: 'Server busy with other uploads, retry later',
  uploadStalled: 'Upload stalled',
  tooManyParts: `Too many form parts (max ${UPLOAD_FORM_LIMITS.maxParts}, one file)`,
  fieldTooLong: `Form field too long (max ${UPLOAD_FORM_LIMITS.maxFieldBytes / 1024}KB)`,
} as const;

/** Prefix of every project key id (the id names a key; it is not a secret). */
export const PROJECT_KEY_ID_PREFIX = 'key_';
/** Random url-safe characters after the prefix of a project key id. */
export const PROJECT_KEY_ID_RANDOM_CHARS = 22;
/** Random bytes of a project key's secret (shown once, base64url). */
export const PROJECT_KEY_SECRET_BYTES = 32;

/** The master key that encrypts project key secrets at rest: env var, or this file in the data dir. */
export const MASTER_KEY = {
  envVar: 'LOUPE_MASTER_KEY',
  fileName: 'master.key',
  bytes: 32,
} as const;

/** An admin token shorter than this is refused at start: it would be guessable. */
export const ADMIN_TOKEN_MIN_CHARS = 16;

/** Seconds of clock skew tolerated on a JWT's `exp`, `nbf` and `iat` (issued in the future). */
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;

/** Every 401 of the read API, as `{"error": ...}` with `WWW-Authenticate: Bearer`. */
export const AUTH_ERRORS = {
  missingToken: 'Missing bearer token',
  notJwt: 'Token is not a valid JWT',
  wrongAlgorithm: 'Token algorithm must be HS256',
  noKid: 'Token has no key id (kid)',
  unknownKid: 'Unknown key id',
  revokedKid: 'Key has been revoked',
  badSignature: 'Invalid token signature',
  expired: 'Token has expired',
  notYetValid: 'Token is not yet valid',
  noExp: 'Token must have an exp claim',
  otherProject: 'Key does not belong to this project',
  noIat: 'Token must have an iat claim',
  issuedInFuture: 'Token was issued in the future (iat)',
  lifetimeTooLong: 'Token lifetime (exp - iat) is longer than 24 hours',
} as const;

/** Page sizes of the read API's lists. */
export const READ_API_LIMITS = {
  defaultPage: 10,
  maxPage: 100,
  /** Filters in one query, and values in one `in` list: enough for any UI, bounded SQL. */
  maxFilters: 20,
  maxInValues: 50,
  maxFilterChars: 2048,
  /** A filter or state-change body is a few hundred bytes; anything far beyond is refused as it streams. */
  maxBodyBytes: 64 * 1024,
} as const;

/** The read API's answers besides the 401s. */
export const READ_API_ERRORS = {
  invalidQuery: 'Invalid query',
  invalidFilter: 'Invalid filter',
  invalidBody: 'Invalid body',
  bodyTooLarge: 'Body too large (max 64KB)',
  feedbackNotFound: 'Feedback not found',
  tooManyFailures: 'Too many failed authentications, try again later',
} as const;

/** Triage (docs/team-api.md): how much one change or label may carry. */
export const TRIAGE_LIMITS = {
  /** Reports in one bulk change: a page of the inbox's list. */
  maxBulkIds: 100,
  /** Labels on one report, and in one change's lists. */
  maxLabelsPerItem: 50,
  maxLabelNameChars: 60,
  /** Longest id accepted in a body: ids the server makes are far shorter. */
  maxIdChars: 200,
} as const;

/** Triage's refusals and the issues it names (docs/team-api.md). */
export const TRIAGE_ERRORS = {
  labelNotFound: 'Label not found',
  labelNameTaken: 'This project already has a label with this name',
  notAMember: 'Must be a member of this project, or null',
  notALabel: 'Must be a label of this project',
  notAnItem: 'No feedback item of this project has this id',
  noChange: 'Give at least one field to change',
} as const;

/**
 * Longest lifetime a read-API JWT may claim (`exp - iat`, AUTH_ERRORS.lifetimeTooLong says it):
 * a leaked token stops working within a day, however far away its `exp` was set.
 */
export const JWT_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Sent on every answer (API, files, replays, pages, assets, errors, preflights): a browser
 * must never sniff a JSON error or a stored file into HTML or script.
 */
export const NOSNIFF_HEADER = { name: 'X-Content-Type-Options', value: 'nosniff' } as const;

/**
 * Failed authentications on the read API (the inbox's sign-in included) a remote address may
 * have per minute; token buckets that only refusals drain, so a valid
 * token is never counted. The next attempt is answered 429 with Retry-After, unchecked.
 */
export const AUTH_FAILURE_LIMITS = {
  addressPerMin: 20,
} as const;

/**
 * PostgreSQL, chosen by DATABASE_URL (absent: SQLite in DATA_DIR). Several instances may
 * share one database; what they must agree on lives there.
 */
export const POSTGRES = {
  envVar: 'DATABASE_URL',
  /** NULLS NOT DISTINCT (the kept counts' upsert) is new in 15. */
  minVersionNum: 150_000,
  minVersion: '15',
  /** Connections each instance keeps open at most. */
  poolMax: 10,
  /** A connection that cannot be made within this long fails its request (and the start). */
  connectTimeoutMs: 10_000,
  /** An idle connection is closed after this long. */
  idleTimeoutMs: 30_000,
  /**
   * Server-side limits of each session, so that a half-dead peer cannot stall an instance: a
   * statement or a wait for a lock (another instance's claim of the same Idempotency-Key,
   * held by a connection that died mid-transaction) fails its request (500, safe to retry)
   * instead of holding a pool connection, and a transaction left open is ended by the server.
   */
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
  /** pg_advisory_xact_lock key held while migrating, so instances starting together take turns. */
  migrationLockKey: 0x4c6f75706531,
} as const;

/** The inbox's session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` on https; only its SHA-256 is stored. */
export const SESSION_COOKIE = {
  name: 'loupe_session',
  /** How long a session lasts from sign-in. */
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
  /** Random bytes of the cookie's token and of the CSRF token. */
  tokenBytes: 32,
  /** The header the inbox sends the session's CSRF token in on every state-changing request. */
  csrfHeader: 'X-CSRF-Token',
} as const;

/** The team side's refusals, as `{"error": ...}` (docs/team-api.md). */
export const TEAM_ERRORS = {
  csrf: 'Missing or wrong CSRF token',
  notMember: 'You are not a member of this project',
  signInRequired: 'Sign in first',
  wrongPassword: 'Wrong e-mail or password',
  badLink: 'This sign-in link is invalid, used or expired',
  badResetLink: 'This password reset link is invalid, used or expired',
  badInvitation: 'This invitation is invalid, used or expired',
  tooManySignIns: 'Too many failed sign-ins, try again later',
  noEmail: 'E-mail is not set up on this server (SMTP_URL)',
  projectsNeedOwner: 'Only the server owner may create projects',
  lastOwner: 'A project needs at least one owner',
  memberNotFound: 'No member of this project has this id',
  keyNotFound: 'No key of this project has this id',
  emailTaken: 'An account with this e-mail exists: sign in first, then accept',
  invitedElsewhere: 'This invitation was sent to another e-mail address',
  noOidc: 'Single sign-on is not set up on this server (OIDC_ISSUER)',
  webhookNotFound: 'No webhook endpoint of this project has this id',
  deliveryNotFound: 'No delivery of this project has this id',
  deliveryPending: 'This delivery is still queued: it is tried again by itself',
  integrationNotFound: 'No tracker connection of this project has this id',
  issueQueued: 'An issue for this report is already on its way there',
} as const;

/** Passwords: bounded so that hashing one costs the same whatever is sent (argon2id, server/auth/passwords.ts). */
export const PASSWORD_LIMITS = {
  minChars: 8,
  maxChars: 256,
} as const;

/**
 * Failed sign-ins counted in the database (shared by every instance): per account (its
 * e-mail, whether or not it exists) and per remote address. The attempt after the limit is
 * answered 429 with Retry-After before the password is checked. Password reset e-mails are
 * limited per account too, silently (the answer is 202 either way).
 */
export const SIGN_IN_LIMITS = {
  accountFailuresPerMin: 10,
  addressFailuresPerMin: AUTH_FAILURE_LIMITS.addressPerMin,
  resetEmailsPerMin: 2,
} as const;

/** How long one-time links live (docs/team-api.md). */
export const ONE_TIME_TTL_MS = {
  sign_in: 60 * 60 * 1000,
  password_reset: 60 * 60 * 1000,
  invitation: 7 * 24 * 60 * 60 * 1000,
} as const;

/**
 * Where one-time links point: the inbox page, the token in the fragment (never sent to a
 * server, so it stays out of access logs and Referer); the inbox posts it to the API.
 */
export const INBOX_LINKS = {
  signIn: '/#sign-in=',
  passwordReset: '/#reset-password=',
  invitation: '/#invitation=',
} as const;

/** The first owner `npm start` makes on a fresh install (env to choose another address). */
export const FIRST_OWNER = {
  emailEnv: 'LOUPE_OWNER_EMAIL',
  defaultEmail: 'owner@localhost',
} as const;


/** Team-side fields' bounds. */
export const TEAM_LIMITS = {
  nameMaxChars: 200,
  emailMaxChars: 254,
  allowedOriginsMax: 100,
  /** A webhook endpoint's URL. */
  urlMaxChars: 2000,
  /** Bodies of the team routes are small JSON objects. */
  maxBodyBytes: 16 * 1024,
} as const;

/** Answers of POST /api/projects/:clientId/reporter-links (400s carry them under `issues`). */
export const REPORTER_LINK_ERRORS = {
  bodyNotObject: 'Body must be a JSON object',
  environmentNotString: 'Expected a string',
  environmentPlaceholder: (value: string) => `Omit environment for the default one: "${value}" would create a separate environment`,
  environmentTooLong: (max: number) => `Must be at most ${max} characters`,
} as const;

/** Comments and notifications (docs/team-api.md "Discussion and history", "Notifications"). */
export const DISCUSSION_LIMITS = {
  /** A comment's body, in characters (UTF-16 code units, as the inbox's text box counts). */
  commentMaxChars: 10_000,
  /** Notifications one GET answers by default, and at most. */
  notificationsDefault: 20,
  notificationsMax: 100,
  /** Ids one "mark read" may name. */
  markReadMaxIds: 100,
  /** Members one comment can mention (the rest are ignored). */
  maxMentions: 50,
} as const;

/** The discussion routes' refusals. */
export const DISCUSSION_ERRORS = {
  commentNotFound: 'Comment not found',
  notAuthor: 'Only its author may change a comment',
  commentDeleted: 'This comment was deleted',
} as const;

/**
 * Outbound deliveries to webhooks and trackers (server/outbox): the durable queue's timings
 * and each request's limits. The first retries come within a minute; the later ones spread the
 * tries over more than a day (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h, 8 h:
 * about 32 h) before the delivery is marked failed.
 */
export const OUTBOUND = {
  allowedHostsEnvVar: 'WEBHOOK_ALLOWED_HOSTS',
  /** How often the queue is looked at when nothing woke the worker up sooner. */
  pollMs: 1_000,
  /** Deliveries claimed at once, and how many of them are sent at the same time. */
  batch: 32,
  concurrency: 8,
  /** Reports and changes fanned out per round. */
  fanOutBatch: 100,
  /** How long a claim holds: longer than a batch takes (batch / concurrency × timeout). */
  lockMs: 2 * 60_000,
  retryDelaysMs: [5_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000, 2 * 60 * 60_000, 4 * 60 * 60_000, 8 * 60 * 60_000, 8 * 60 * 60_000, 8 * 60 * 60_000],
  /** The longest wait a `Retry-After` may ask for. */
  maxRetryAfterMs: 24 * 60 * 60_000,
  /** A delivery that gives up turns its integration off when it has been failing this long. */
  disableAfterFailingMs: 24 * 60 * 60_000,
  /** Each request's deadline, from connect to the answer's last byte. */
  timeoutMs: 10_000,
  /** The most of an answer's body that is read; the rest is dropped. */
  maxResponseBytes: 64 * 1024,
  /** The start of an answer kept with the delivery, shown to owners. */
  excerptChars: 1_000,
  maxErrorChars: 500,
  /** Recent deliveries the inbox shows per endpoint. */
  listLimit: 50,
  userAgent: 'Loupe-Webhooks/1',
} as const;

/** GitHub as a tracker (server/outbox/github.ts). */
export const GITHUB = {
  apiUrlEnvVar: 'GITHUB_API_URL',
  defaultApiUrl: 'https://api.github.com',
  /** Issues lists are long: a page of them may be this big. */
  maxResponseBytes: 4 * 1024 * 1024,
  /** Issues created since a delivery was queued that are looked at for its marker. */
  lookBack: 100,
  /** How much earlier than the queueing the look back starts, for clocks that disagree. */
  clockSkewMs: 10 * 60_000,
  needsAttention: 'needs attention: check the token and its access to the repository',
  /** The most of GitHub's own webhook body that is read. */
  hookMaxBytes: 1024 * 1024,
} as const;

/** Jira Cloud as a tracker (server/outbox/jira.ts, routes/jira-hook.ts). */
export const JIRA = {
  /** Its Loupe state's Jira status, unless the connection names others. */
  defaultStatusMap: { new: 'To Do', in_progress: 'In Progress', done: 'Done' },
  defaultIssueType: 'Task',
  /** The label that marks a report's issue, found by JQL before creating another. */
  labelPrefix: 'loupe-',
  /** Search answers carry whole issues: one may be this big. */
  maxResponseBytes: 1024 * 1024,
  needsAttention: 'needs attention: check the e-mail, the API token, its access to the project and the issue type',
  /** The most of Jira's own webhook body that is read. */
  hookMaxBytes: 1024 * 1024,
} as const;

/**
 * Slack as a tracker (server/outbox/slack.ts): a message per new report through an incoming
 * webhook. Limits are Block Kit's (https://docs.slack.dev/reference/block-kit/blocks).
 */
export const SLACK = {
  /** Slack's answers that no retry fixes: the webhook removed or disabled (404), its channel archived (410), a refusal (403). */
  attentionStatuses: [403, 404, 410],
  needsAttention: 'needs attention: the webhook was removed or its channel is gone; connect a new webhook URL',
  headerMaxChars: 150,
  sectionMaxChars: 3000,
  fieldMaxChars: 2000,
  /** The notification's text (`text`, shown where blocks are not): kept short. */
  fallbackMaxChars: 300,
} as const;

/**
 * The e-mail queue's sender (server/notify/sender.ts), on when env SMTP_URL and SMTP_FROM
 * are set. A failed try is retried after the next delay of `retryDelaysMs`; after
 * `maxAttempts` tries the e-mail is given up (kept, with its last error).
 */
export const EMAIL_QUEUE = {
  smtpUrlEnvVar: 'SMTP_URL',
  fromEnvVar: 'SMTP_FROM',
  /** How often the queue is looked at when nothing woke the sender up sooner. */
  pollMs: 5_000,
  /** E-mails claimed at once. */
  batch: 10,
  /** How long a claim holds: longer than a batch takes to send, so no other instance takes them meanwhile. */
  lockMs: 5 * 60_000,
  retryDelaysMs: [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000],
  maxAttempts: 6,
  /** Each SMTP step (connect, greeting, every reply) must answer within this long. */
  smtpTimeoutMs: 20_000,
  /** The longest `lastError` kept. */
  maxErrorChars: 500,
} as const;

/**
 * OpenID Connect sign-in (docs/team-api.md "Signing in"), on when OIDC_ISSUER is set. The
 * state, nonce and PKCE verifier of a sign-in under way wait in a signed cookie that only
 * the callback is sent, for `stateTtlMs`.
 */
export const OIDC = {
  issuerEnvVar: 'OIDC_ISSUER',
  clientIdEnvVar: 'OIDC_CLIENT_ID',
  clientSecretEnvVar: 'OIDC_CLIENT_SECRET',
  nameEnvVar: 'OIDC_NAME',
  defaultName: 'Sign in with SSO',
  callbackPath: '/api/auth/oidc/callback',
  scope: 'openid email',
  stateCookie: 'loupe_oidc',
  stateTtlMs: 10 * 60_000,
  /** Discovery, token and userinfo requests to the provider give up after this long. */
  requestTimeoutSeconds: 10,
} as const;
