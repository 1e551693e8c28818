/**
 * PostgreSQL schema, one migration per entry; `schema_migrations` records the versions
 * applied (server/storage/pg.ts). Append new entries, never edit shipped ones.
 *
 * It is the SQLite schema (sqlite-schema.ts) as it stands after all of its migrations, so
 * both engines hold, order and count the same: every text column is `COLLATE "C"`, which
 * compares and sorts byte-wise as SQLite's BINARY does whatever the database's locale, and
 * integers are `bigint` (SQLite's are 64-bit). JSON is kept as text, returned as stored.
 */

/**
 * How many rows each kept count is striped over (migration 2): a transaction adds to the
 * row of its connection's slot (backend pid modulo this), and a count sums them all. Part of
 * a shipped migration: changing it takes a new one.
 */
export const COUNT_SLOTS = 64;

/** Migrations in order; entry `i` takes the database from version `i` to `i + 1`. */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE clients (
    id              text COLLATE "C" PRIMARY KEY,
    name            text COLLATE "C" NOT NULL,
    allowed_origins text COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of normalized origins
    created_at      text COLLATE "C" NOT NULL
  );
  CREATE TABLE feedback (
    id                text COLLATE "C" PRIMARY KEY,
    client_id         text COLLATE "C" NOT NULL REFERENCES clients (id),
    rating            bigint,
    comment           text COLLATE "C",
    user_email        text COLLATE "C",
    page_url          text COLLATE "C",
    page_title        text COLLATE "C",
    referrer          text COLLATE "C",
    environment       text COLLATE "C",    -- NULL is the default environment
    screenshots       text COLLATE "C",    -- JSON array, NULL when none were sent
    metadata          text COLLATE "C",    -- JSON object, NULL when none was sent
    session_replay_id text COLLATE "C",
    replay_offset_ms  bigint,
    state             text COLLATE "C" NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'in_progress', 'done')),
    user_agent        text COLLATE "C",
    origin            text COLLATE "C",
    created_at        text COLLATE "C" NOT NULL,
    updated_at        text COLLATE "C" NOT NULL
  );
  -- Cursor paging orders by (sort key, id): each list order has an index ending in both,
  -- so a page is one index range scan whatever the table's size.
  CREATE INDEX feedback_client_updated ON feedback (client_id, updated_at, id);
  CREATE INDEX feedback_client_created ON feedback (client_id, created_at, id);
  CREATE INDEX feedback_client_state_updated ON feedback (client_id, state, updated_at, id);

  -- Answers to requests sent with an Idempotency-Key, replayed to retries of the same key.
  CREATE TABLE idempotency_keys (
    route      text COLLATE "C" NOT NULL,
    client_id  text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    status     bigint NOT NULL,
    body_json  text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    expires_at text COLLATE "C" NOT NULL,
    CONSTRAINT idempotency_scope PRIMARY KEY (route, client_id, key)
  );
  CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);

  -- Uploaded session replays; the gzip itself is in the file store under file_name.
  CREATE TABLE replays (
    id          text COLLATE "C" PRIMARY KEY,
    client_id   text COLLATE "C" NOT NULL REFERENCES clients (id),
    file_name   text COLLATE "C" NOT NULL,
    file_size   bigint NOT NULL,
    duration_ms bigint NOT NULL,
    event_count bigint NOT NULL,
    started_at  text COLLATE "C" NOT NULL,
    created_at  text COLLATE "C" NOT NULL
  );
  CREATE UNIQUE INDEX replays_file_name ON replays (file_name);

  -- Read API keys: the secret is kept encrypted with the master key (server/auth/keys.ts).
  CREATE TABLE project_keys (
    kid              text COLLATE "C" PRIMARY KEY,
    client_id        text COLLATE "C" NOT NULL REFERENCES clients (id),
    name             text COLLATE "C",
    secret_encrypted text COLLATE "C" NOT NULL,
    created_at       text COLLATE "C" NOT NULL,
    revoked_at       text COLLATE "C"
  );
  CREATE INDEX project_keys_client ON project_keys (client_id, created_at);

  -- Uploaded screenshots, one row per stored file, written in the same transaction as the
  -- upload's remembered answer; a stored file no row names is an orphan the sweep removes.
  CREATE TABLE screenshots (
    file_name  text COLLATE "C" PRIMARY KEY,
    client_id  text COLLATE "C" NOT NULL REFERENCES clients (id),
    file_size  bigint NOT NULL,
    mime_type  text COLLATE "C" NOT NULL,
    width      bigint NOT NULL,
    height     bigint NOT NULL,
    created_at text COLLATE "C" NOT NULL
  );

  -- Shared rate limits (server/shared-rate-limit.ts): one GCRA bucket per key, its
  -- theoretical arrival time in ms. A bucket at or before now is full and may be deleted.
  CREATE TABLE rate_buckets (
    key    text COLLATE "C" PRIMARY KEY,
    tat_ms bigint NOT NULL
  );

  -- Counts per (client, state, environment, rating), kept by a trigger in the same
  -- transaction as the row, so counting by those (the inbox's tabs) reads a few rows, not
  -- every matching item. NULL environment (default) and NULL rating are buckets of their
  -- own: NULLS NOT DISTINCT (PostgreSQL 15) makes them one row each, which the upsert needs.
  CREATE TABLE feedback_counts (
    client_id   text COLLATE "C" NOT NULL,
    state       text COLLATE "C" NOT NULL,
    environment text COLLATE "C",
    rating      bigint,
    n           bigint NOT NULL,
    CONSTRAINT feedback_counts_key UNIQUE NULLS NOT DISTINCT (client_id, state, environment, rating)
  );

  CREATE FUNCTION feedback_counts_add(c text, s text, e text, r bigint, delta bigint) RETURNS void
  LANGUAGE sql AS $$
    INSERT INTO feedback_counts AS fc (client_id, state, environment, rating, n) VALUES (c, s, e, r, delta)
    ON CONFLICT ON CONSTRAINT feedback_counts_key DO UPDATE SET n = fc.n + excluded.n;
  $$;

  CREATE FUNCTION feedback_counts_track() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      PERFORM feedback_counts_add(NEW.client_id, NEW.state, NEW.environment, NEW.rating, 1);
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM feedback_counts_add(OLD.client_id, OLD.state, OLD.environment, OLD.rating, -1);
    -- A move touches two count rows: always locked in one order (by state), so that two
    -- opposite moves at once cannot deadlock.
    ELSIF NEW.state COLLATE "C" < OLD.state COLLATE "C" THEN
      PERFORM feedback_counts_add(NEW.client_id, NEW.state, NEW.environment, NEW.rating, 1);
      PERFORM feedback_counts_add(OLD.client_id, OLD.state, OLD.environment, OLD.rating, -1);
    ELSE
      PERFORM feedback_counts_add(OLD.client_id, OLD.state, OLD.environment, OLD.rating, -1);
      PERFORM feedback_counts_add(NEW.client_id, NEW.state, NEW.environment, NEW.rating, 1);
    END IF;
    RETURN NULL;
  END;
  $$;

  CREATE TRIGGER feedback_counts_insert_delete AFTER INSERT OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION feedback_counts_track();
  CREATE TRIGGER feedback_counts_update AFTER UPDATE OF client_id, state, environment, rating ON feedback
    FOR EACH ROW WHEN (OLD.client_id IS DISTINCT FROM NEW.client_id OR OLD.state IS DISTINCT FROM NEW.state
      OR OLD.environment IS DISTINCT FROM NEW.environment OR OLD.rating IS DISTINCT FROM NEW.rating)
    EXECUTE FUNCTION feedback_counts_track();
  `,
  // Striped counts. With one row per (client, state, environment, rating), every insert of
  // the same kind updated that one row and held its lock until its commit's WAL flush, so
  // concurrent inserts ran one flush after another (the PostgreSQL ingest bench: ~80% of the
  // busy backends waiting on that lock, ~600 requests/s at 32 connections). A connection runs
  // one transaction at a time, so a row per connection slot takes that wait away; counts
  // read sum(n) already (feedback-sql.ts), over at most COUNT_SLOTS rows per kind. A slot's n
  // may go below zero (a move out of a kind its connection never added to): only sums count.
  `
  ALTER TABLE feedback_counts ADD COLUMN slot smallint NOT NULL DEFAULT 0;
  ALTER TABLE feedback_counts DROP CONSTRAINT feedback_counts_key;
  ALTER TABLE feedback_counts ADD CONSTRAINT feedback_counts_key
    UNIQUE NULLS NOT DISTINCT (client_id, state, environment, rating, slot);
  CREATE OR REPLACE FUNCTION feedback_counts_add(c text, s text, e text, r bigint, delta bigint) RETURNS void
  LANGUAGE sql AS $$
    INSERT INTO feedback_counts AS fc (client_id, state, environment, rating, slot, n)
    VALUES (c, s, e, r, pg_backend_pid() % ${COUNT_SLOTS}, delta)
    ON CONFLICT ON CONSTRAINT feedback_counts_key DO UPDATE SET n = fc.n + excluded.n;
  $$;
  `,
  `
  -- The team side (server/storage/team-types.ts). E-mails are stored lower-cased, so the
  -- unique index is the whole rule. 
  CREATE TABLE users (
    id            text COLLATE "C" PRIMARY KEY,
    email         text COLLATE "C" NOT NULL UNIQUE,
    name          text COLLATE "C",
    password_hash text COLLATE "C",
    server_owner  boolean NOT NULL DEFAULT false,
    created_at    text COLLATE "C" NOT NULL
  );
  -- Only the SHA-256 of a cookie's or a link's token is kept.
  CREATE TABLE sessions (
    id_hash    text COLLATE "C" PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id),
    csrf_token text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    expires_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE one_time_tokens (
    token_hash text COLLATE "C" PRIMARY KEY,
    purpose    text COLLATE "C" NOT NULL CHECK (purpose IN ('sign_in', 'password_reset', 'invitation')),
    user_id    text COLLATE "C" REFERENCES users (id),
    client_id  text COLLATE "C" REFERENCES clients (id),
    role       text COLLATE "C" CHECK (role IN ('owner', 'member', 'viewer')),
    email      text COLLATE "C",
    created_by text COLLATE "C" REFERENCES users (id),
    created_at text COLLATE "C" NOT NULL,
    expires_at text COLLATE "C" NOT NULL,
    used_at    text COLLATE "C"
  );
  CREATE TABLE memberships (
    client_id          text COLLATE "C" NOT NULL REFERENCES clients (id),
    user_id            text COLLATE "C" NOT NULL REFERENCES users (id),
    role               text COLLATE "C" NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    notify_new_reports boolean NOT NULL DEFAULT false,
    created_at         text COLLATE "C" NOT NULL,
    PRIMARY KEY (client_id, user_id)
  );
  CREATE INDEX memberships_user ON memberships (user_id);
  -- lower() under COLLATE "C" folds ASCII only, as SQLite's does: the same rule in both.
  CREATE TABLE labels (
    id         text COLLATE "C" PRIMARY KEY,
    client_id  text COLLATE "C" NOT NULL REFERENCES clients (id),
    name       text COLLATE "C" NOT NULL,
    color      text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL
  );
  CREATE UNIQUE INDEX labels_client_name ON labels (client_id, lower(name));
  CREATE TABLE feedback_labels (
    feedback_id text COLLATE "C" NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    label_id    text COLLATE "C" NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (feedback_id, label_id)
  );
  CREATE INDEX feedback_labels_label ON feedback_labels (label_id);
  CREATE TABLE comments (
    id          text COLLATE "C" PRIMARY KEY,
    client_id   text COLLATE "C" NOT NULL REFERENCES clients (id),
    feedback_id text COLLATE "C" NOT NULL REFERENCES feedback (id),
    author_id   text COLLATE "C" NOT NULL REFERENCES users (id),
    body        text COLLATE "C" NOT NULL,
    created_at  text COLLATE "C" NOT NULL,
    updated_at  text COLLATE "C" NOT NULL,
    deleted_at  text COLLATE "C"
  );
  CREATE INDEX comments_feedback ON comments (feedback_id, created_at, id);
  CREATE TABLE activity (
    id          text COLLATE "C" PRIMARY KEY,
    client_id   text COLLATE "C" NOT NULL REFERENCES clients (id),
    feedback_id text COLLATE "C" NOT NULL REFERENCES feedback (id),
    actor_id    text COLLATE "C" REFERENCES users (id),
    actor_label text COLLATE "C" NOT NULL,
    kind        text COLLATE "C" NOT NULL CHECK (kind IN ('created', 'state', 'assigned', 'labelled', 'priority', 'commented')),
    data        text COLLATE "C" NOT NULL, -- JSON object
    created_at  text COLLATE "C" NOT NULL
  );
  CREATE INDEX activity_feedback ON activity (feedback_id, created_at, id);
  CREATE TABLE notifications (
    id          text COLLATE "C" PRIMARY KEY,
    user_id     text COLLATE "C" NOT NULL REFERENCES users (id),
    client_id   text COLLATE "C" NOT NULL REFERENCES clients (id),
    feedback_id text COLLATE "C" NOT NULL REFERENCES feedback (id),
    kind        text COLLATE "C" NOT NULL CHECK (kind IN ('new_report', 'assigned', 'mentioned')),
    actor_label text COLLATE "C" NOT NULL,
    created_at  text COLLATE "C" NOT NULL,
    read_at     text COLLATE "C"
  );
  CREATE INDEX notifications_user ON notifications (user_id, created_at, id);
  -- The durable e-mail queue; locked_until is a sender's claim, which lapses if it dies.
  CREATE TABLE email_queue (
    id              text COLLATE "C" PRIMARY KEY,
    to_address      text COLLATE "C" NOT NULL,
    subject         text COLLATE "C" NOT NULL,
    text_body       text COLLATE "C" NOT NULL,
    html_body       text COLLATE "C" NOT NULL,
    created_at      text COLLATE "C" NOT NULL,
    attempts        bigint NOT NULL DEFAULT 0,
    next_attempt_at text COLLATE "C",
    sent_at         text COLLATE "C",
    last_error      text COLLATE "C",
    locked_until    text COLLATE "C"
  );
  CREATE INDEX email_queue_due ON email_queue (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

  ALTER TABLE feedback ADD COLUMN assignee_id text COLLATE "C" REFERENCES users (id);
  ALTER TABLE feedback ADD COLUMN priority text COLLATE "C" NOT NULL DEFAULT 'neutral'
    CHECK (priority IN ('urgent', 'high', 'neutral', 'low'));
  CREATE INDEX feedback_client_assignee ON feedback (client_id, assignee_id);
  ALTER TABLE clients ADD COLUMN notify_reporter_on_done boolean NOT NULL DEFAULT false;
  `,
  `
  CREATE TABLE integrations (
    id              text COLLATE "C" PRIMARY KEY,
    client_id       text COLLATE "C" NOT NULL REFERENCES clients (id),
    kind            text COLLATE "C" NOT NULL CHECK (kind IN ('webhook', 'github', 'jira', 'linear', 'slack')),
    name            text COLLATE "C" NOT NULL,
    events          text COLLATE "C" NOT NULL,
    config          text COLLATE "C" NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text COLLATE "C",
    failing_since   text COLLATE "C",
    created_at      text COLLATE "C" NOT NULL
  );
  CREATE INDEX integrations_client ON integrations (client_id, created_at, id);
  CREATE TABLE outbox_events (
    id          text COLLATE "C" PRIMARY KEY,
    client_id   text COLLATE "C" NOT NULL REFERENCES clients (id),
    type        text COLLATE "C" NOT NULL,
    feedback_id text COLLATE "C" NOT NULL REFERENCES feedback (id),
    comment_id  text COLLATE "C",
    changes     text COLLATE "C" NOT NULL,
    source      text COLLATE "C",
    created_at  text COLLATE "C" NOT NULL
  );
  CREATE INDEX outbox_events_order ON outbox_events (created_at, id);
  CREATE TABLE deliveries (
    id               text COLLATE "C" PRIMARY KEY,
    integration_id   text COLLATE "C" NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    client_id        text COLLATE "C" NOT NULL REFERENCES clients (id),
    feedback_id      text COLLATE "C" REFERENCES feedback (id),
    type             text COLLATE "C" NOT NULL,
    payload          text COLLATE "C" NOT NULL,
    created_at       text COLLATE "C" NOT NULL,
    attempts         bigint NOT NULL DEFAULT 0,
    status           text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    next_attempt_at  text COLLATE "C",
    locked_until     text COLLATE "C",
    last_attempt_at  text COLLATE "C",
    response_status  bigint,
    response_excerpt text COLLATE "C",
    last_error       text COLLATE "C"
  );
  CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
  CREATE INDEX deliveries_integration ON deliveries (integration_id, created_at, id);
  CREATE INDEX deliveries_feedback ON deliveries (feedback_id) WHERE feedback_id IS NOT NULL;

  -- Reports stored before this migration count as announced; new ones start at 0.
  ALTER TABLE feedback ADD COLUMN announced bigint NOT NULL DEFAULT 1;
  ALTER TABLE feedback ALTER COLUMN announced SET DEFAULT 0;
  CREATE INDEX feedback_unannounced ON feedback (created_at, id) WHERE announced = 0;
  `,
  `
  CREATE TABLE tracker_links (
    integration_id text COLLATE "C" NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    feedback_id    text COLLATE "C" NOT NULL REFERENCES feedback (id),
    external_id    text COLLATE "C" NOT NULL,
    url            text COLLATE "C" NOT NULL,
    created_at     text COLLATE "C" NOT NULL,
    PRIMARY KEY (integration_id, feedback_id)
  );
  CREATE UNIQUE INDEX tracker_links_external ON tracker_links (integration_id, external_id);
  CREATE INDEX tracker_links_feedback ON tracker_links (feedback_id);
  `,
];
