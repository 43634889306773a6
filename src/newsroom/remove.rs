//! Removing articles (`sahifa remove`, a source taken down): the rows go, with one `delete`
//! change each, so every node's search and pages drop them.

use super::Newsroom;

impl Newsroom {
    /// Removes the articles `ids` of `source`, or all of its articles when `ids` is `None`;
    /// returns how many were stored.
    pub async fn remove(&self, source: &str, ids: Option<&[String]>) -> anyhow::Result<u64> {
        let mut w = self.store.write_articles().await?;
        let n = w.delete(source, ids).await?;
        w.commit().await?;
        if n > 0 {
            self.flush().await?;
        }
        Ok(n)
    }
}
