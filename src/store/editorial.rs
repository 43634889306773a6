//! What the editor's desk needs from the store: articles of one source with drafts, status,
//! and labels set by a person.

use super::{Store, from_millis};
use crate::model::Section;

/// One line of the desk's article list.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskItem {
    pub source: String,
    pub id: String,
    pub title: String,
    pub section: Option<Section>,
    /// `published` or `draft`.
    pub status: String,
    pub updated: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Articles of `source`, drafts included, most recently changed first.
    pub async fn desk_articles(
        &self,
        source: &str,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<Vec<DeskItem>> {
        let rows: Vec<(String, String, String, Option<String>, String, i64)> = sqlx::query_as(
            "SELECT source, ext_id, title, section, status, updated FROM articles \
             WHERE source = $1 ORDER BY updated DESC, pk DESC LIMIT $2 OFFSET $3",
        )
        .bind(source)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(source, id, title, section, status, updated)| DeskItem {
                source,
                id,
                title,
                section: section.as_deref().and_then(Section::parse),
                status,
                updated: from_millis(updated),
            })
            .collect())
    }

    /// `published` or `draft`; `None` when there is no such article.
    pub async fn article_status(&self, source: &str, id: &str) -> anyhow::Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT status FROM articles WHERE source = $1 AND ext_id = $2")
                .bind(source)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.0))
    }
}
