/**
 * Database rows (snake_case), as both engines return them, and their conversion to the
 * Storage types: the SQLite and PostgreSQL adapters share one shape per table.
 */
import type { Priority } from './team-types.ts';
import type { Client, FeedbackRow, FeedbackState, ProjectKey, RememberedAnswer, ReplayRow } from './types.ts';

/** A `clients` row. */
export interface ClientRecord {
  id: string;
  name: string;
  allowed_origins: string;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  notify_reporter_on_done: number | boolean;
  created_at: string;
}

/** A `feedback` row. */
export interface FeedbackRecord {
  id: string;
  client_id: string;
  rating: number | null;
  comment: string | null;
  user_email: string | null;
  page_url: string | null;
  page_title: string | null;
  referrer: string | null;
  environment: string | null;
  screenshots: string | null;
  metadata: string | null;
  session_replay_id: string | null;
  replay_offset_ms: number | null;
  state: FeedbackState;
  assignee_id: string | null;
  priority: Priority;
  user_agent: string | null;
  origin: string | null;
  created_at: string;
  updated_at: string;
}

/** A `replays` row. */
export interface ReplayRecord {
  id: string;
  client_id: string;
  file_name: string;
  file_size: number;
  duration_ms: number;
  event_count: number;
  started_at: string;
  created_at: string;
}

/** A client as Storage hands it out. */
export function toClient(r: ClientRecord): Client {
  return {
    id: r.id,
    name: r.name,
    allowedOrigins: JSON.parse(r.allowed_origins) as string[],
    notifyReporterOnDone: Boolean(r.notify_reporter_on_done),
    createdAt: r.created_at,
  };
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** A feedback item as Storage hands it out, JSON columns parsed. */
export function toFeedback(r: FeedbackRecord): FeedbackRow {
  return {
    id: r.id,
    clientId: r.client_id,
    rating: r.rating,
    comment: r.comment,
    userEmail: r.user_email,
    pageUrl: r.page_url,
    pageTitle: r.page_title,
    referrer: r.referrer,
    environment: r.environment,
    screenshots: parseJson(r.screenshots),
    metadata: parseJson(r.metadata),
    sessionReplayId: r.session_replay_id,
    replayOffsetMs: r.replay_offset_ms,
    state: r.state,
    assigneeId: r.assignee_id,
    priority: r.priority,
    userAgent: r.user_agent,
    origin: r.origin,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A replay as Storage hands it out. */
export function toReplay(r: ReplayRecord): ReplayRow {
  return {
    id: r.id,
    clientId: r.client_id,
    fileName: r.file_name,
    fileSize: r.file_size,
    durationMs: r.duration_ms,
    eventCount: r.event_count,
    startedAt: r.started_at,
    createdAt: r.created_at,
  };
}

/** A `project_keys` row. */
export interface ProjectKeyRecord {
  kid: string;
  client_id: string;
  name: string | null;
  secret_encrypted: string;
  created_at: string;
  revoked_at: string | null;
}

/** A key as Storage hands it out. */
export function toProjectKey(r: ProjectKeyRecord): ProjectKey {
  return {
    kid: r.kid,
    clientId: r.client_id,
    name: r.name,
    secretEncrypted: r.secret_encrypted,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** An `idempotency_keys` row. */
export interface IdempotencyRecord {
  route: string;
  client_id: string;
  key: string;
  status: number;
  body_json: string;
  created_at: string;
  expires_at: string;
}

/** A remembered answer as Storage hands it out. */
export function toRemembered(r: IdempotencyRecord): RememberedAnswer {
  return {
    scope: { route: r.route, clientId: r.client_id, key: r.key },
    answer: { status: r.status, bodyJson: r.body_json },
    createdAtIso: r.created_at,
    expiresAtIso: r.expires_at,
  };
}
