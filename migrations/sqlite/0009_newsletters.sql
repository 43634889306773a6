-- Newsletters: the lists, their subscribers (members or confirmed visitor addresses), the
-- subscriptions per list, editions, and the delivery ledger with one row per (edition,
-- recipient), which is what makes a send crash-safe and never double. Times are Unix ms.
ALTER TABLE users ADD COLUMN time_zone TEXT;

CREATE TABLE newsletters (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    section TEXT,
    schedule TEXT NOT NULL DEFAULT '',
    min_items BIGINT NOT NULL DEFAULT 3,
    created BIGINT NOT NULL
);

-- One row per address that can receive newsletters: a member (user_pk, address read from
-- users at queue time) or a visitor (email). Bounces are counted here.
CREATE TABLE subscribers (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    user_pk BIGINT UNIQUE REFERENCES users (pk) ON DELETE CASCADE,
    email TEXT UNIQUE,
    name TEXT,
    time_zone TEXT,
    hard_bounces BIGINT NOT NULL DEFAULT 0,
    soft_bounces BIGINT NOT NULL DEFAULT 0,
    stopped_at BIGINT,
    created BIGINT NOT NULL
);

-- state: pending (visitor awaiting the opt-in click) | active | ended.
CREATE TABLE subscriptions (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    newsletter_pk BIGINT NOT NULL REFERENCES newsletters (pk) ON DELETE CASCADE,
    subscriber_pk BIGINT NOT NULL REFERENCES subscribers (pk) ON DELETE CASCADE,
    state TEXT NOT NULL,
    confirm_hash TEXT UNIQUE,
    confirm_expires BIGINT,
    created BIGINT NOT NULL,
    confirmed_at BIGINT,
    ended_at BIGINT,
    UNIQUE (newsletter_pk, subscriber_pk)
);
CREATE INDEX subscriptions_active ON subscriptions (newsletter_pk, state);

-- period: the local date (or ISO week) an edition is for; 'manual-<n>' for sends by hand.
-- state: sending | done | skipped.
CREATE TABLE editions (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    newsletter_pk BIGINT NOT NULL REFERENCES newsletters (pk) ON DELETE CASCADE,
    period TEXT NOT NULL,
    subject TEXT NOT NULL,
    preheader TEXT NOT NULL DEFAULT '',
    intro TEXT NOT NULL DEFAULT '',
    items TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL,
    created BIGINT NOT NULL,
    UNIQUE (newsletter_pk, period)
);

-- The ledger. state: queued -> sending -> sent | failed | uncertain. A row is 'sending'
-- only while its SMTP transaction may be under way; a lapsed lease on such a row means it
-- may have been delivered, so it becomes 'uncertain' and is never re-sent automatically.
CREATE TABLE deliveries (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    edition_pk BIGINT NOT NULL REFERENCES editions (pk) ON DELETE CASCADE,
    subscriber_pk BIGINT NOT NULL REFERENCES subscribers (pk) ON DELETE CASCADE,
    subscription_pk BIGINT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    payload TEXT,
    not_before BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    queued_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (edition_pk, subscriber_pk)
);
CREATE INDEX deliveries_due ON deliveries (state, not_before);
CREATE INDEX deliveries_edition ON deliveries (edition_pk, state);

-- Shared send-rate windows per transport, so several workers keep one limit together.
CREATE TABLE send_rates (
    transport TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    used BIGINT NOT NULL
);
