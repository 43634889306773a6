-- Feed sources polled on a schedule, and stories: near-duplicate articles grouped as one.
-- Times are Unix milliseconds (UTC).
CREATE TABLE sources (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT,
    section TEXT,
    category TEXT,
    full_content BIGINT NOT NULL DEFAULT 0,
    every_secs BIGINT NOT NULL,
    interval_secs BIGINT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_checked BIGINT,
    last_success BIGINT,
    last_status TEXT,
    last_error TEXT,
    failures BIGINT NOT NULL DEFAULT 0,
    next_check BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    created BIGINT NOT NULL
);
CREATE INDEX sources_next_check ON sources (next_check);

CREATE TABLE stories (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);
CREATE INDEX stories_last_at ON stories (last_at DESC);

CREATE TABLE story_articles (
    article_pk BIGINT PRIMARY KEY REFERENCES articles (pk) ON DELETE CASCADE,
    story_pk BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    at BIGINT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_pk, at);

-- MinHash LSH bands of recent articles: every node finds candidates here.
CREATE TABLE story_bands (
    band BIGINT NOT NULL,
    article_pk BIGINT NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    PRIMARY KEY (band, article_pk)
);
CREATE INDEX story_bands_at ON story_bands (at);
