//! Imports of saved copies: lookups and inserts a batch at a time, in one transaction.

use std::collections::{HashMap, HashSet};

use sqlx::Row;

use super::{Conn, SavedItem, SavedWrite, overwrite};
use crate::store::{Store, to_millis};

/// Copies per statement of an import (14 parameters each, well under both engines' limits).
const IMPORT_CHUNK: usize = 100;

/// What is stored of a copy to tell whether an import changes it.
type Known = (i64, String, Option<String>, i64, String);

/// The stored copies of `items`' identities for `user_pk`.
async fn existing(
    conn: &mut Conn,
    user_pk: i64,
    items: &[SavedItem],
) -> anyhow::Result<HashMap<(String, String), Known>> {
    let values = (0..items.len())
        .map(|i| format!("(${}, ${})", 2 * i + 2, 2 * i + 3))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT source, ext_id, pk, content_hash, note, saved_at, title FROM saved_items \
         WHERE user_pk = $1 AND (source, ext_id) IN (VALUES {values})"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_pk);
    for it in items {
        q = q.bind(&it.source).bind(&it.id);
    }
    let mut out = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        out.insert(
            (r.try_get("source")?, r.try_get("ext_id")?),
            (
                r.try_get("pk")?,
                r.try_get("content_hash")?,
                r.try_get("note")?,
                r.try_get("saved_at")?,
                r.try_get("title")?,
            ),
        );
    }
    Ok(out)
}

/// Inserts new copies (none stored yet) and their tags, a statement for all of them.
async fn insert_many<'a>(
    conn: &mut Conn,
    user_pk: i64,
    items: impl Iterator<Item = &'a SavedItem>,
) -> anyhow::Result<()> {
    let items: Vec<&SavedItem> = items.collect();
    if items.is_empty() {
        return Ok(());
    }
    let values = (0..items.len())
        .map(|i| {
            let p: Vec<String> = (1..=14).map(|k| format!("${}", i * 14 + k)).collect();
            format!("({})", p.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO saved_items ({}) VALUES {values} RETURNING pk, source, ext_id",
        super::ITEM_COLUMNS
    );
    let mut q = sqlx::query_as::<_, (i64, String, String)>(sqlx::AssertSqlSafe(sql));
    for item in &items {
        q = super::bind_item(q, user_pk, item)?;
    }
    let keys: HashMap<(String, String), i64> = q
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(pk, s, i)| ((s, i), pk))
        .collect();
    let mut tags: Vec<(i64, &str)> = Vec::new();
    for item in &items {
        if let Some(pk) = keys.get(&(item.source.clone(), item.id.clone())) {
            let mut seen = HashSet::new();
            tags.extend(
                item.tags
                    .iter()
                    .filter(|t| seen.insert(t.slug.as_str()))
                    .map(|t| (*pk, t.slug.as_str())),
            );
        }
    }
    for chunk in tags.chunks(500) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO saved_item_tags (saved_pk, slug) VALUES {values}");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (pk, slug) in chunk {
            q = q.bind(*pk).bind(*slug);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

impl Store {
    /// Stores imported copies as given (note and saved-at too), in one transaction: new
    /// copies are inserted, different ones replaced, identical ones left alone. Lookups and
    /// inserts go a batch at a time (an import is thousands of copies).
    pub async fn import_copies(
        &self,
        user_pk: i64,
        items: &[SavedItem],
    ) -> anyhow::Result<Vec<SavedWrite>> {
        let mut tx = self.begin_write().await?;
        let mut out = vec![SavedWrite::Unchanged; items.len()];
        let mut fresh: Vec<usize> = Vec::new();
        for (start, chunk) in (0..items.len())
            .step_by(IMPORT_CHUNK)
            .map(|s| (s, &items[s..(s + IMPORT_CHUNK).min(items.len())]))
        {
            let known = existing(&mut tx, user_pk, chunk).await?;
            for (i, item) in chunk.iter().enumerate() {
                match known.get(&(item.source.clone(), item.id.clone())) {
                    None => fresh.push(start + i),
                    Some((_, hash, note, saved_at, title))
                        if *hash == item.content_hash
                            && *note == item.note
                            && *saved_at == to_millis(item.saved_at)
                            && *title == item.title => {}
                    Some((pk, ..)) => {
                        overwrite(&mut tx, *pk, item, true).await?;
                        out[start + i] = SavedWrite::Updated;
                    }
                }
            }
        }
        // The same copy twice in one import: the first is inserted, the later ones replace it.
        let mut seen = HashSet::new();
        let (first, again): (Vec<usize>, Vec<usize>) = fresh
            .into_iter()
            .partition(|&i| seen.insert((items[i].source.as_str(), items[i].id.as_str())));
        for chunk in first.chunks(IMPORT_CHUNK) {
            insert_many(&mut tx, user_pk, chunk.iter().map(|&i| &items[i])).await?;
            for &i in chunk {
                out[i] = SavedWrite::Inserted;
            }
        }
        for i in again {
            let item = &items[i];
            if let Some(pk) = self
                .copy_pk(&mut tx, user_pk, &item.source, &item.id)
                .await?
            {
                overwrite(&mut tx, pk, item, true).await?;
            }
            out[i] = SavedWrite::Updated;
        }
        tx.commit().await?;
        Ok(out)
    }
}
