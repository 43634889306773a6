//! The `signals` table (what a member did with an article: open, read, save, more, less,
//! hide) and the `editor_pins` table.

use super::Store;

/// One stored signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRow {
    pub kind: String,
    pub source: String,
    pub id: String,
    pub axis: Option<String>,
    pub value: Option<String>,
    /// Unix milliseconds.
    pub at: i64,
}

/// A new signal to store.
#[derive(Debug, Clone, Copy)]
pub struct NewSignal<'a> {
    pub kind: &'a str,
    pub source: &'a str,
    pub id: &'a str,
    pub axis: Option<&'a str>,
    pub value: Option<&'a str>,
    pub at: i64,
}

type Raw = (String, String, String, Option<String>, Option<String>, i64);

fn row(r: Raw) -> SignalRow {
    SignalRow {
        kind: r.0,
        source: r.1,
        id: r.2,
        axis: r.3,
        value: r.4,
        at: r.5,
    }
}

impl Store {
    /// Stores one signal of a member.
    pub async fn insert_signal(&self, user_pk: i64, s: NewSignal<'_>) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO signals (user_pk, kind, source, ext_id, axis, value, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(user_pk)
        .bind(s.kind)
        .bind(s.source)
        .bind(s.id)
        .bind(s.axis)
        .bind(s.value)
        .bind(s.at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A member's most recent signals (at most `limit`), newest first.
    pub async fn signals_of(&self, user_pk: i64, limit: i64) -> anyhow::Result<Vec<SignalRow>> {
        let rows: Vec<Raw> = sqlx::query_as(
            "SELECT kind, source, ext_id, axis, value, at FROM signals WHERE user_pk = $1 \
             ORDER BY at DESC, pk DESC LIMIT $2",
        )
        .bind(user_pk)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(row).collect())
    }

    /// Sources a member hid, however long ago.
    pub async fn hidden_sources(&self, user_pk: i64) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT source FROM signals WHERE user_pk = $1 AND kind = 'hide' ORDER BY source",
        )
        .bind(user_pk)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The most recent signals (at most `limit` each) of many members at once, as
    /// (member, signal), each member's newest first.
    pub async fn signals_of_many(
        &self,
        user_pks: &[i64],
        limit: i64,
    ) -> anyhow::Result<Vec<(i64, SignalRow)>> {
        if user_pks.is_empty() {
            return Ok(Vec::new());
        }
        let n = user_pks.len();
        let sql = format!(
            "SELECT user_pk, kind, source, ext_id, axis, value, at FROM (SELECT user_pk, kind, \
             source, ext_id, axis, value, at, pk, ROW_NUMBER() OVER (PARTITION BY user_pk \
             ORDER BY at DESC, pk DESC) AS nth FROM signals WHERE user_pk IN ({})) AS recent \
             WHERE nth <= ${} ORDER BY user_pk, at DESC, pk DESC",
            super::jobs::placeholders(1, n),
            n + 1
        );
        let mut q = sqlx::query_as::<
            _,
            (
                i64,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
                i64,
            ),
        >(sqlx::AssertSqlSafe(sql));
        for pk in user_pks {
            q = q.bind(*pk);
        }
        let rows = q.bind(limit).fetch_all(self.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|(u, k, s, i, a, v, at)| (u, row((k, s, i, a, v, at))))
            .collect())
    }

    /// The sources many members hid, as (member, source).
    pub async fn hidden_sources_of_many(
        &self,
        user_pks: &[i64],
    ) -> anyhow::Result<Vec<(i64, String)>> {
        if user_pks.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT DISTINCT user_pk, source FROM signals WHERE user_pk IN ({}) \
             AND kind = 'hide' ORDER BY user_pk, source",
            super::jobs::placeholders(1, user_pks.len())
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for pk in user_pks {
            q = q.bind(*pk);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Ends the hiding of a source; returns how many hide signals went.
    pub async fn delete_hides(&self, user_pk: i64, source: &str) -> anyhow::Result<u64> {
        let r =
            sqlx::query("DELETE FROM signals WHERE user_pk = $1 AND kind = 'hide' AND source = $2")
                .bind(user_pk)
                .bind(source)
                .execute(self.pool())
                .await?;
        Ok(r.rows_affected())
    }

    /// Deletes every signal of a member ("clear my history", account deletion).
    pub async fn delete_signals_of(&self, user_pk: i64) -> anyhow::Result<u64> {
        let r = sqlx::query("DELETE FROM signals WHERE user_pk = $1")
            .bind(user_pk)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected())
    }

    /// Pins an article to every member's feed until `until` (ms), by editor `by`.
    pub async fn pin_article(
        &self,
        source: &str,
        id: &str,
        by: Option<i64>,
        at: i64,
        until: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO editor_pins (source, ext_id, pinned_by, created, until) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source, ext_id) DO UPDATE SET \
             pinned_by = excluded.pinned_by, created = excluded.created, until = excluded.until",
        )
        .bind(source)
        .bind(id)
        .bind(by)
        .bind(at)
        .bind(until)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes a pin; returns whether there was one.
    pub async fn unpin_article(&self, source: &str, id: &str) -> anyhow::Result<bool> {
        let r = sqlx::query("DELETE FROM editor_pins WHERE source = $1 AND ext_id = $2")
            .bind(source)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Until when (ms) the article is pinned, if a pin in force at `now` (ms) holds it.
    pub async fn pin_until(&self, source: &str, id: &str, now: i64) -> anyhow::Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT until FROM editor_pins WHERE source = $1 AND ext_id = $2 AND until > $3",
        )
        .bind(source)
        .bind(id)
        .bind(now)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Pins still in force at `now` (ms): (source, id).
    pub async fn active_pins(&self, now: i64) -> anyhow::Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT source, ext_id FROM editor_pins WHERE until > $1 ORDER BY created DESC",
        )
        .bind(now)
        .fetch_all(self.pool())
        .await?)
    }
}
