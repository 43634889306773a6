-- The durable job queue (account mail, feed polls, newsletter sends, upkeep). A job is a row
-- before it is work: claimed with a lease (claimed_by, lease_until) in one short write,
-- worked outside any transaction, then marked done, retried later with backoff, or failed
-- with its error after its last attempt. Times are milliseconds since the Unix epoch.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    run_after BIGINT NOT NULL,
    unique_key TEXT UNIQUE,
    claimed_by TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    finished BIGINT
);
CREATE INDEX jobs_due ON jobs (run_after, id) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_kind_state ON jobs (kind, state);
CREATE INDEX jobs_finished ON jobs (finished) WHERE state = 'done';

-- Singletons (the scheduler, cleanup) on SQLite: whoever holds an unexpired lease row leads.
-- PostgreSQL elects them with a session-level advisory lock instead.
CREATE TABLE job_leaders (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);
