-- Accounts: members, their sessions, personal API tokens, one-time tokens sent by e-mail,
-- and admin settings. Secrets are stored only as SHA-256 (tokens) or argon2id (passwords).
CREATE TABLE users (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL DEFAULT 'reader',
    locale TEXT NOT NULL DEFAULT 'ar',
    verified_at BIGINT,
    created BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_pk BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_pk);

CREATE TABLE api_tokens (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    user_pk BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created BIGINT NOT NULL,
    last_used BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_pk);

CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_pk BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    code_hash TEXT,
    new_email TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_pk, purpose);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
