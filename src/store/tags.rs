//! Tags and their links to articles.

use std::collections::HashMap;

use sqlx::{Any, Transaction};

use super::{ArticleRow, Store};
use crate::model::{LabelOrigin, Tag};

/// Replaces the tags of article `pk` with `tags`, creating tag rows as needed.
pub(super) async fn replace_tags(
    tx: &mut Transaction<'static, Any>,
    pk: i64,
    tags: &[Tag],
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM article_tags WHERE article_pk = $1")
        .bind(pk)
        .execute(&mut **tx)
        .await?;
    insert_tags(tx, pk, tags).await
}

/// Links `tags` to article `pk`, which has none yet.
pub(super) async fn insert_tags(
    tx: &mut Transaction<'static, Any>,
    pk: i64,
    tags: &[Tag],
) -> anyhow::Result<()> {
    for tag in tags {
        let tag_pk = upsert_tag(tx, tag).await?;
        sqlx::query(
            "INSERT INTO article_tags (article_pk, tag_pk, origin, score) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (article_pk, tag_pk) DO NOTHING",
        )
        .bind(pk)
        .bind(tag_pk)
        .bind(tag.origin.as_str())
        .bind(f64::from(tag.score))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn upsert_tag(tx: &mut Transaction<'static, Any>, tag: &Tag) -> anyhow::Result<i64> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT pk FROM tags WHERE slug = $1")
        .bind(&tag.slug)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some((pk,)) = found {
        return Ok(pk);
    }
    let (pk,): (i64,) = sqlx::query_as(
        "INSERT INTO tags (slug, name, kind) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO UPDATE SET name = tags.name RETURNING pk",
    )
    .bind(&tag.slug)
    .bind(&tag.name)
    .bind(&tag.kind)
    .fetch_one(&mut **tx)
    .await?;
    Ok(pk)
}

impl Store {
    /// Fills `tags` of each row, ordered by score.
    pub(super) async fn attach_tags(&self, rows: &mut [ArticleRow]) -> anyhow::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        // The keys come from our own database as integers, so inlining them is safe.
        let list = rows
            .iter()
            .map(|r| r.pk.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT at.article_pk, t.slug, t.name, t.kind, at.origin, at.score \
             FROM article_tags at JOIN tags t ON t.pk = at.tag_pk \
             WHERE at.article_pk IN ({list}) ORDER BY at.score DESC, t.slug"
        );
        let found: Vec<(i64, String, String, String, String, f64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?;
        let mut by_pk: HashMap<i64, Vec<Tag>> = HashMap::new();
        for (pk, slug, name, kind, origin, score) in found {
            by_pk.entry(pk).or_default().push(Tag {
                slug,
                name,
                kind,
                origin: LabelOrigin::parse(&origin),
                score: score as f32,
            });
        }
        for r in rows.iter_mut() {
            r.article.tags = by_pk.remove(&r.pk).unwrap_or_default();
        }
        Ok(())
    }

    /// Replaces an article's tags (e.g. an editor's correction). Returns false when the
    /// article does not exist.
    pub async fn set_article_tags(
        &self,
        source: &str,
        id: &str,
        tags: &[Tag],
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let pk: Option<(i64,)> =
            sqlx::query_as("SELECT pk FROM articles WHERE source = $1 AND ext_id = $2")
                .bind(source)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((pk,)) = pk else { return Ok(false) };
        replace_tags(&mut tx, pk, tags).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A tag by slug: (name, kind).
    pub async fn tag(&self, slug: &str) -> anyhow::Result<Option<(String, String)>> {
        Ok(
            sqlx::query_as("SELECT name, kind FROM tags WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
