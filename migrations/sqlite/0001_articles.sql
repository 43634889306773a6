-- Articles, tags and their links. Times are Unix milliseconds (UTC).
CREATE TABLE articles (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    title TEXT NOT NULL,
    subtitle TEXT,
    body TEXT NOT NULL,
    section TEXT,
    section_confidence REAL,
    section_origin TEXT NOT NULL DEFAULT 'source',
    url TEXT,
    published BIGINT,
    imported BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    sort_time BIGINT NOT NULL,
    language TEXT NOT NULL DEFAULT 'ar',
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'published',
    UNIQUE (source, ext_id)
);
CREATE INDEX articles_sort ON articles (sort_time DESC, pk DESC);
CREATE INDEX articles_section_sort ON articles (section, sort_time DESC);

CREATE TABLE tags (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'topic'
);

CREATE TABLE article_tags (
    article_pk BIGINT NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    tag_pk BIGINT NOT NULL REFERENCES tags (pk) ON DELETE CASCADE,
    origin TEXT NOT NULL DEFAULT 'model',
    score REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (article_pk, tag_pk)
);
CREATE INDEX article_tags_tag ON article_tags (tag_pk, article_pk);
