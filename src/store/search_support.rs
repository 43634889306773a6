//! Reads the search index needs from the store.

use super::Store;

impl Store {
    /// Number of published articles: what the search index holds (withdrawn articles are
    /// kept out of it).
    pub async fn count_published(&self) -> anyhow::Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM articles WHERE status = 'published'")
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }
}
