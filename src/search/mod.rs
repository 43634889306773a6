//! Full-text search over articles (tantivy). Placeholder until the search issue lands: it
//! accepts writes so the pipeline can call it, and finds nothing.

use std::path::Path;

use crate::model::Article;

/// Handle on the search index; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`.
    pub fn open(_dir: &Path) -> anyhow::Result<SearchIndex> {
        Ok(SearchIndex {})
    }

    /// Adds or replaces articles, keyed by (source, id).
    pub async fn index_articles(&self, _articles: &[Article]) -> anyhow::Result<()> {
        Ok(())
    }

    /// Removes one article.
    pub async fn delete(&self, _source: &str, _id: &str) -> anyhow::Result<()> {
        Ok(())
    }

    /// Makes pending writes visible to searches.
    pub async fn commit(&self) -> anyhow::Result<()> {
        Ok(())
    }
}
