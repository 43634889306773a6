//! Article writes: one [`ArticleWrite`] transaction writes article rows and their tag links
//! and appends one `article_changes` row per article it touched before it commits. Every
//! article write of sahifa goes through it (called by `src/newsroom/`), and it is the one
//! place of the rule that **an editor's label wins**: automated writes (imports, the model's
//! relabelling) never replace a section or tags a person set.

use std::collections::HashMap;

use anyhow::Context;
use chrono::Utc;
use sqlx::{Any, Transaction};

use super::stories::{self, Member};
use super::{Backend, Store, Upsert, article_changes, tags, to_millis};
use crate::model::{Article, LabelOrigin, Section, Tag};

mod labels;

use labels::{confidence_param, editor_wins};

/// What is stored of an article that a write must know first.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub pk: i64,
    pub content_hash: String,
    pub published: bool,
    pub section: Option<Section>,
    pub section_confidence: Option<f32>,
    pub section_origin: LabelOrigin,
    /// An editor set this article's tags.
    pub editor_tags: bool,
}

/// The state of stored identities, a few hundred per query.
async fn lookup(
    conn: &mut sqlx::AnyConnection,
    keys: &[(&str, &str)],
) -> anyhow::Result<HashMap<(String, String), Stored>> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<f64>,
        String,
        i64,
    );
    let mut out = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(400) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT a.pk, a.source, a.ext_id, a.content_hash, a.status, a.section, \
             a.section_confidence, a.section_origin, \
             (SELECT COUNT(*) FROM article_tags l WHERE l.article_pk = a.pk \
              AND l.origin = 'person') FROM articles a \
             WHERE (a.source, a.ext_id) IN (VALUES {values})"
        );
        let mut q = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql));
        for (source, id) in chunk {
            q = q.bind(*source).bind(*id);
        }
        for (pk, source, id, hash, status, section, confidence, origin, person) in
            q.fetch_all(&mut *conn).await?
        {
            out.insert(
                (source, id),
                Stored {
                    pk,
                    content_hash: hash,
                    published: status == "published",
                    section: section.as_deref().and_then(Section::parse),
                    section_confidence: confidence.map(|c| c as f32),
                    section_origin: LabelOrigin::parse(&origin),
                    editor_tags: person > 0,
                },
            );
        }
    }
    Ok(out)
}

/// One write transaction over articles; dropped without [`ArticleWrite::commit`], it rolls
/// back and logs nothing.
pub struct ArticleWrite {
    pub(super) tx: Transaction<'static, Any>,
    changes: Vec<(String, String, &'static str)>,
    /// The store's count of committed writes.
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Store {
    /// Begins an article write. On SQLite the transaction takes the write lock at once
    /// (`BEGIN IMMEDIATE`): it reads before it writes, and a deferred one could fail to
    /// upgrade when another process wrote in between.
    pub async fn write_articles(&self) -> anyhow::Result<ArticleWrite> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(ArticleWrite {
            tx,
            changes: Vec::new(),
            writes: self.writes.clone(),
        })
    }

    /// State of the given identities that are already stored (outside any write).
    pub async fn stored_articles(
        &self,
        keys: &[(&str, &str)],
    ) -> anyhow::Result<HashMap<(String, String), Stored>> {
        let mut conn = self.pool.acquire().await?;
        lookup(&mut conn, keys).await
    }

    /// Stores a batch in one transaction ([`ArticleWrite::upsert`]).
    pub async fn upsert_articles(&self, batch: &mut [Article]) -> anyhow::Result<Vec<Upsert>> {
        let mut w = self.write_articles().await?;
        let out = w.upsert(batch).await?;
        w.commit().await.context("committing an import batch")?;
        Ok(out)
    }

    /// Publishes (`published`) or withdraws (`draft`) an article.
    pub async fn set_status(&self, source: &str, id: &str, status: &str) -> anyhow::Result<bool> {
        let mut w = self.write_articles().await?;
        let found = w.set_status(source, id, status).await?;
        w.commit().await?;
        Ok(found)
    }

    /// Removes an article; its tag links go with it. Returns whether it existed.
    pub async fn delete_article(&self, source: &str, id: &str) -> anyhow::Result<bool> {
        let mut w = self.write_articles().await?;
        let n = w.delete(source, Some(&[id.to_string()])).await?;
        w.commit().await?;
        Ok(n > 0)
    }

    /// Sets the section and tags an editor chose ([`ArticleWrite::set_labels_by_person`]).
    pub async fn set_labels_by_person(
        &self,
        source: &str,
        id: &str,
        section: Option<Section>,
        tags: &[Tag],
    ) -> anyhow::Result<bool> {
        let mut w = self.write_articles().await?;
        let found = w.set_labels_by_person(source, id, section, tags).await?;
        w.commit().await?;
        Ok(found)
    }

    /// Replaces an article's tags as given. Returns false when the article does not exist.
    pub async fn set_article_tags(
        &self,
        source: &str,
        id: &str,
        tags: &[Tag],
    ) -> anyhow::Result<bool> {
        let mut w = self.write_articles().await?;
        let Some(pk) = w.pk(source, id).await? else {
            return Ok(false);
        };
        tags::set_tags(&mut w.tx, &[(pk, tags)]).await?;
        w.changed(source, id, "labels");
        w.commit().await?;
        Ok(true)
    }

    /// Stores new model labels in one transaction ([`ArticleWrite::set_model_labels`]).
    pub async fn set_model_labels(&self, items: &[(i64, &Article)]) -> anyhow::Result<()> {
        let mut w = self.write_articles().await?;
        w.set_model_labels(items).await?;
        w.commit().await
    }
}

impl ArticleWrite {
    fn changed(&mut self, source: &str, id: &str, kind: &'static str) {
        self.changes
            .push((source.to_string(), id.to_string(), kind));
    }

