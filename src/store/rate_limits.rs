//! Rate-limit events kept in the database, shared by every node of a site.

use super::{Backend, Store};

/// Events under `key` after `since_ms`, on a pool or inside a transaction.
async fn count_since<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    key: &str,
    since_ms: i64,
) -> anyhow::Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(since_ms)
            .fetch_one(db)
            .await?;
    Ok(n)
}

/// Longest window any limit uses; older events are pruned.
const KEEP_MS: i64 = 24 * 3600 * 1000;

impl Store {
    /// Records an event under `key` at `now_ms` if fewer than `max` happened in the
    /// `window_ms` before it; says whether it was within the limit. On PostgreSQL the check
    /// and the insert hold a per-key lock, so two nodes cannot both take the last slot.
    pub async fn rate_allow(
        &self,
        key: &str,
        max: i64,
        window_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        // The check and the insert in one statement: on SQLite it takes the write lock
        // before it reads, so two processes (or two jobs) on one file cannot both see the
        // last free slot (a read-then-write transaction would fail with SQLITE_BUSY instead).
        let inserted = sqlx::query(
            "INSERT INTO rate_events (key, at) SELECT $1, $2 \
             WHERE (SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $3) < $4",
        )
        .bind(key)
        .bind(now_ms)
        .bind(now_ms - window_ms)
        .bind(max)
        .execute(&mut *tx)
        .await?;
        let allowed = inserted.rows_affected() == 1;
        tx.commit().await?;
        self.rate_prune(now_ms).await?;
        Ok(allowed)
    }

    /// Events under `key` in the `window_ms` before `now_ms`.
    pub async fn rate_count(&self, key: &str, window_ms: i64, now_ms: i64) -> anyhow::Result<i64> {
        count_since(&self.pool, key, now_ms - window_ms).await
    }

    /// Records an event under `key` without checking.
    pub async fn rate_record(&self, key: &str, now_ms: i64) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO rate_events (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Now and then (about one call in 256, chosen by time), deletes events older than any
    /// window.
    async fn rate_prune(&self, now_ms: i64) -> anyhow::Result<()> {
        if now_ms % 256 == 0 {
            sqlx::query("DELETE FROM rate_events WHERE at < $1")
                .bind(now_ms - KEEP_MS)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
