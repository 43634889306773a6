//! Article rows: upsert by (source, id), reads for pages and the API, scans for re-indexing.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, from_millis};
use crate::model::{Article, LabelOrigin, Section};

/// What an upsert did to one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Inserted,
    Updated,
    /// Updated, but the article is withdrawn (a draft): it stays out of search.
    UpdatedWithdrawn,
    Unchanged,
}

/// An article with its database key (used for scans and tag links).
#[derive(Debug, Clone)]
pub struct ArticleRow {
    pub pk: i64,
    pub article: Article,
}

const COLUMNS: &str = "pk, source, ext_id, title, subtitle, body, section, section_confidence, \
    section_origin, url, published, imported, language, content_hash";

fn decode(row: &AnyRow) -> Result<ArticleRow, sqlx::Error> {
    let body: String = row.try_get("body")?;
    let section: Option<String> = row.try_get("section")?;
    let origin: String = row.try_get("section_origin")?;
    let published: Option<i64> = row.try_get("published")?;
    let confidence: Option<f64> = row.try_get("section_confidence")?;
    Ok(ArticleRow {
        pk: row.try_get("pk")?,
        article: Article {
            source: row.try_get("source")?,
            id: row.try_get("ext_id")?,
            title: row.try_get("title")?,
            subtitle: row.try_get("subtitle")?,
            body: body
                .split('\n')
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            section: section.as_deref().and_then(Section::parse),
            section_confidence: confidence.map(|c| c as f32),
            section_origin: LabelOrigin::parse(&origin),
            tags: Vec::new(),
            url: row.try_get("url")?,
            published: published.map(from_millis),
            imported: from_millis(row.try_get("imported")?),
            language: row.try_get("language")?,
            content_hash: row.try_get("content_hash")?,
        },
    })
}

impl Store {
    /// One article by its identity, with its tags; drafts included.
    pub async fn article(&self, source: &str, id: &str) -> anyhow::Result<Option<Article>> {
        let sql = format!("SELECT {COLUMNS} FROM articles WHERE source = $1 AND ext_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(source)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut rows = vec![decode(&row)?];
        self.attach_tags(&mut rows).await?;
        Ok(rows.pop().map(|r| r.article))
    }

    /// The current state of the given identities, without tags, each with whether it is
    /// published; identities not stored are left out. What the search index follower reads
    /// for the changes it applies.
    pub async fn articles_by_keys(
        &self,
        keys: &[(&str, &str)],
    ) -> anyhow::Result<Vec<(Article, bool)>> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(400) {
            let values = (0..chunk.len())
                .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT {COLUMNS}, status FROM articles WHERE (source, ext_id) IN (VALUES {values})"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (source, id) in chunk {
                q = q.bind(*source).bind(*id);
            }
            for row in q.fetch_all(&self.pool).await? {
                let published = row.try_get::<String, _>("status")? == "published";
                out.push((decode(&row)?.article, published));
            }
        }
        Ok(out)
    }

    /// Published articles, newest first.
    pub async fn latest(&self, limit: i64, offset: i64) -> anyhow::Result<Vec<Article>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM articles WHERE status = 'published' \
             ORDER BY sort_time DESC, pk DESC LIMIT $1 OFFSET $2"
        );
        self.fetch_articles(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(limit)
                .bind(offset),
        )
        .await
    }

    /// Published articles of one section, newest first.
    pub async fn latest_in_section(
        &self,
        section: Section,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<Vec<Article>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM articles WHERE status = 'published' AND section = $1 \
             ORDER BY sort_time DESC, pk DESC LIMIT $2 OFFSET $3"
        );
        self.fetch_articles(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(section.slug())
                .bind(limit)
                .bind(offset),
        )
        .await
    }

    /// Published articles of one source, newest first.
    pub async fn latest_from_source(
        &self,
        source: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<Article>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM articles WHERE status = 'published' AND source = $1 \
             ORDER BY sort_time DESC, pk DESC LIMIT $2"
        );
        self.fetch_articles(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(source)
                .bind(limit),
        )
        .await
    }

    /// Published articles carrying the tag `slug`, newest first.
    pub async fn latest_with_tag(
        &self,
        slug: &str,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<Vec<Article>> {
        let cols = COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM articles a JOIN article_tags at ON at.article_pk = a.pk \
             JOIN tags t ON t.pk = at.tag_pk WHERE t.slug = $1 AND a.status = 'published' \
             ORDER BY a.sort_time DESC, a.pk DESC LIMIT $2 OFFSET $3"
        );
        self.fetch_articles(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(slug)
                .bind(limit)
                .bind(offset),
        )
        .await
    }

    async fn fetch_articles(
        &self,
        q: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> anyhow::Result<Vec<Article>> {
        let rows = q.fetch_all(&self.pool).await?;
        let mut rows = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        self.attach_tags(&mut rows).await?;
        Ok(rows.into_iter().map(|r| r.article).collect())
    }

    /// Published articles in storage order after `after_pk`, for re-indexing (withdrawn
    /// articles stay out of search).
    pub async fn scan(&self, after_pk: i64, limit: i64) -> anyhow::Result<Vec<ArticleRow>> {
        let rows = self
            .scan_where(after_pk, limit, "AND status = 'published'")
            .await?;
        Ok(rows.into_iter().map(|(r, _)| r).collect())
    }

    /// Every article, drafts and withdrawn ones too, in storage order after `after_pk`,
    /// each with whether it is published.
    pub async fn scan_all(
        &self,
        after_pk: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<(ArticleRow, bool)>> {
        self.scan_where(after_pk, limit, "").await
    }

    async fn scan_where(
        &self,
        after_pk: i64,
        limit: i64,
        filter: &'static str,
    ) -> anyhow::Result<Vec<(ArticleRow, bool)>> {
        let sql = format!(
            "SELECT {COLUMNS}, status FROM articles WHERE pk > $1 {filter} ORDER BY pk LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after_pk)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let published = rows
            .iter()
            .map(|r| r.try_get::<String, _>("status").map(|s| s == "published"))
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        self.attach_tags(&mut rows).await?;
        Ok(rows.into_iter().zip(published).collect())
    }

    /// Number of stored articles (drafts included).
    pub async fn count_articles(&self) -> anyhow::Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM articles")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Number of published articles per section slug (`None` = unclassified).
    pub async fn section_counts(&self) -> anyhow::Result<Vec<(Option<String>, i64)>> {
        Ok(sqlx::query_as(
            "SELECT section, COUNT(*) FROM articles WHERE status = 'published' GROUP BY section",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