    async fn pk(&mut self, source: &str, id: &str) -> anyhow::Result<Option<i64>> {
        let pk: Option<(i64,)> =
            sqlx::query_as("SELECT pk FROM articles WHERE source = $1 AND ext_id = $2")
                .bind(source)
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
        Ok(pk.map(|p| p.0))
    }

    /// Stores a batch: an article whose content hash is unchanged is left alone; a changed one
    /// is updated in place (its import time is kept) under the editor's rule, and `batch` is
    /// given the labels that were stored.
    pub async fn upsert(&mut self, batch: &mut [Article]) -> anyhow::Result<Vec<Upsert>> {
        self.upsert_as(batch, None).await
    }

    /// [`ArticleWrite::upsert`] that also gives every article of `batch` the status
    /// `status` (`published` or `draft`) in the same statement, so no row is ever stored
    /// with another status first (the desk's drafts); `None` keeps a stored article's status
    /// and publishes a new one (imports).
    pub async fn upsert_as(
        &mut self,
        batch: &mut [Article],
        status: Option<&str>,
    ) -> anyhow::Result<Vec<Upsert>> {
        let mut out = Vec::with_capacity(batch.len());
        let now = to_millis(Utc::now());
        let keys: Vec<(&str, &str)> = batch
            .iter()
            .map(|a| (a.source.as_str(), a.id.as_str()))
            .collect();
        let mut known = lookup(&mut self.tx, &keys).await?;
        let mut tagged: Vec<(i64, Vec<Tag>)> = Vec::with_capacity(batch.len());
        let mut grouping: Vec<Member> = Vec::with_capacity(batch.len());
        for a in batch.iter_mut() {
            let key = (a.source.clone(), a.id.clone());
            let existing = known.get(&key);
            let outcome = match existing {
                Some(s) if s.content_hash == a.content_hash => {
                    if let Some(status) = status
                        && s.published != (status == "published")
                    {
                        self.set_status(&a.source, &a.id, status).await?;
                    }
                    out.push(Upsert::Unchanged);
                    continue;
                }
                Some(s) if !s.published => Upsert::UpdatedWithdrawn,
                Some(_) => Upsert::Updated,
                None => Upsert::Inserted,
            };
            let keep_tags = editor_wins(existing, a);
            let (pk,): (i64,) = sqlx::query_as(
                "INSERT INTO articles (source, ext_id, title, subtitle, body, section, \
                 section_confidence, section_origin, url, published, imported, updated, \
                 sort_time, language, content_hash, status) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, -1.0), $8, $9, $10, $11, $12, $13, $14, $15, \
                 CASE WHEN $16 = '' THEN 'published' ELSE $16 END) \
                 ON CONFLICT (source, ext_id) DO UPDATE SET title = excluded.title, \
                 status = CASE WHEN $16 = '' THEN articles.status ELSE excluded.status END, \
                 subtitle = excluded.subtitle, body = excluded.body, \
                 section = excluded.section, section_confidence = excluded.section_confidence, \
                 section_origin = excluded.section_origin, url = excluded.url, \
                 published = excluded.published, updated = excluded.updated, \
                 sort_time = excluded.sort_time, language = excluded.language, \
                 content_hash = excluded.content_hash RETURNING pk",
            )
            .bind(&a.source)
            .bind(&a.id)
            .bind(&a.title)
            .bind(&a.subtitle)
            .bind(a.body.join("\n"))
            .bind(a.section.map(Section::slug))
            .bind(confidence_param(a.section_confidence))
            .bind(a.section_origin.as_str())
            .bind(&a.url)
            .bind(a.published.map(to_millis))
            .bind(to_millis(a.imported))
            .bind(now)
            .bind(to_millis(a.sort_time()))
            .bind(&a.language)
            .bind(&a.content_hash)
            .bind(status.unwrap_or(""))
            .fetch_one(&mut *self.tx)
            .await?;
            out.push(outcome);
            grouping.push(Member::of(pk, a, existing.is_none()));
            // The same identity may come twice in one batch.
            let published = match status {
                Some(status) => status == "published",
                None => existing.is_none_or(|s| s.published),
            };
            let editor_tags = existing.is_some_and(|s| s.editor_tags);
            known.insert(
                key,
                Stored {
                    pk,
                    content_hash: a.content_hash.clone(),
                    published,
                    section: a.section,
                    section_confidence: a.section_confidence,
                    section_origin: a.section_origin,
                    editor_tags,
                },
            );
            if !keep_tags {
                tagged.push((pk, a.tags.clone()));
            }
            self.changed(&a.source, &a.id, "upsert");
        }
        let links: Vec<(i64, &[Tag])> = tagged.iter().map(|(pk, t)| (*pk, t.as_slice())).collect();
        tags::set_tags(&mut self.tx, &links).await?;
        stories::group(&mut self.tx, &grouping).await?;
        Ok(out)
    }

