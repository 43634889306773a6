-- Saved articles: a member's own copy of an article, taken when saved. It does not refer to
-- the articles table (no foreign key), so it outlives the article and its source; it goes
-- with the member's account. `terms` holds the analyzer's distinct stems of the copy
-- (" stem1 stem2 … "), for saved search. Times are Unix milliseconds (UTC).
CREATE TABLE saved_items (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    user_pk BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    source TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    title TEXT NOT NULL,
    subtitle TEXT,
    body TEXT NOT NULL,
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    url TEXT,
    published BIGINT,
    content_hash TEXT NOT NULL,
    note TEXT,
    saved_at BIGINT NOT NULL,
    refreshed_at BIGINT,
    terms TEXT NOT NULL,
    UNIQUE (user_pk, source, ext_id)
);
CREATE INDEX saved_items_recent ON saved_items (user_pk, saved_at DESC, pk DESC);

-- Tag slugs of each saved copy, for the tag filter of the saved list.
CREATE TABLE saved_item_tags (
    saved_pk BIGINT NOT NULL REFERENCES saved_items (pk) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    PRIMARY KEY (saved_pk, slug)
);

-- Articles taken down with `sahifa remove` or the desk's delete: their URLs answer 410.
CREATE TABLE removed_articles (
    source TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    removed_at BIGINT NOT NULL,
    PRIMARY KEY (source, ext_id)
);
