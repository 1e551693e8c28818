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
  `,  `
  -- Read API keys: the caller signs HS256 JWTs with the secret, so the secret itself is kept,
  -- encrypted with the master key (AES-256-GCM; see server/auth/keys.ts), never in clear.
  CREATE TABLE project_keys (
    kid              TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES clients (id),
    name             TEXT,
    secret_encrypted TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    revoked_at       TEXT
  );
  CREATE INDEX project_keys_client ON project_keys (client_id, created_at);

  -- Cursor paging orders by (sort key, id): each list order has an index ending in both,
  -- so a page is one index range scan whatever the table's size.
  DROP INDEX feedback_client_updated;
  CREATE INDEX feedback_client_updated ON feedback (client_id, updated_at, id);
  CREATE INDEX feedback_client_created ON feedback (client_id, created_at, id);
  CREATE INDEX feedback_client_state_updated ON feedback (client_id, state, updated_at, id);

  -- Counts per (client, state, environment, rating), kept by triggers in the same
  -- transaction as the row, so counting by those (the inbox's tabs) reads a few rows, not
  -- every matching item. NULL environment (default) and NULL rating are buckets of their own.
  CREATE TABLE feedback_counts (
    client_id   TEXT NOT NULL,
    state       TEXT NOT NULL,
    environment TEXT,
    rating      INTEGER,
    n           INTEGER NOT NULL
  );
  CREATE INDEX feedback_counts_key ON feedback_counts (client_id, state, environment, rating);
  INSERT INTO feedback_counts (client_id, state, environment, rating, n)
    SELECT client_id, state, environment, rating, count(*) FROM feedback
    GROUP BY client_id, state, environment, rating;

  CREATE TRIGGER feedback_counts_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO feedback_counts (client_id, state, environment, rating, n)
      SELECT NEW.client_id, NEW.state, NEW.environment, NEW.rating, 0
      WHERE NOT EXISTS (SELECT 1 FROM feedback_counts WHERE client_id = NEW.client_id
        AND state = NEW.state AND environment IS NEW.environment AND rating IS NEW.rating);
    UPDATE feedback_counts SET n = n + 1 WHERE client_id = NEW.client_id
      AND state = NEW.state AND environment IS NEW.environment AND rating IS NEW.rating;
  END;
  CREATE TRIGGER feedback_counts_delete AFTER DELETE ON feedback BEGIN
    UPDATE feedback_counts SET n = n - 1 WHERE client_id = OLD.client_id
      AND state = OLD.state AND environment IS OLD.environment AND rating IS OLD.rating;
  END;
  CREATE TRIGGER feedback_counts_update AFTER UPDATE OF client_id, state, environment, rating ON feedback
  WHEN OLD.client_id IS NOT NEW.client_id OR OLD.state IS NOT NEW.state
    OR OLD.environment IS NOT NEW.environment OR OLD.rating IS NOT NEW.rating
  BEGIN
    UPDATE feedback_counts SET n = n - 1 WHERE client_id = OLD.client_id
      AND state = OLD.state AND environment IS OLD.environment AND rating IS OLD.rating;
    INSERT INTO feedback_counts (client_id, state, environment, rating, n)
      SELECT NEW.client_id, NEW.state, NEW.environment, NEW.rating, 0
      WHERE NOT EXISTS (SELECT 1 FROM feedback_counts WHERE client_id = NEW.client_id
        AND state = NEW.state AND environment IS NEW.environment AND rating IS NEW.rating);
    UPDATE feedback_counts SET n = n + 1 WHERE client_id = NEW.client_id
      AND state = NEW.state AND environment IS NEW.environment AND rating IS NEW.rating;
  END;
  `,
  `
  -- Uploaded screenshots, one row per stored file, written in the same transaction as the
  -- upload's remembered answer. A file in the store that no row (here or in replays) names
  -- is an orphan of a crash, and the sweep removes it.
  CREATE TABLE screenshots (
    file_name  TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    file_size  INTEGER NOT NULL,
    mime_type  TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX replays_file_name ON replays (file_name);
  -- Screenshots stored before this table existed are recorded from the feedback that names
  -- them (a file of the same client only), so the sweep does not take them for orphans.
  INSERT OR IGNORE INTO screenshots (file_name, client_id, file_size, mime_type, width, height, created_at)
    SELECT json_extract(shot.value, '$.fileName'), f.client_id,
      coalesce(json_extract(shot.value, '$.fileSize'), 0), coalesce(json_extract(shot.value, '$.mimeType'), ''),
      coalesce(json_extract(shot.value, '$.width'), 0), coalesce(json_extract(shot.value, '$.height'), 0), f.created_at
    FROM feedback AS f, json_each(f.screenshots) AS shot
    WHERE f.screenshots IS NOT NULL AND shot.type = 'object'
      AND typeof(json_extract(shot.value, '$.fileName')) = 'text'
      AND substr(json_extract(shot.value, '$.fileName'), 1, length(f.client_id) + 1) = f.client_id || '/';
  `,
  `
  -- Shared rate limits (server/shared-rate-limit.ts): one GCRA bucket per key, its
  -- theoretical arrival time in ms. A bucket at or before now is full and may be deleted.
  CREATE TABLE rate_buckets (
    key    TEXT PRIMARY KEY,
    tat_ms INTEGER NOT NULL
  );
  `,
  `
  -- The team side (server/storage/team-types.ts). E-mails are stored lower-cased, so the
  -- unique index is the whole rule. Booleans are 0/1.
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT,
    password_hash TEXT,
    server_owner  INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
  );
  -- Only the SHA-256 of a cookie's or a link's token is kept.
  CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('sign_in', 'password_reset', 'invitation')),
    user_id    TEXT REFERENCES users (id),
    client_id  TEXT REFERENCES clients (id),
    role       TEXT CHECK (role IN ('owner', 'member', 'viewer')),
    email      TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
  );
  CREATE TABLE memberships (
    client_id          TEXT NOT NULL REFERENCES clients (id),
    user_id            TEXT NOT NULL REFERENCES users (id),
    role               TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    notify_new_reports INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (client_id, user_id)
  );
  CREATE INDEX memberships_user ON memberships (user_id);
  -- lower() folds ASCII only, here and in PostgreSQL under COLLATE "C": the same rule in both.
  CREATE TABLE labels (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    name       TEXT NOT NULL,
    color      TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX labels_client_name ON labels (client_id, lower(name));
  CREATE TABLE feedback_labels (
    feedback_id TEXT NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    label_id    TEXT NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (feedback_id, label_id)
  );
  CREATE INDEX feedback_labels_label ON feedback_labels (label_id);
  CREATE TABLE comments (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    feedback_id TEXT NOT NULL REFERENCES feedback (id),
    author_id   TEXT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
  );
  CREATE INDEX comments_feedback ON comments (feedback_id, created_at, id);
  CREATE TABLE activity (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    feedback_id TEXT NOT NULL REFERENCES feedback (id),
    actor_id    TEXT REFERENCES users (id),
    actor_label TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('created', 'state', 'assigned', 'labelled', 'priority', 'commented')),
    data        TEXT NOT NULL, -- JSON object
    created_at  TEXT NOT NULL
  );
  CREATE INDEX activity_feedback ON activity (feedback_id, created_at, id);
  CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    client_id   TEXT NOT NULL REFERENCES clients (id),
    feedback_id TEXT NOT NULL REFERENCES feedback (id),
    kind        TEXT NOT NULL CHECK (kind IN ('new_report', 'assigned', 'mentioned')),
    actor_label TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
  );
  CREATE INDEX notifications_user ON notifications (user_id, created_at, id);
  -- The durable e-mail queue; locked_until is a sender's claim, which lapses if it dies.
  CREATE TABLE email_queue (
    id              TEXT PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at         TEXT,
    last_error      TEXT,
    locked_until    TEXT
  );
  CREATE INDEX email_queue_due ON email_queue (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

  ALTER TABLE feedback ADD COLUMN assignee_id TEXT REFERENCES users (id);
  ALTER TABLE feedback ADD COLUMN priority TEXT NOT NULL DEFAULT 'neutral'
    CHECK (priority IN ('urgent', 'high', 'neutral', 'low'));
  CREATE INDEX feedback_client_assignee ON feedback (client_id, assignee_id);
  ALTER TABLE clients ADD COLUMN notify_reporter_on_done INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Outbound (server/storage/outbox-types.ts): a project's integrations (webhook endpoints,
  -- trackers), the changes waiting to be fanned out to them, and one delivery per target and
  -- change, retried until it lands or gives up. A report is announced (feedback.created) once:
  -- reports stored before this migration count as announced.
  CREATE TABLE integrations (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    kind            TEXT NOT NULL CHECK (kind IN ('webhook', 'github', 'jira', 'linear', 'slack')),
    name            TEXT NOT NULL,
    events          TEXT NOT NULL, -- JSON array of event types
    config          TEXT NOT NULL, -- JSON object; its secrets encrypted with the master key
    enabled         INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    failing_since   TEXT,
    created_at      TEXT NOT NULL
  );
  CREATE INDEX integrations_client ON integrations (client_id, created_at, id);
  CREATE TABLE outbox_events (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    type        TEXT NOT NULL,
    feedback_id TEXT NOT NULL REFERENCES feedback (id),
    comment_id  TEXT,
    changes     TEXT NOT NULL, -- JSON array of the fields a feedback.updated changed
    source      TEXT,          -- the integration whose news caused it (not told back)
    created_at  TEXT NOT NULL
  );
  CREATE INDEX outbox_events_order ON outbox_events (created_at, id);
  CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,
    integration_id   TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    client_id        TEXT NOT NULL REFERENCES clients (id),
    feedback_id      TEXT REFERENCES feedback (id),
    type             TEXT NOT NULL,
    payload          TEXT NOT NULL, -- what is sent, fixed when queued
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    next_attempt_at  TEXT,
    locked_until     TEXT,
    last_attempt_at  TEXT,
    response_status  INTEGER,
    response_excerpt TEXT,
    last_error       TEXT
  );
  CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
  CREATE INDEX deliveries_integration ON deliveries (integration_id, created_at, id);
  CREATE INDEX deliveries_feedback ON deliveries (feedback_id) WHERE feedback_id IS NOT NULL;

  ALTER TABLE feedback ADD COLUMN announced INTEGER NOT NULL DEFAULT 0;
  UPDATE feedback SET announced = 1;
  CREATE INDEX feedback_unannounced ON feedback (created_at, id) WHERE announced = 0;
  `,
  `
  -- A report's issue in a tracker (outbox-types.ts TrackerLink): one per report and
  -- tracker connection, and an issue names one report, so a sync finds it either way.
  CREATE TABLE tracker_links (
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    feedback_id    TEXT NOT NULL REFERENCES feedback (id),
    external_id    TEXT NOT NULL, -- the issue's number or key
    url            TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (integration_id, feedback_id)
  );
  CREATE UNIQUE INDEX tracker_links_external ON tracker_links (integration_id, external_id);
  CREATE INDEX tracker_links_feedback ON tracker_links (feedback_id);
  `,
];
