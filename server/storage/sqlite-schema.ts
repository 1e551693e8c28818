/**
 * SQLite schema, one migration per entry. The database's `PRAGMA user_version` counts the
 * migrations already applied; append new entries, never edit shipped ones.
 */

/** Migrations in order; entry `i` takes the database from version `i` to `i + 1`. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE clients (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '[]', -- JSON array of normalized origins
    created_at      TEXT NOT NULL
  );
  CREATE TABLE feedback (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients (id),
    rating            INTEGER,
    comment           TEXT,
    user_email        TEXT,
    page_url          TEXT,
    page_title        TEXT,
    referrer          TEXT,
    environment       TEXT,    -- NULL is the default environment
    screenshots       TEXT,    -- JSON array, NULL when none were sent
    metadata          TEXT,    -- JSON object, NULL when none was sent
    session_replay_id TEXT,
    replay_offset_ms  INTEGER,
    state             TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'in_progress', 'done')),
    user_agent        TEXT,
    origin            TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
  );
  -- The read API lists one client's feedback newest-updated first.
  CREATE INDEX feedback_client_updated ON feedback (client_id, updated_at);
  `,
  `
  -- Answers to requests sent with an Idempotency-Key, replayed to retries of the same key.
  CREATE TABLE idempotency_keys (
    route      TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    key        TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body_json  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX idempotency_scope ON idempotency_keys (route, client_id, key);
  CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);
  `,
  `
  -- Uploaded session replays; the gzip itself is in the file store under file_name.
  CREATE TABLE replays (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    file_name   TEXT NOT NULL,
    file_size   INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  `,
];
