//! Tags and their links to articles.

use std::collections::HashMap;

use sqlx::{Any, Transaction};

use super::{ArticleRow, Store};
use crate::model::{LabelOrigin, Tag};

/// Rows per multi-row statement (4 parameters each). Kept small: SQLite finds a numbered
/// parameter's name by a linear scan, so binding costs grow with the square of the
/// parameters in one statement (at 200 rows it showed in profiles).
const ROWS_PER_STATEMENT: usize = 50;

/// Makes each article's tags exactly the given ones (`(article pk, tags)`; a later entry
/// for the same article wins), creating tag rows as needed. A whole import batch costs a
/// handful of statements: its old links are deleted and its new ones inserted in multi-row
/// statements, and each distinct tag is looked up once (created only when new). One
/// statement per tag and article made imports wait on the database more than they worked.
pub(super) async fn set_tags(
    tx: &mut Transaction<'static, Any>,
    articles: &[(i64, &[Tag])],
) -> anyhow::Result<()> {
    let mut seen = std::collections::HashSet::new();
    let mut last: Vec<(i64, &[Tag])> = articles
        .iter()
        .rev()
        .filter(|(pk, _)| seen.insert(*pk))
        .copied()
        .collect();
    last.reverse();
    for chunk in last.chunks(ROWS_PER_STATEMENT) {
        // The keys come from our own database as integers, so inlining them is safe.
        let list = chunk
            .iter()
            .map(|(pk, _)| pk.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!("DELETE FROM article_tags WHERE article_pk IN ({list})");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?;
    }
    let tag_pks = tag_pks(tx, last.iter().flat_map(|(_, tags)| tags.iter())).await?;
    let mut linked = std::collections::HashSet::new();
    let links: Vec<(i64, i64, &Tag)> = last
        .iter()
        .flat_map(|(pk, tags)| tags.iter().map(move |t| (*pk, t)))
        .filter_map(|(pk, t)| {
            let tag_pk = *tag_pks.get(t.slug.as_str())?;
            linked.insert((pk, tag_pk)).then_some((pk, tag_pk, t))
        })
        .collect();
    for chunk in links.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let n = i * 4;
                format!("(${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO article_tags (article_pk, tag_pk, origin, score) VALUES {values} \
             ON CONFLICT (article_pk, tag_pk) DO NOTHING"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (pk, tag_pk, tag) in chunk {
            q = q
                .bind(*pk)
                .bind(*tag_pk)
                .bind(tag.origin.as_str())
                .bind(f64::from(tag.score));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// `$1, $2, …, $n`: the parameters of an `IN (…)` list.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gives existing tags the kind the model now finds for them (أنقرة was a topic before
/// the gazetteer knew it), except tags an editor has put on an article.
pub(super) async fn set_model_kinds<'t>(
    tx: &mut Transaction<'static, Any>,
    tags: impl Iterator<Item = &'t Tag>,
) -> anyhow::Result<()> {
    let mut kinds: HashMap<&str, &str> = HashMap::new();
    for t in tags.filter(|t| t.origin == LabelOrigin::Model) {
        kinds.entry(t.slug.as_str()).or_insert(t.kind.as_str());
    }
    let slugs: Vec<&str> = kinds.keys().copied().collect();
    for chunk in slugs.chunks(ROWS_PER_STATEMENT) {
        let params = placeholders(chunk.len());
        let sql = format!(
            "SELECT slug, kind FROM tags WHERE slug IN ({params}) AND NOT EXISTS \
             (SELECT 1 FROM article_tags l WHERE l.tag_pk = tags.pk AND l.origin = 'person')"
        );
        let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
        for slug in chunk {
            q = q.bind(*slug);
        }
        for (slug, kind) in q.fetch_all(&mut **tx).await? {
            let Some(&new) = kinds.get(slug.as_str()) else {
                continue;
            };
            if new != kind {
                sqlx::query("UPDATE tags SET kind = $1 WHERE slug = $2")
                    .bind(new)
                    .bind(&slug)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The row key of each distinct tag (by slug), creating the rows of new tags.
async fn tag_pks<'t>(
    tx: &mut Transaction<'static, Any>,
    tags: impl Iterator<Item = &'t Tag>,
) -> anyhow::Result<HashMap<&'t str, i64>> {
    let mut distinct: Vec<&Tag> = Vec::new();
    let mut slugs = std::collections::HashSet::new();
    for t in tags {
        if slugs.insert(t.slug.as_str()) {
            distinct.push(t);
        }
    }
    let mut found: HashMap<&str, i64> = HashMap::with_capacity(distinct.len());
    for chunk in distinct.chunks(ROWS_PER_STATEMENT) {
        let params = placeholders(chunk.len());
        let sql = format!("SELECT pk, slug FROM tags WHERE slug IN ({params})");
        let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
        for t in chunk {
            q = q.bind(&t.slug);
        }
        for (pk, slug) in q.fetch_all(&mut **tx).await? {
            if let Some(&slug) = slugs.get(slug.as_str()) {
                found.insert(slug, pk);
            }
        }
    }
    for t in distinct {
        if found.contains_key(t.slug.as_str()) {
            continue;
        }
        let (pk,): (i64,) = sqlx::query_as(
            "INSERT INTO tags (slug, name, kind) VALUES ($1, $2, $3) \
             ON CONFLICT (slug) DO UPDATE SET name = tags.name RETURNING pk",
        )
        .bind(&t.slug)
        .bind(&t.name)
        .bind(&t.kind)
        .fetch_one(&mut **tx)
        .await?;
        found.insert(t.slug.as_str(), pk);
    }
    Ok(found)
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

    /// Person tags of two words or more with the number of articles carrying each:
    /// (slug, name, articles). What an import knows of people before its first batch.
    pub async fn people(&self) -> anyhow::Result<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT t.slug, t.name, COUNT(*) FROM tags t \
             JOIN article_tags l ON l.tag_pk = t.pk \
             WHERE t.kind = 'person' AND t.slug LIKE '% %' \
             GROUP BY t.pk, t.slug, t.name",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Deletes tags no article carries any more (after `retag`); returns how many.
    pub async fn delete_unused_tags(&self) -> anyhow::Result<u64> {
        let r = sqlx::query(
            "DELETE FROM tags WHERE NOT EXISTS \
             (SELECT 1 FROM article_tags l WHERE l.tag_pk = tags.pk)",
        )
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
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
