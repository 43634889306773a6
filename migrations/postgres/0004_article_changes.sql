-- The article change log: one row per article written, appended in the same transaction as
-- the write (src/newsroom through src/store/article_write.rs). Every process that serves
-- search applies it to its own index, and its front-page cache follows it.
-- Transactions can commit out of `seq` order here, so each row also records the id of the
-- transaction that wrote it; readers only take rows of transactions older than the oldest
-- one still running (src/store/article_changes.rs explains the cursor).
CREATE TABLE article_changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    source TEXT NOT NULL,
    ext_id TEXT NOT NULL,
    -- upsert | status | labels | delete
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX article_changes_txid ON article_changes (txid, seq);
CREATE INDEX article_changes_at ON article_changes (at);

-- One row: this log's identity (an index that followed another database's log is rebuilt)
-- and the position up to which old changes were pruned (an index behind it is rebuilt).
CREATE TABLE article_log (
    id TEXT NOT NULL,
    pruned_txid BIGINT NOT NULL DEFAULT 0,
    pruned_seq BIGINT NOT NULL DEFAULT 0
);
INSERT INTO article_log (id) VALUES (md5(random()::text || clock_timestamp()::text));
