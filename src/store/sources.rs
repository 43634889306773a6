//! Feed source rows: what to poll, how often, and how the last polls went.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;

/// A feed source as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub pk: i64,
    pub name: String,
    pub url: String,
    /// The feed's own title, once polled.
    pub title: Option<String>,
    /// Section slug given to its articles that carry none.
    pub section: Option<String>,
    /// OPML category path, `a/b`.
    pub category: Option<String>,
    pub full_content: bool,
    /// The interval asked for (`--every`), in seconds.
    pub every_secs: i64,
    /// The interval in force, adapted to how often the feed publishes.
    pub interval_secs: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_checked: Option<i64>,
    pub last_success: Option<i64>,
    /// `200`, `304`, `error` …, as shown on the health page.
    pub last_status: Option<String>,
    pub last_error: Option<String>,
    /// Failures in a row since the last success.
    pub failures: i64,
    pub next_check: i64,
}

/// A new source: name, URL and settings.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSource {
    pub name: String,
    pub url: String,
    pub section: Option<String>,
    pub category: Option<String>,
    pub full_content: bool,
    pub every_secs: i64,
}

/// The outcome of one poll, written back to the source's row.
#[derive(Debug, Clone, PartialEq)]
pub struct PollOutcome {
    pub checked: i64,
    pub success: bool,
    pub status: String,
    pub error: Option<String>,
    pub failures: i64,
    pub next_check: i64,
    pub interval_secs: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub title: Option<String>,
}

const COLUMNS: &str = "pk, name, url, title, section, category, full_content, every_secs, \
    interval_secs, etag, last_modified, last_checked, last_success, last_status, last_error, \
    failures, next_check";

fn decode(row: &AnyRow) -> Result<SourceRow, sqlx::Error> {
    Ok(SourceRow {
        pk: row.try_get("pk")?,
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        title: row.try_get("title")?,
        section: row.try_get("section")?,
        category: row.try_get("category")?,
        full_content: row.try_get::<i64, _>("full_content")? != 0,
        every_secs: row.try_get("every_secs")?,
        interval_secs: row.try_get("interval_secs")?,
        etag: row.try_get("etag")?,
        last_modified: row.try_get("last_modified")?,
        last_checked: row.try_get("last_checked")?,
        last_success: row.try_get("last_success")?,
        last_status: row.try_get("last_status")?,
        last_error: row.try_get("last_error")?,
        failures: row.try_get("failures")?,
        next_check: row.try_get("next_check")?,
    })
}

impl Store {
    /// Adds a source, due at once; `false` when the name is taken.
    pub async fn add_source(&self, s: &NewSource, now_ms: i64) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "INSERT INTO sources (name, url, section, category, full_content, every_secs, \
             interval_secs, next_check, created) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&s.name)
        .bind(&s.url)
        .bind(&s.section)
        .bind(&s.category)
        .bind(i64::from(s.full_content))
        .bind(s.every_secs)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every source, by name.
    pub async fn sources(&self) -> anyhow::Result<Vec<SourceRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM sources ORDER BY name"
        )))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    /// One source by name.
    pub async fn source(&self, name: &str) -> anyhow::Result<Option<SourceRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM sources WHERE name = $1"
        )))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(decode).transpose()?)
    }

    /// Claims the sources due at `now_ms` (all of them with `all`), up to `limit`, for
    /// `lease_ms`: another node or process polling at the same time skips them.
    pub async fn claim_due_sources(
        &self,
        now_ms: i64,
        all: bool,
        lease_ms: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<SourceRow>> {
        let due = if all { "1 = 1" } else { "next_check <= $1" };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM sources WHERE {due} AND lease_until <= $1 \
             ORDER BY next_check LIMIT $2"
        )))
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let s = decode(row)?;
            // Compare-and-set on the lease: only one claimer wins a row.
            let won = sqlx::query(
                "UPDATE sources SET lease_until = $1 WHERE pk = $2 AND lease_until <= $3",
            )
            .bind(now_ms + lease_ms)
            .bind(s.pk)
            .bind(now_ms)
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1;
            if won {
                claimed.push(s);
            }
        }
        Ok(claimed)
    }

    /// Writes a poll's outcome and releases the lease.
    pub async fn record_poll(&self, pk: i64, o: &PollOutcome) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE sources SET last_checked = $1, \
             last_success = CASE WHEN $2 = 1 THEN $1 ELSE last_success END, \
             last_status = $3, last_error = $4, failures = $5, next_check = $6, \
             interval_secs = $7, etag = COALESCE($8, etag), \
             last_modified = COALESCE($9, last_modified), title = COALESCE($10, title), \
             lease_until = 0 WHERE pk = $11",
        )
        .bind(o.checked)
        .bind(i64::from(o.success))
        .bind(&o.status)
        .bind(&o.error)
        .bind(o.failures)
        .bind(o.next_check)
        .bind(o.interval_secs)
        .bind(&o.etag)
        .bind(&o.last_modified)
        .bind(&o.title)
        .bind(pk)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes a source row (not its articles); `false` when there was none.
    pub async fn delete_source(&self, name: &str) -> anyhow::Result<bool> {
        let done = sqlx::query("DELETE FROM sources WHERE name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The ids of the articles of `source`, up to `limit` after `after` (in id order).
    pub async fn source_ext_ids(
        &self,
        source: &str,
        after: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT ext_id FROM articles WHERE source = $1 AND ext_id > $2 \
             ORDER BY ext_id LIMIT $3",
        )
        .bind(source)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Articles stored per source name: all of them, and those imported since `since_ms`.
    pub async fn source_article_counts(
        &self,
        since_ms: i64,
    ) -> anyhow::Result<std::collections::HashMap<String, (i64, i64)>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT a.source, COUNT(*), \
             CAST(SUM(CASE WHEN a.imported >= $1 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM articles a JOIN sources s ON s.name = a.source GROUP BY a.source",
        )
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(s, n, w)| (s, (n, w))).collect())
    }
}
