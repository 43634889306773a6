//! Removal of articles (`sahifa remove`, the desk's delete): a tombstone each (their URLs
//! answer 410 Gone), then the newsroom's one write path deletes them and logs the change,
//! which every node's search index and front pages follow. Members' saved copies stay.
//! Each batch is its own transactions, so an interrupted removal is finished by running it
//! again.

use crate::newsroom::Newsroom;

/// Articles removed per batch.
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
        write!(f, "removed {}", self.removed)
    }
}

/// Removes the articles `ids` of `source` (all its articles when `ids` is empty).
pub async fn remove(
    newsroom: &Newsroom,
    source: &str,
    ids: &[String],
) -> anyhow::Result<RemoveReport> {
    let store = newsroom.store();
    let mut report = RemoveReport::default();
    let mut after = String::new();
    loop {
        let chunk: Vec<String> = if ids.is_empty() {
            let c = store.source_article_ids(source, &after, BATCH).await?;
            if let Some(last) = c.last() {
                after = last.clone();
            }
            c
        } else {
            let start = report.removed as usize + report.missing.len();
            ids.iter()
                .skip(start)
                .take(BATCH as usize)
                .cloned()
                .collect()
        };
        if chunk.is_empty() {
            break;
        }
        let marked = store.tombstone_articles(source, &chunk).await?;
        if !marked.removed.is_empty() {
            newsroom.remove(source, Some(&marked.removed)).await?;
        }
        report.kept_copies += marked.kept_copies;
        report.removed += marked.removed.len() as u64;
        report
            .missing
            .extend(chunk.into_iter().filter(|id| !marked.removed.contains(id)));
    }
    Ok(report)
}
