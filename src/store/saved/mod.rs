//! Saved copies of articles (`saved_items`, `saved_item_tags`): a member's snapshot of an
//! article, kept whatever happens to the article or its source, joined to the live article
//! (when there is one) only to tell whether it changed or went away.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, from_millis, to_millis};

/// A tag as kept in a saved copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTag {
    pub slug: String,
    pub name: String,
}

/// A saved copy as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedItem {
    pub source: String,
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Body paragraphs, in order.
    pub body: Vec<String>,
    /// Section slug.
    pub section: Option<String>,
    pub tags: Vec<SavedTag>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The article's content hash when the copy was taken.
    pub content_hash: String,
    pub note: Option<String>,
    pub saved_at: DateTime<Utc>,
    /// The analyzer's distinct stems, space-separated with a space at both ends.
    pub terms: String,
}

/// A saved copy with what is known of the live article.
#[derive(Debug, Clone)]
pub struct SavedRow {
    pub pk: i64,
    pub item: SavedItem,
    /// Content hash of the live, published article; `None` when it is gone or withdrawn.
    pub live_hash: Option<String>,
}

impl SavedRow {
    /// The live article is no longer there (removed, deleted or withdrawn).
    pub fn removed(&self) -> bool {
        self.live_hash.is_none()
    }

    /// The live article changed since the copy was taken.
    pub fn updated_since_saved(&self) -> bool {
        self.live_hash
            .as_deref()
            .is_some_and(|h| h != self.item.content_hash)
    }
}

/// What storing a copy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedWrite {
    Inserted,
    Updated,
    Unchanged,
}

/// Which saved copies of a member to list.
#[derive(Debug, Clone, Default)]
pub struct SavedFilter {
    pub user_pk: i64,
    /// Stems that must all occur.
    pub stems: Vec<String>,
    /// Stems that must not occur.
    pub excluded: Vec<String>,
    pub section: Option<String>,
    pub tag: Option<String>,
}

pub(crate) const COLUMNS: &str = "s.pk, s.source, s.ext_id, s.title, s.subtitle, s.body, s.section, s.tags, \
    s.url, s.published, s.content_hash, s.note, s.saved_at, s.terms, \
    CASE WHEN a.status = 'published' THEN a.content_hash END AS live_hash";

pub(crate) const FROM: &str = "FROM saved_items s \
    LEFT JOIN articles a ON a.source = s.source AND a.ext_id = s.ext_id";

pub(crate) fn decode(row: &AnyRow) -> Result<SavedRow, sqlx::Error> {
    let body: String = row.try_get("body")?;
    let tags: String = row.try_get("tags")?;
    let published: Option<i64> = row.try_get("published")?;
    Ok(SavedRow {
        pk: row.try_get("pk")?,
        item: SavedItem {
            source: row.try_get("source")?,
            id: row.try_get("ext_id")?,
            title: row.try_get("title")?,
            subtitle: row.try_get("subtitle")?,
            body: body
                .split('\n')
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            section: row.try_get("section")?,
            tags: serde_json::from_str(&tags).unwrap_or_default(),
            url: row.try_get("url")?,
            published: published.map(from_millis),
            content_hash: row.try_get("content_hash")?,
            note: row.try_get("note")?,
            saved_at: from_millis(row.try_get("saved_at")?),
            terms: row.try_get("terms")?,
        },
        live_hash: row.try_get("live_hash")?,
    })
}

/// `%word%` for LIKE, with LIKE's own characters escaped (`ESCAPE '\'`).
pub(crate) fn like_word(stem: &str) -> String {
    let mut out = String::from("% ");
    for c in stem.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str(" %");
    out
}

type Conn = sqlx::AnyConnection;

mod import;
mod read;

pub(crate) async fn write_tags(conn: &mut Conn, pk: i64, tags: &[SavedTag]) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM saved_item_tags WHERE saved_pk = $1")
        .bind(pk)
        .execute(&mut *conn)
        .await?;
    let mut seen = HashSet::new();
    for t in tags.iter().filter(|t| seen.insert(t.slug.as_str())) {
        sqlx::query("INSERT INTO saved_item_tags (saved_pk, slug) VALUES ($1, $2)")
            .bind(pk)
            .bind(&t.slug)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A statement whose parameters take the fourteen columns of a new `saved_items` row.
pub(crate) type ItemQuery<'q, O> = sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>;

/// Binds, in [`ITEM_COLUMNS`] order, the columns of `item` saved by `user_pk`.
pub(crate) fn bind_item<'q, O>(
    q: ItemQuery<'q, O>,
    user_pk: i64,
    item: &'q SavedItem,
) -> anyhow::Result<ItemQuery<'q, O>> {
    Ok(q.bind(user_pk)
        .bind(&item.source)
        .bind(&item.id)
        .bind(&item.title)
        .bind(&item.subtitle)
        .bind(item.body.join("\n"))
        .bind(&item.section)
        .bind(serde_json::to_string(&item.tags)?)
        .bind(&item.url)
        .bind(item.published.map(to_millis))
        .bind(&item.content_hash)
        .bind(&item.note)
        .bind(to_millis(item.saved_at))
        .bind(&item.terms))
}

