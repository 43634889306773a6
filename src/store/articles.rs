//! Article rows: upsert by (source, id), reads for pages and the API, scans for re-indexing.

use std::collections::HashMap;

use anyhow::Context;
use chrono::Utc;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, from_millis, to_millis};
use crate::model::{Article, LabelOrigin, Section};

/// What the upsert statement returns: key, status, and the labels as stored.
type StoredLabels = (i64, String, Option<String>, Option<f64>, String);

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

/// A section confidence as a bound parameter: never NULL (the SQL turns -1 into NULL).
/// sqlx's Any driver binds a NULL `f64` as a `float4` on PostgreSQL; the statement cached
/// with that type then refuses every real `f64` on the same connection ("incorrect binary
/// data format in bind parameter"), which lost articles of feeds polled on PostgreSQL.
fn confidence_param(c: Option<f32>) -> f64 {
    c.map_or(-1.0, f64::from)
}

/// Looks up (pk, content hash) of stored identities, a few hundred per query.
async fn lookup(
    conn: &mut sqlx::AnyConnection,
    keys: &[(&str, &str)],
) -> anyhow::Result<HashMap<(String, String), (i64, String)>> {
    let mut out = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(400) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT pk, source, ext_id, content_hash FROM articles \
             WHERE (source, ext_id) IN (VALUES {values})"
        );
        let mut q = sqlx::query_as::<_, (i64, String, String, String)>(sqlx::AssertSqlSafe(sql));
        for (source, id) in chunk {
            q = q.bind(*source).bind(*id);
        }
        for (pk, source, id, hash) in q.fetch_all(&mut *conn).await? {
            out.insert((source, id), (pk, hash));
        }
    }
    Ok(out)
}

impl Store {
    /// Stores a batch in one transaction. An article whose content hash is unchanged is left
    /// alone; a changed one is updated in place (its import time is kept). Labels an editor
    /// set (section origin `person`) survive the update: the stored section and tags are
    /// kept, and the article in `batch` is given that section, so that what is indexed
    /// matches what is stored.
    pub async fn upsert_articles(&self, batch: &mut [Article]) -> anyhow::Result<Vec<Upsert>> {
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(batch.len());
        let now = to_millis(Utc::now());
        let keys: Vec<(&str, &str)> = batch
            .iter()
            .map(|a| (a.source.as_str(), a.id.as_str()))
            .collect();
        let mut known = lookup(&mut tx, &keys).await?;
        let mut tagged = Vec::with_capacity(batch.len());
        for a in batch.iter_mut() {
            let key = (a.source.clone(), a.id.clone());
            let existing = known.get(&key).cloned();
            let body = a.body.join("\n");
            let published = a.published.map(to_millis);
            let sort_time = to_millis(a.sort_time());
            let section = a.section.map(|s| s.slug());
            let confidence = confidence_param(a.section_confidence);
            let outcome = match existing {
                Some((_, ref hash)) if *hash == a.content_hash => {
                    out.push(Upsert::Unchanged);
                    continue;
                }
                Some(_) => Upsert::Updated,
                None => Upsert::Inserted,
            };
            // One statement for both cases; an update keeps the first import time and the
            // labels an editor set.
            let (pk, status, stored_section, stored_confidence, origin): StoredLabels =
                sqlx::query_as(
                    "INSERT INTO articles (source, ext_id, title, subtitle, body, section, \
                 section_confidence, section_origin, url, published, imported, updated, \
                 sort_time, language, content_hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, -1.0), $8, $9, $10, $11, $12, $13, \
                 $14, $15) \
                 ON CONFLICT (source, ext_id) DO UPDATE SET title = excluded.title, \
                 subtitle = excluded.subtitle, body = excluded.body, \
                 section = CASE WHEN articles.section_origin = 'person' \
                     THEN articles.section ELSE excluded.section END, \
                 section_confidence = CASE WHEN articles.section_origin = 'person' \
                     THEN articles.section_confidence ELSE excluded.section_confidence END, \
                 section_origin = CASE WHEN articles.section_origin = 'person' \
                     THEN articles.section_origin ELSE excluded.section_origin END, \
                 url = excluded.url, \
                 published = excluded.published, updated = excluded.updated, \
                 sort_time = excluded.sort_time, language = excluded.language, \
                 content_hash = excluded.content_hash \
                 RETURNING pk, status, section, section_confidence, section_origin",
                )
                .bind(&a.source)
                .bind(&a.id)
                .bind(&a.title)
                .bind(&a.subtitle)
                .bind(&body)
                .bind(section)
                .bind(confidence)
                .bind(a.section_origin.as_str())
                .bind(&a.url)
                .bind(published)
                .bind(to_millis(a.imported))
                .bind(now)
                .bind(sort_time)
                .bind(&a.language)
                .bind(&a.content_hash)
                .fetch_one(&mut *tx)
                .await?;
            out.push(if outcome == Upsert::Updated && status != "published" {
                Upsert::UpdatedWithdrawn
            } else {
                outcome
            });
            // The same identity may come twice in one batch.
            known.insert(key, (pk, a.content_hash.clone()));
            if outcome == Upsert::Updated && origin == LabelOrigin::Person.as_str() {
                // An editor's labels: keep the stored tags, and index the stored section.
                a.section = stored_section.as_deref().and_then(Section::parse);
                a.section_confidence = stored_confidence.map(|c| c as f32);
                a.section_origin = LabelOrigin::Person;
            } else {
                tagged.push((pk, a.tags.as_slice()));
            }
        }
        super::tags::set_tags(&mut tx, &tagged).await?;
        tx.commit().await.context("committing an import batch")?;
        Ok(out)
    }

    /// Key and content hash of each of the given identities that is already stored, in
    /// queries of a few hundred identities each.
    pub async fn content_hashes(
        &self,
        keys: &[(&str, &str)],
    ) -> anyhow::Result<HashMap<(String, String), (i64, String)>> {
        let mut conn = self.pool.acquire().await?;
        lookup(&mut conn, keys).await
    }

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

    /// Stores new model labels (section with its confidence and origin, and tags) for
    /// articles by primary key, in one transaction. Callers leave out what a person set.
    pub async fn set_model_labels(&self, items: &[(i64, &Article)]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for (pk, a) in items {
            sqlx::query(
                "UPDATE articles SET section = $1, section_confidence = NULLIF($2, -1.0), \
                 section_origin = $3 WHERE pk = $4",
            )
            .bind(a.section.map(Section::slug))
            .bind(confidence_param(a.section_confidence))
            .bind(a.section_origin.as_str())
            .bind(pk)
            .execute(&mut *tx)
            .await?;
        }
        let tags: Vec<(i64, &[crate::model::Tag])> = items
            .iter()
            .map(|(pk, a)| (*pk, a.tags.as_slice()))
            .collect();
        super::tags::set_tags(&mut tx, &tags).await?;
        super::tags::set_model_kinds(&mut tx, items.iter().flat_map(|(_, a)| &a.tags)).await?;
        tx.commit().await?;
        Ok(())
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

    /// Removes an article; its tag links go with it. Returns whether it existed.
    pub async fn delete_article(&self, source: &str, id: &str) -> anyhow::Result<bool> {
        let r = sqlx::query("DELETE FROM articles WHERE source = $1 AND ext_id = $2")
            .bind(source)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Publishes (`published`) or withdraws (`draft`) an article.
    pub async fn set_status(&self, source: &str, id: &str, status: &str) -> anyhow::Result<bool> {
        let r = sqlx::query("UPDATE articles SET status = $1 WHERE source = $2 AND ext_id = $3")
            .bind(status)
            .bind(source)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }
}