    /// Publishes (`published`) or withdraws (`draft`) an article; false when there is none.
    pub async fn set_status(
        &mut self,
        source: &str,
        id: &str,
        status: &str,
    ) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "UPDATE articles SET status = $1, updated = $2 WHERE source = $3 AND ext_id = $4",
        )
        .bind(status)
        .bind(to_millis(Utc::now()))
        .bind(source)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        self.changed(source, id, "status");
        Ok(true)
    }

    /// Deletes the articles `ids` of `source` (all of its articles when `None`); their tag
    /// links go with them. Returns how many there were.
    pub async fn delete(&mut self, source: &str, ids: Option<&[String]>) -> anyhow::Result<u64> {
        let mut gone: Vec<String> = Vec::new();
        let mut touched = Vec::new();
        match ids {
            None => touched = stories::of_source(&mut self.tx, source, None).await?,
            Some(ids) => {
                for id in ids {
                    touched.extend(stories::of_source(&mut self.tx, source, Some(id)).await?);
                }
            }
        }
        match ids {
            None => {
                let rows: Vec<(String,)> =
                    sqlx::query_as("DELETE FROM articles WHERE source = $1 RETURNING ext_id")
                        .bind(source)
                        .fetch_all(&mut *self.tx)
                        .await?;
                gone.extend(rows.into_iter().map(|r| r.0));
            }
            Some(ids) => {
                for id in ids {
                    let row: Option<(String,)> = sqlx::query_as(
                        "DELETE FROM articles WHERE source = $1 AND ext_id = $2 RETURNING ext_id",
                    )
                    .bind(source)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?;
                    gone.extend(row.map(|r| r.0));
                }
            }
        }
        // Their bands and story links went with them (ON DELETE CASCADE).
        touched.sort_unstable();
        touched.dedup();
        for story in touched {
            stories::repair(&mut self.tx, story).await?;
        }
        for id in &gone {
            self.changed(source, id, "delete");
        }
        Ok(gone.len() as u64)
    }

    /// Appends the change rows and commits.
    pub async fn commit(mut self) -> anyhow::Result<()> {
        article_changes::append(&mut self.tx, &self.changes).await?;
        self.tx
            .commit()
            .await
            .context("committing an article write")?;
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }
}
