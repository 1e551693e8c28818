/**
 * The storage boundary. Every method is async so that a PostgreSQL adapter can implement
 * the same interface as the SQLite one. Timestamps are ISO 8601 strings in UTC
 * (`2024-06-07T10:00:00.000Z`): they sort as text and read the same in every database.
 */
import type { ScreenshotRef } from '../../lib/api/schemas.ts';
import type { OutboxStore } from './outbox-types.ts';
import type { Priority, TeamStore } from './team-types.ts';

/** A project that may send feedback. */
export interface Client {
  /** `client_` and ~20 random url-safe characters. */
  id: string;
  name: string;
  /** Normalized origins (`https://app.example.com`); empty means every origin is accepted. */
  allowedOrigins: string[];
  /** E-mail the reporter's shared address when their report moves to `done`. */
  notifyReporterOnDone: boolean;
  createdAt: string;
}

/** A change to a project's settings; absent fields stay as they are. */
export interface ClientChange {
  name?: string;
  allowedOrigins?: string[];
  notifyReporterOnDone?: boolean;
}

/** What it takes to create a client (server/clients.ts makes its id and time). */
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
  /** The member it is assigned to, or `null`. */
  assigneeId: string | null;
  priority: Priority;
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

/** A stored screenshot upload: the file and what the server read from its bytes. */
export interface ScreenshotRow {
  /** `<clientId>/<name>.<ext>` in the file store; the server made it. */
  fileName: string;
  clientId: string;
  fileSize: number;
  /** From the bytes, never from the sender's claim. */
  mimeType: string;
  width: number;
  height: number;
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

/**
 * An answer to remember in the same transaction as the write it answers, so that a crash
 * leaves both or neither. The caller (the idempotency gate) sets the times.
 */
export interface RememberedAnswer {
  scope: IdempotencyScope;
  answer: StoredAnswer;
  createdAtIso: string;
  expiresAtIso: string;
}

/** A read API key of one client. The secret is only ever held here encrypted. */
export interface ProjectKey {
  /** `key_` and random url-safe characters; goes in the JWT header as `kid`. Not a secret. */
  kid: string;
  clientId: string;
  name: string | null;
  /** The secret, encrypted with the master key (server/auth/keys.ts); never the secret itself. */
  secretEncrypted: string;
  createdAt: string;
  /** When it was revoked; a revoked key is never accepted again. */
  revokedAt: string | null;
}

/** Fields the read API filters on (the wire names). */
export type FeedbackFilterField =
  | 'state'
  | 'rating'
  | 'environment'
  | 'userEmail'
  | 'pageUrl'
  | 'comment'
  | 'created_at'
  | 'updated_at'
  | 'assignee'
  | 'label'
  | 'priority';

/** Filter operators; which field takes which is the route's business (server/read-api/schemas.ts). */
export type FeedbackFilterOperator = 'eq' | 'neq' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'starts_with';

/** A filter's value: `null` is "absent" (environment "default", no assignee); times are ISO UTC like the stored ones. */
export type FeedbackFilterValue = string | number | null;

/** One validated condition; several are ANDed. `in` takes a list, every other operator one value. */
export interface FeedbackFilter {
  field: FeedbackFilterField;
  operator: FeedbackFilterOperator;
  value: FeedbackFilterValue | readonly FeedbackFilterValue[];
}

/** How a list is ordered; ties are broken by id in the same direction. */
export interface FeedbackOrder {
  by: 'created_at' | 'updated_at';
  direction: 'asc' | 'desc';
}

/** One page of a client's feedback, in list order, from a cursor. */
export interface FeedbackQuery {
  clientId: string;
  filters: readonly FeedbackFilter[];
  order: FeedbackOrder;
  /** Items per page, 1..100. */
  limit: number;
  /** Id of the last item of the current page: the page after it. At most one of after/before. */
  after?: string;
  /** Id of the first item of the current page: the page before it, still in list order. */
  before?: string;
}

/** A page and where the list goes on from it. */
export interface FeedbackPage {
  items: FeedbackRow[];
  /** Id of the last item when items follow it, else `null`. */
  next: string | null;
  /** Id of the first item when items precede it, else `null`. */
  previous: string | null;
  /** More items in the direction of travel (after the page for `after`/none, before it for `before`). */
  hasMore: boolean;
}

/** The operations the server needs from a database. */
export interface Storage {
  /** The team side: people, members, triage, discussion, notifications (team-types.ts). */
  readonly team: TeamStore;
  /** The outbound side: integrations, their waiting changes and deliveries (outbox-types.ts). */
  readonly outbox: OutboxStore;
  /** Stores a client as given (the caller made its id and time). */
  insertClient(client: Client): Promise<void>;
  /** Every client, oldest first (ties by id). */
  listClients(): Promise<Client[]>;
  /** One client, or `undefined` when no client has that id. */
  getClient(id: string): Promise<Client | undefined>;
  /** Changes a client's settings and returns it, or `undefined` when no client has that id. */
  updateClient(id: string, change: ClientChange): Promise<Client | undefined>;
  /**
   * Stores a feedback item as given (the caller made its id and times) and, in the same
   * transaction, the answer to remember. When a live answer for that scope already exists,
   * nothing is written and that earlier answer is returned (the first answer wins, also
   * across processes); `undefined` means this write committed.
   */
  insertFeedback(row: FeedbackRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined>;
  /** One feedback item, or `undefined`. */
  getFeedback(id: string): Promise<FeedbackRow | undefined>;
  /** A client's feedback, most recently updated first (ties by id, highest first). */
  listFeedback(clientId: string): Promise<FeedbackRow[]>;
  /** Stores a replay's row (its file is already written) with its answer, as insertFeedback does. */
  insertReplay(row: ReplayRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined>;
  /** One replay, or `undefined`. */
  getReplay(id: string): Promise<ReplayRow | undefined>;
  /** Stores a screenshot's row (its file is already written) with its answer, as insertFeedback does. */
  insertScreenshot(row: ScreenshotRow, remember?: RememberedAnswer): Promise<StoredAnswer | undefined>;
  /** The screenshots of this client with these file names that exist, in no particular order. */
  getScreenshots(clientId: string, fileNames: readonly string[]): Promise<ScreenshotRow[]>;
  /** Which of these file names a screenshot or replay row names (a file no row names is an orphan). */
  recordedFiles(fileNames: readonly string[]): Promise<string[]>;
  /** The answer remembered for this scope, unless it expired at or before `nowIso`. */
  getIdempotent(scope: IdempotencyScope, nowIso: string): Promise<StoredAnswer | undefined>;
  /** Deletes records expired at or before `nowIso`; returns how many. */
  pruneIdempotent(nowIso: string): Promise<number>;
  /** Stores a new project key as given (the caller made its kid and encrypted its secret). */
  insertProjectKey(key: ProjectKey): Promise<void>;
  /** One project key, revoked or not, or `undefined`. */
  getProjectKey(kid: string): Promise<ProjectKey | undefined>;
  /** A client's keys, revoked ones included, oldest first (ties by kid). */
  listProjectKeys(clientId: string): Promise<ProjectKey[]>;
  /**
   * Marks a key revoked at `revokedAtIso` (a key revoked before keeps its first time) and
   * returns it, or `undefined` when no key has that kid.
   */
  revokeProjectKey(kid: string, revokedAtIso: string): Promise<ProjectKey | undefined>;
  /**
   * One page of a client's feedback matching every filter, from the query's cursor. Pages
   * stay stable while items are added: the cursor is a position in the order, not an offset.
   * `undefined` when the cursor id is not one of this client's items.
   */
  queryFeedback(query: FeedbackQuery): Promise<FeedbackPage | undefined>;
  /** How many of a client's items match every filter (the length of the whole filtered list). */
  countFeedback(clientId: string, filters: readonly FeedbackFilter[]): Promise<number>;
  /** A rate bucket's state (GCRA: its theoretical arrival time in ms), or `undefined` when none is kept. */
  getRateBucket(key: string): Promise<number | undefined>;
  /**
   * Sets a bucket to `tatMs` when it is still at `expected` (`undefined`: no bucket kept);
   * `false` when another writer moved it first (server/shared-rate-limit.ts retries).
   */
  setRateBucket(key: string, tatMs: number, expected: number | undefined): Promise<boolean>;
  /** Deletes buckets whose time is at or before `nowMs` (they are full, as if absent); returns how many. */
  pruneRateBuckets(nowMs: number): Promise<number>;
  /** The replays with these ids that exist, in no particular order. */
  getReplays(ids: readonly string[]): Promise<ReplayRow[]>;
  /** Every client's feedback, by id, after `after` (exclusive): export's paging (server/transfer). */
  pageFeedback(after: string | undefined, limit: number): Promise<FeedbackRow[]>;
  /** Every replay, by id, after `after` (exclusive). */
  pageReplays(after: string | undefined, limit: number): Promise<ReplayRow[]>;
  /** Every screenshot, by file name, after `after` (exclusive). */
  pageScreenshots(after: string | undefined, limit: number): Promise<ScreenshotRow[]>;
  /** Every project key, by kid, after `after` (exclusive). */
  pageProjectKeys(after: string | undefined, limit: number): Promise<ProjectKey[]>;
  /** Every remembered answer, live or not, by (route, clientId, key), after `after` (exclusive). */
  pageIdempotent(after: IdempotencyScope | undefined, limit: number): Promise<RememberedAnswer[]>;
  /** Stores a remembered answer as given (import); one already kept for its scope is an error. */
  insertIdempotent(record: RememberedAnswer): Promise<void>;
  /** Resolves when the database answers a query; rejects (with why) when it cannot. */
  ping(): Promise<void>;
  /** Releases the connection; safe to call twice. */
  close(): Promise<void>;
}
