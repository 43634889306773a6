//! Reads of saved copies: the list and its search, single copies, export pages, counts.

use std::collections::HashSet;

use super::{COLUMNS, FROM, SavedFilter, SavedRow, decode, like_word};
use crate::store::Store;

impl Store {
    /// Which of `keys` (source, id) the member has saved.
    pub async fn saved_keys(
        &self,
        user_pk: i64,
        keys: &[(&str, &str)],
    ) -> anyhow::Result<HashSet<(String, String)>> {
        let mut out = HashSet::new();
        for chunk in keys.chunks(200) {
            let values = (0..chunk.len())
                .map(|i| format!("(${}, ${})", 2 * i + 2, 2 * i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT source, ext_id FROM saved_items WHERE user_pk = $1 \
                 AND (source, ext_id) IN (VALUES {values})"
            );
            let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
            q = q.bind(user_pk);
            for (s, i) in chunk {
                q = q.bind(*s).bind(*i);
            }
            out.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    /// One copy of a member.
    pub async fn saved_item(
        &self,
        user_pk: i64,
        source: &str,
        id: &str,
    ) -> anyhow::Result<Option<SavedRow>> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE s.user_pk = $1 AND s.source = $2 AND s.ext_id = $3"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_pk)
            .bind(source)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(decode).transpose().map_err(Into::into)
    }

    /// Keys of the member's copies matching `f`, newest saved first.
    pub async fn saved_matching(&self, f: &SavedFilter) -> anyhow::Result<Vec<i64>> {
        let mut sql = String::from("SELECT s.pk FROM saved_items s WHERE s.user_pk = $1");
        let mut binds: Vec<String> = Vec::new();
        for stem in &f.stems {
            binds.push(like_word(stem));
            sql.push_str(&format!(
                " AND s.terms LIKE ${} ESCAPE '\\'",
                binds.len() + 1
            ));
        }
        for stem in &f.excluded {
            binds.push(like_word(stem));
            sql.push_str(&format!(
                " AND s.terms NOT LIKE ${} ESCAPE '\\'",
                binds.len() + 1
            ));
        }
        if let Some(section) = &f.section {
            binds.push(section.clone());
            sql.push_str(&format!(" AND s.section = ${}", binds.len() + 1));
        }
        if let Some(tag) = &f.tag {
            binds.push(tag.clone());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM saved_item_tags t WHERE t.saved_pk = s.pk \
                 AND t.slug = ${})",
                binds.len() + 1
            ));
        }
        sql.push_str(" ORDER BY s.saved_at DESC, s.pk DESC");
        let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)).bind(f.user_pk);
        for b in &binds {
            q = q.bind(b.as_str());
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect())
    }

    /// The member's copies with keys `pks`, in that order.
    pub async fn saved_rows(&self, user_pk: i64, pks: &[i64]) -> anyhow::Result<Vec<SavedRow>> {
        let mut rows = Vec::with_capacity(pks.len());
        for chunk in pks.chunks(200) {
            let list = (0..chunk.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT {COLUMNS} {FROM} WHERE s.user_pk = $1 AND s.pk IN ({list})");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_pk);
            for pk in chunk {
                q = q.bind(*pk);
            }
            for r in q.fetch_all(&self.pool).await? {
                rows.push(decode(&r)?);
            }
        }
        let order: std::collections::HashMap<i64, usize> =
            pks.iter().enumerate().map(|(i, pk)| (*pk, i)).collect();
        rows.sort_by_key(|r| order.get(&r.pk).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// A page of the member's copies, newest saved first, after `after` (saved-at ms, key)
    /// when given: the export reads them this way so its memory does not grow with them.
    pub async fn saved_page(
        &self,
        user_pk: i64,
        after: Option<(i64, i64)>,
        limit: i64,
    ) -> anyhow::Result<Vec<SavedRow>> {
        let (at, pk) = after.unwrap_or((i64::MAX, i64::MAX));
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE s.user_pk = $1 \
             AND (s.saved_at < $2 OR (s.saved_at = $2 AND s.pk < $3)) \
             ORDER BY s.saved_at DESC, s.pk DESC LIMIT $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_pk)
            .bind(at)
            .bind(pk)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    /// How many saved copies (of any member) there are of the article (source, id).
    pub async fn saved_copies_of(&self, source: &str, id: &str) -> anyhow::Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM saved_items WHERE source = $1 AND ext_id = $2")
                .bind(source)
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }

    /// Number of copies a member has saved.
    pub async fn saved_count(&self, user_pk: i64) -> anyhow::Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM saved_items WHERE user_pk = $1")
            .bind(user_pk)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}
