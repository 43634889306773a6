//! Article reads of the For-you feed: light rows (no whole body) for the in-memory
//! features of every node, and a source's articles for `/sources/{name}`.

use std::collections::HashMap;

use super::Store;
use crate::model::{Article, Section};

/// What the feed keeps of an article in memory.
#[derive(Debug, Clone)]
pub struct FeedRow {
    pub pk: i64,
    pub source: String,
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The start of the body (a few hundred characters).
    pub lead: String,
    pub section: Option<Section>,
    pub published: Option<i64>,
    pub sort_time: i64,
    pub updated: i64,
    pub published_status: bool,
    /// (slug, name), best first.
    pub tags: Vec<(String, String)>,
    /// Its story (near-duplicates across sources share one).
    pub story: Option<i64>,
}

type Raw = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
    i64,
    i64,
    String,
    Option<i64>,
);

const SELECT: &str = "SELECT pk, source, ext_id, title, subtitle, SUBSTR(body, 1, 700), section, \
    published, sort_time, updated, status, sa.story_pk FROM articles \
    LEFT JOIN story_articles sa ON sa.article_pk = articles.pk";

impl Store {
    /// Feed rows in storage order after `after_pk` (every status).
    pub async fn feed_rows(&self, after_pk: i64, limit: i64) -> anyhow::Result<Vec<FeedRow>> {
        let sql = format!("{SELECT} WHERE pk > $1 ORDER BY pk LIMIT $2");
        let raw: Vec<Raw> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(after_pk)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        self.finish_feed_rows(raw).await
    }

    /// Feed rows changed at or after `updated` (ms), every status.
    pub async fn feed_rows_updated_since(&self, updated: i64) -> anyhow::Result<Vec<FeedRow>> {
        let sql = format!("{SELECT} WHERE updated >= $1 ORDER BY pk");
        let raw: Vec<Raw> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(updated)
            .fetch_all(self.pool())
            .await?;
        self.finish_feed_rows(raw).await
    }

    async fn finish_feed_rows(&self, raw: Vec<Raw>) -> anyhow::Result<Vec<FeedRow>> {
        let mut rows: Vec<FeedRow> = raw
            .into_iter()
            .map(|r| FeedRow {
                pk: r.0,
                source: r.1,
                id: r.2,
                title: r.3,
                subtitle: r.4,
                lead: r.5,
                section: r.6.as_deref().and_then(Section::parse),
                published: r.7,
                sort_time: r.8,
                updated: r.9,
                published_status: r.10 == "published",
                tags: Vec::new(),
                story: r.11,
            })
            .collect();
        let mut by_pk: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for chunk in rows.chunks(500) {
            // The keys come from our own database as integers, so inlining them is safe.
            let list = chunk
                .iter()
                .map(|r| r.pk.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!(
                "SELECT at.article_pk, t.slug, t.name FROM article_tags at \
                 JOIN tags t ON t.pk = at.tag_pk WHERE at.article_pk IN ({list}) \
                 ORDER BY at.article_pk, at.score DESC, t.slug"
            );
            let found: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(self.pool())
                .await?;
            for (pk, slug, name) in found {
                by_pk.entry(pk).or_default().push((slug, name));
            }
        }
        for r in rows.iter_mut() {
            r.tags = by_pk.remove(&r.pk).unwrap_or_default();
        }
        Ok(rows)
    }

    /// (published article count, their latest `updated` in ms): changes whenever a
    /// published article is added, changed, withdrawn or deleted.
    pub async fn feed_fingerprint(&self) -> anyhow::Result<(i64, i64)> {
        let (n, updated): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(updated) FROM articles WHERE status = 'published'",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((n, updated.unwrap_or(0)))
    }

    /// A page of source `name`'s published articles, newest first.
    pub async fn source_page(
        &self,
        name: &str,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<Vec<Article>> {
        let keys: Vec<(String,)> = sqlx::query_as(
            "SELECT ext_id FROM articles WHERE source = $1 AND status = 'published' \
             ORDER BY sort_time DESC, pk DESC LIMIT $2 OFFSET $3",
        )
        .bind(name)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(keys.len());
        for (id,) in keys {
            if let Some(a) = self.article(name, &id).await? {
                out.push(a);
            }
        }
        Ok(out)
    }
}
