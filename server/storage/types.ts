/**
 * The storage boundary. Every method is async so that a PostgreSQL adapter can implement
 * the same interface as the SQLite one. Timestamps are ISO 8601 strings in UTC
 * (`2024-06-07T10:00:00.000Z`): they sort as text and read the same in every database.
 */
import type { ScreenshotRef } from '../../lib/api/schemas.ts';

/** A project that may send feedback. */
export interface Client {
  /** `client_` and ~20 random url-safe characters. */
  id: string;
  name: string;
  /** Normalized origins (`https://app.example.com`); empty means every origin is accepted. */
  allowedOrigins: string[];
  createdAt: string;
}

/** What it takes to create a client. */
export interface NewClient {
  name: string;
  allowedOrigins?: string[];
}

/** The workflow state a team moves feedback through. */
export type FeedbackState = 'new' | 'in_progress' | 'done';

/** Everything a submission carries, as stored. Absent optional fields are `null`. */
export interface NewFeedback {
  clientId: string;
  rating: number | null;
  comment: string | null;
  userEmail: string | null;
  pageUrl: string | null;
  pageTitle: string | null;
  referrer: string | null;
  /** `null` is the default environment. */
  environment: string | null;
  screenshots: ScreenshotRef[] | null;
  metadata: Record<string, unknown> | null;
  sessionReplayId: string | null;
  replayOffsetMs: number | null;
  /** The submitting request's `User-Agent` header. */
  userAgent: string | null;
  /** The submitting request's `Origin` header (an extension origin when the worker sent it). */
  origin: string | null;
}

/** A stored feedback item. */
export interface FeedbackRow extends NewFeedback {
  /** `fb_` and random url-safe characters; unguessable. */
  id: string;
  state: FeedbackState;
  createdAt: string;
  updatedAt: string;
}

/** A stored replay's file and what the upload check read from its events. */
export interface NewReplay {
  clientId: string;
  /** `<clientId>/<name>.json.gz` in the file store: the gzip exactly as uploaded. */
  fileName: string;
  /** Compressed bytes. */
  fileSize: number;
  /** Last event's timestamp minus the first's. */
  durationMs: number;
  eventCount: number;
  /** The first event's timestamp. */
  startedAt: string;
}

/** A stored replay. */
export interface ReplayRow extends NewReplay {
  /** `rp_` and random url-safe characters; unguessable. */
  id: string;
  createdAt: string;
}

/** Where an Idempotency-Key is unique: the same key on another route or client is another key. */
export interface IdempotencyScope {
  /** e.g. `POST /api/feedback`. */
  route: string;
  clientId: string;
  key: string;
}

/** A remembered successful answer, replayed as is. */
export interface StoredAnswer {
  status: number;
  /** The JSON body exactly as first sent. */
  bodyJson: string;
}

/** The operations the server needs from a database. */
export interface Storage {
  /** Creates a client with a new random id. */
  createClient(input: NewClient): Promise<Client>;
  /** Every client, oldest first. */
  listClients(): Promise<Client[]>;
  /** One client, or `undefined` when no client has that id. */
  getClient(id: string): Promise<Client | undefined>;
  /** Stores a submission as state `new` with a fresh id and timestamps. */
  insertFeedback(input: NewFeedback): Promise<FeedbackRow>;
  /** One feedback item, or `undefined`. */
  getFeedback(id: string): Promise<FeedbackRow | undefined>;
  /** A client's feedback, most recently updated first. */
  listFeedback(clientId: string): Promise<FeedbackRow[]>;
  /** Stores a replay's row with a fresh id and timestamp (its file is already written). */
  insertReplay(input: NewReplay): Promise<ReplayRow>;
  /** One replay, or `undefined`. */
  getReplay(id: string): Promise<ReplayRow | undefined>;
  /** The answer remembered for this scope, unless it expired at or before `nowIso`. */
  getIdempotent(scope: IdempotencyScope, nowIso: string): Promise<StoredAnswer | undefined>;
  /**
   * Remembers an answer until `expiresAtIso`. An expired record for the same scope is
   * replaced; a live one is kept (the first answer wins).
   */
  putIdempotent(scope: IdempotencyScope, answer: StoredAnswer, createdAtIso: string, expiresAtIso: string): Promise<void>;
  /** Deletes records expired at or before `nowIso`; returns how many. */
  pruneIdempotent(nowIso: string): Promise<number>;
  /** Releases the connection; safe to call twice. */
  close(): Promise<void>;
}
