//! Reads the search index needs from the store.

use super::Store;

impl Store {
    /// (published article count, their latest `updated` in ms): what the search index
    /// holds (withdrawn articles are kept out of it). It changes whenever a published
    /// article is added, changed, withdrawn or deleted, so the index can tell whether it is
    /// in step.
    pub async fn search_fingerprint(&self) -> anyhow::Result<(i64, i64)> {
        let (n, updated): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(updated) FROM articles WHERE status = 'published'",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((n, updated.unwrap_or(0)))
    }
}
