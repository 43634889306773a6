//! Removed articles (`removed_articles`): the newsroom deletes the article row (and logs the
//! change), and a tombstone keeps its identity so that its URL answers 410 Gone. Saved copies are in
//! their own table and stay.

use chrono::Utc;

use super::{Store, to_millis};

/// What removing one batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemovedBatch {
    /// Ids that were stored and are now removed.
    pub removed: Vec<String>,
    /// Saved copies (all members) of the removed articles, which stay.
    pub kept_copies: i64,
}

impl Store {
    /// Ids of the stored articles of `source` after `after` (in id order), `limit` at most.
    pub async fn source_article_ids(
        &self,
        source: &str,
        after: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT ext_id FROM articles WHERE source = $1 AND ext_id > $2 \
             ORDER BY ext_id LIMIT $3",
        )
        .bind(source)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Records tombstones for the stored articles (`source`, id) of `ids`, before they are
    /// deleted (a tombstone for an article still there answers nothing: see
    /// [`Store::is_removed`]); returns those ids and the saved copies of them, which stay.
    pub async fn tombstone_articles(
        &self,
        source: &str,
        ids: &[String],
    ) -> anyhow::Result<RemovedBatch> {
        let mut tx = self.begin_write().await?;
        let now = to_millis(Utc::now());
        let mut out = RemovedBatch::default();
        for id in ids {
            let (stored,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM articles WHERE source = $1 AND ext_id = $2")
                    .bind(source)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if stored == 0 {
                continue;
            }
            sqlx::query(
                "INSERT INTO removed_articles (source, ext_id, removed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (source, ext_id) DO UPDATE SET removed_at = excluded.removed_at",
            )
            .bind(source)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let (copies,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM saved_items WHERE source = $1 AND ext_id = $2",
            )
            .bind(source)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            out.kept_copies += copies;
            out.removed.push(id.clone());
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Whether (source, id) was removed and has not come back since.
    pub async fn is_removed(&self, source: &str, id: &str) -> anyhow::Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT r.removed_at FROM removed_articles r WHERE r.source = $1 AND r.ext_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.source = r.source \
             AND a.ext_id = r.ext_id)",
        )
        .bind(source)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}
