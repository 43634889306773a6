-- For you: what members follow, the signals they give (open, read, save, more, less,
-- hide) and editors' pins. Times are Unix milliseconds (UTC).
CREATE TABLE follows (
    user_pk BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created BIGINT NOT NULL,
    PRIMARY KEY (user_pk, kind, value)
);

CREATE TABLE signals (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    user_pk BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    axis TEXT,
    value TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX signals_user_at ON signals (user_pk, at DESC);
CREATE INDEX signals_user_kind ON signals (user_pk, kind, source);

CREATE TABLE editor_pins (
    source TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    pinned_by BIGINT REFERENCES users (pk) ON DELETE SET NULL,
    created BIGINT NOT NULL,
    until BIGINT NOT NULL,
    PRIMARY KEY (source, ext_id)
);
