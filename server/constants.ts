/**
 * Server limits, defaults and the few user-facing strings the wire contract does not own
 * (those live in lib/api/schemas.ts so the extension and the server share them).
 */
import { SCREENSHOT_MAX_BYTES } from '../lib/api/schemas.ts';

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
} as const;

/** A JSON feedback body may be at most this many bytes on the wire. */
export const FEEDBACK_BODY_MAX_BYTES = 1024 * 1024;

/**
 * Multipart bodies larger than this are refused before they are read. The slack above the
 * screenshot limit covers the multipart framing and the small text fields, so a file just
 * over the limit still reaches the precise per-file check and gets the same answer.
 */
export const SCREENSHOT_BODY_MAX_BYTES = SCREENSHOT_MAX_BYTES + 256 * 1024;

/** Random part lengths, in url-safe characters (6 bits each). */
export const ID_RANDOM_CHARS = {
  client: 20,
  feedback: 24,
  file: 22,
} as const;

/** Prefix of every feedback id. */
export const FEEDBACK_ID_PREFIX = 'fb_';

/** How long browsers may cache a CORS preflight answer. */
export const CORS_MAX_AGE_SECONDS = 86_400;

/** Request headers the extension sends with its POSTs. */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Idempotency-Key'];

/** Methods the public ingest routes answer cross-origin. */
export const CORS_ALLOW_METHODS = ['POST', 'GET', 'OPTIONS'];

/** Stored files never change (every name is new), so caches may keep them for a year. */
export const FILE_CACHE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** The image types the server stores, by file extension; nothing else is ever written or served. */
export const STORED_IMAGE_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
} as const;

/** Origins of extension pages; requests from them are checked against `pageUrl` instead. */
export const EXTENSION_PROTOCOLS = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:'];

/** Server-only answers, shaped like the contract's `{"error": "..."}` bodies. */
export const SERVER_ERRORS = {
  payloadTooLarge: 'Payload too large (max 1MB)',
  notFound: 'Not found',
  unknownClientId: 'Unknown client ID',
  bodyNotJson: 'Body must be valid JSON',
} as const;
