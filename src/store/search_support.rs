//! Reads the search index needs from the store.

use super::Store;

impl Store {
    /// (article count, latest `updated` in ms): changes whenever an article is added,
    /// changed or deleted, so the search index can tell whether it is in step.
    pub async fn search_fingerprint(&self) -> anyhow::Result<(i64, i64)> {
        let (n, updated): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(updated) FROM articles")
                .fetch_one(self.pool())
                .await?;
        Ok((n, updated.unwrap_or(0)))
    }
}