/// The columns [`bind_item`] fills, in its order.
pub(crate) const ITEM_COLUMNS: &str = "user_pk, source, ext_id, title, subtitle, body, section, \
     tags, url, published, content_hash, note, saved_at, terms";

/// Inserts `item` for `user_pk` unless a copy is there; returns the new key.
async fn insert_new(
    conn: &mut Conn,
    user_pk: i64,
    item: &SavedItem,
) -> anyhow::Result<Option<i64>> {
    let pk: Option<(i64,)> = bind_item(
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO saved_items ({ITEM_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (user_pk, source, ext_id) DO NOTHING RETURNING pk"
        ))),
        user_pk,
        item,
    )?
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((pk,)) = pk {
        write_tags(conn, pk, &item.tags).await?;
    }
    Ok(pk.map(|p| p.0))
}

/// Replaces the snapshot fields of copy `pk`; `whole` also replaces note and saved-at.
pub(crate) async fn overwrite(
    conn: &mut Conn,
    pk: i64,
    item: &SavedItem,
    whole: bool,
) -> anyhow::Result<()> {
    let sql = if whole {
        "UPDATE saved_items SET title = $1, subtitle = $2, body = $3, section = $4, tags = $5, \
         url = $6, published = $7, content_hash = $8, terms = $9, refreshed_at = $10, \
         note = $11, saved_at = $12 WHERE pk = $13"
    } else {
        "UPDATE saved_items SET title = $1, subtitle = $2, body = $3, section = $4, tags = $5, \
         url = $6, published = $7, content_hash = $8, terms = $9, refreshed_at = $10 \
         WHERE pk = $11"
    };
    let mut q = sqlx::query(sql)
        .bind(&item.title)
        .bind(&item.subtitle)
        .bind(item.body.join("\n"))
        .bind(&item.section)
        .bind(serde_json::to_string(&item.tags)?)
        .bind(&item.url)
        .bind(item.published.map(to_millis))
        .bind(&item.content_hash)
        .bind(&item.terms)
        .bind(to_millis(Utc::now()));
    if whole {
        q = q.bind(&item.note).bind(to_millis(item.saved_at));
    }
    q.bind(pk).execute(&mut *conn).await?;
    write_tags(conn, pk, &item.tags).await
}

impl Store {
    /// Saves a copy for `user_pk` if there is none (`Inserted`); otherwise keeps the copy
    /// and only sets the note when one is given (`Updated`, or `Unchanged` without a note).
    pub async fn save_copy(&self, user_pk: i64, item: &SavedItem) -> anyhow::Result<SavedWrite> {
        let mut tx = self.begin_write().await?;
        let out = if insert_new(&mut tx, user_pk, item).await?.is_some() {
            SavedWrite::Inserted
        } else if let Some(note) = &item.note {
            sqlx::query(
                "UPDATE saved_items SET note = $1 WHERE user_pk = $2 AND source = $3 \
                 AND ext_id = $4",
            )
            .bind(note)
            .bind(user_pk)
            .bind(&item.source)
            .bind(&item.id)
            .execute(&mut *tx)
            .await?;
            SavedWrite::Updated
        } else {
            SavedWrite::Unchanged
        };
        tx.commit().await?;
        Ok(out)
    }

    /// Replaces a member's copy with `item` (a fresher snapshot of the live article),
    /// keeping note and saved-at. Returns whether there was a copy.
    pub async fn refresh_copy(&self, user_pk: i64, item: &SavedItem) -> anyhow::Result<bool> {
        let mut tx = self.begin_write().await?;
        let pk = self
            .copy_pk(&mut tx, user_pk, &item.source, &item.id)
            .await?;
        if let Some(pk) = pk {
            overwrite(&mut tx, pk, item, false).await?;
        }
        tx.commit().await?;
        Ok(pk.is_some())
    }

    pub(crate) async fn copy_pk(
        &self,
        conn: &mut Conn,
        user_pk: i64,
        source: &str,
        id: &str,
    ) -> anyhow::Result<Option<i64>> {
        let pk: Option<(i64,)> = sqlx::query_as(
            "SELECT pk FROM saved_items WHERE user_pk = $1 AND source = $2 AND ext_id = $3",
        )
        .bind(user_pk)
        .bind(source)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(pk.map(|p| p.0))
    }

    /// Deletes a member's copy; returns whether there was one.
    pub async fn unsave(&self, user_pk: i64, source: &str, id: &str) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "DELETE FROM saved_items WHERE user_pk = $1 AND source = $2 AND ext_id = $3",
        )
        .bind(user_pk)
        .bind(source)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Sets (or, with `None`, clears) the note of a member's copy; whether there was one.
    pub async fn set_saved_note(
        &self,
        user_pk: i64,
        source: &str,
        id: &str,
        note: Option<&str>,
    ) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "UPDATE saved_items SET note = $1 WHERE user_pk = $2 AND source = $3 AND ext_id = $4",
        )
        .bind(note)
        .bind(user_pk)
        .bind(source)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::like_word;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_word("ليبي"), "% ليبي %");
        assert_eq!(like_word("a_b%c\\"), "% a\\_b\\%c\\\\ %");
    }
}
