//! Removal of articles (`sahifa remove`, the desk's delete): the articles leave pages, the
//! API (their URLs answer 410 Gone) and search; members' saved copies stay. Each batch is
//! one transaction, so an interrupted removal is finished by running it again.

use crate::search::SearchIndex;
use crate::store::Store;

/// Articles removed per transaction.
const BATCH: i64 = 500;

/// What a removal did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoveReport {
    pub removed: u64,
    /// Saved copies of the removed articles, which stay with their members.
    pub kept_copies: i64,
    /// Ids asked for that were not stored.
    pub missing: Vec<String>,
}

impl std::fmt::Display for RemoveReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "removed {}, kept {} saved copies",
            self.removed, self.kept_copies
        )
    }
}

/// Removes the articles `ids` of `source` (all its articles when `ids` is empty) from the
/// store, then from `search` when given (its writer may be held by a running server: then
/// the index catches up when it next opens, as it checks itself against the store).
pub async fn remove(
    store: &Store,
    search: Option<&SearchIndex>,
    source: &str,
    ids: &[String],
) -> anyhow::Result<RemoveReport> {
    let mut report = RemoveReport::default();
    let mut removed_ids = Vec::new();
    if ids.is_empty() {
        loop {
            let batch = store.source_article_ids(source, "", BATCH).await?;
            if batch.is_empty() {
                break;
            }
            let done = store.remove_articles(source, &batch).await?;
            report.kept_copies += done.kept_copies;
            removed_ids.extend(done.removed);
        }
    } else {
        for chunk in ids.chunks(BATCH as usize) {
            let done = store.remove_articles(source, chunk).await?;
            report.kept_copies += done.kept_copies;
            report.missing.extend(
                chunk
                    .iter()
                    .filter(|id| !done.removed.contains(id))
                    .cloned(),
            );
            removed_ids.extend(done.removed);
        }
    }
    report.removed = removed_ids.len() as u64;
    if let Some(search) = search
        && !removed_ids.is_empty()
    {
        let unindex = async {
            for id in &removed_ids {
                search.delete(source, id).await?;
            }
            search.commit().await
        };
        if let Err(e) = unindex.await {
            tracing::warn!(error = %format!("{e:#}"),
                "the search index could not be updated now; it is rebuilt from the store when it next opens");
        }
    }
    Ok(report)
}
