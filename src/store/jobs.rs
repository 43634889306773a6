//! The job queue's SQL: insert (also inside a caller's transaction), claim with a lease,
//! finish, retry, release, extend a lease, return expired leases, counts for `sahifa jobs`,
//! and leadership rows for singletons. The use-case around it is `crate::jobs`.
//!
//! Every update of a claimed job is fenced by `(id, claimed_by, attempts)`: a worker whose
//! lease expired (and whose job another worker took) can no longer change the row.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Store};

/// A job to insert.
#[derive(Debug, Clone)]
pub struct JobInsert<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub max_attempts: i64,
    pub run_after_ms: i64,
    pub unique_key: Option<&'a str>,
    pub now_ms: i64,
}

/// A job as claimed by a worker.
#[derive(Debug, Clone)]
pub struct ClaimedRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// This attempt's number (1 for the first run).
    pub attempts: i64,
    pub max_attempts: i64,
}

/// One job as `sahifa jobs` lists it.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_after_ms: i64,
    pub last_error: Option<String>,
    pub updated_ms: i64,
}

/// Which claimed job an update is about; the update is a no-op once the lease was lost.
#[derive(Debug, Clone, Copy)]
pub struct Fence<'a> {
    pub id: i64,
    pub worker: &'a str,
    pub attempt: i64,
}

const FENCE: &str = "id = $1 AND claimed_by = $2 AND attempts = $3 AND state = 'running'";

/// Inserts a job on `conn` (a pool connection or the caller's open transaction); `None`
/// when a job with the same unique key already exists.
pub async fn insert_job(
    conn: &mut sqlx::AnyConnection,
    job: &JobInsert<'_>,
) -> anyhow::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, unique_key, \
         created, updated) VALUES ($1, $2, 'queued', 0, $3, $4, $5, $6, $6) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.max_attempts)
    .bind(job.run_after_ms)
    .bind(job.unique_key)
    .bind(job.now_ms)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// `$from, …, $(from + n - 1)`: the parameters of an `IN (…)` list.
pub(super) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn decode_claimed(row: &AnyRow) -> Result<ClaimedRow, sqlx::Error> {
    Ok(ClaimedRow {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: row.try_get("payload")?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
    })
}

fn decode_job_row(r: &AnyRow) -> Result<JobRow, sqlx::Error> {
    Ok(JobRow {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        max_attempts: r.try_get("max_attempts")?,
        run_after_ms: r.try_get("run_after")?,
        last_error: r.try_get("last_error")?,
        updated_ms: r.try_get("updated")?,
    })
}

impl Store {
    /// Inserts a job through the pool; `None` when its unique key is taken.
    pub async fn insert_job(&self, job: &JobInsert<'_>) -> anyhow::Result<Option<i64>> {
        let mut conn = self.pool.acquire().await?;
        insert_job(&mut conn, job).await
    }

    /// Claims up to `limit` due jobs of `kinds` for `worker` until `lease_until_ms`, in one
    /// statement: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets workers pass each other's
    /// rows; on SQLite the single UPDATE takes the database's write lock for its duration
    /// (other processes on the same file wait through `busy_timeout`), so no two claims see
    /// the same row as queued.
    pub async fn claim_jobs(
        &self,
        worker: &str,
        kinds: &[&str],
        limit: i64,
        lease_until_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<Vec<ClaimedRow>> {
        if kinds.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', claimed_by = $1, lease_until = $2, \
             attempts = attempts + 1, updated = $3 \
             WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= $3 \
             AND kind IN ({}) ORDER BY run_after, id LIMIT $4{lock}) \
             RETURNING id, kind, payload, attempts, max_attempts",
            placeholders(5, kinds.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(worker)
            .bind(lease_until_ms)
            .bind(now_ms)
            .bind(limit);
        for k in kinds {
            q = q.bind(*k);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows.iter().map(decode_claimed).collect::<Result<_, _>>()?)
    }

    /// Marks a claimed job done; false when the lease had been lost.
    pub async fn finish_job(&self, fence: Fence<'_>, now_ms: i64) -> anyhow::Result<bool> {
        let sql = format!(
            "UPDATE jobs SET state = 'done', claimed_by = NULL, lease_until = NULL, \
             updated = $4, finished = $4 WHERE {FENCE}"
        );
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(fence.id)
            .bind(fence.worker)
            .bind(fence.attempt)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Marks claimed jobs of `worker` done in one statement, each fenced by its
    /// `(id, attempt)`; returns how many were still held (and are now done).
    pub async fn finish_jobs(
        &self,
        worker: &str,
        held: &[(i64, i64)],
        now_ms: i64,
    ) -> anyhow::Result<u64> {
        if held.is_empty() {
            return Ok(0);
        }
        let pairs = (0..held.len())
            .map(|i| format!("(${}, ${})", 3 + 2 * i, 4 + 2 * i))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "UPDATE jobs SET state = 'done', claimed_by = NULL, lease_until = NULL, \
             updated = $2, finished = $2 WHERE claimed_by = $1 AND state = 'running' \
             AND (id, attempts) IN (VALUES {pairs})"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(worker)
            .bind(now_ms);
        for (id, attempt) in held {
            q = q.bind(*id).bind(*attempt);
        }
        Ok(q.execute(&self.pool).await?.rows_affected())
    }

    /// Records a failed attempt: back to the queue until `retry_at_ms`, or `failed` for good
    /// when `retry_at_ms` is `None`. False when the lease had been lost.
    pub async fn fail_job(
        &self,
        fence: Fence<'_>,
        error: &str,
        retry_at_ms: Option<i64>,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let sql = format!(
            "UPDATE jobs SET state = $4, run_after = $5, last_error = $6, claimed_by = NULL, \
             lease_until = NULL, updated = $7, finished = $8 WHERE {FENCE}"
        );
        let (state, finished) = match retry_at_ms {
            Some(_) => ("queued", None),
            None => ("failed", Some(now_ms)),
        };
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(fence.id)
            .bind(fence.worker)
            .bind(fence.attempt)
            .bind(state)
            .bind(retry_at_ms.unwrap_or(now_ms))
            .bind(error)
            .bind(now_ms)
            .bind(finished)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Gives a claimed job back untouched (a worker shutting down): queued again at once,
    /// and the attempt does not count.
    pub async fn release_job(&self, fence: Fence<'_>, now_ms: i64) -> anyhow::Result<bool> {
        let sql = format!(
            "UPDATE jobs SET state = 'queued', attempts = attempts - 1, claimed_by = NULL, \
             lease_until = NULL, run_after = $4, updated = $4 WHERE {FENCE}"
        );
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(fence.id)
            .bind(fence.worker)
            .bind(fence.attempt)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Extends the lease of a job still held (a heartbeat); false when it was lost.
    pub async fn extend_job_lease(
        &self,
        fence: Fence<'_>,
        lease_until_ms: i64,
    ) -> anyhow::Result<bool> {
        let sql = format!("UPDATE jobs SET lease_until = $4 WHERE {FENCE}");
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(fence.id)
            .bind(fence.worker)
            .bind(fence.attempt)
            .bind(lease_until_ms)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Returns running jobs whose lease expired (their worker died or lost the database) to
    /// the queue, or fails them when that was their last attempt. Returns how many.
    pub async fn reap_expired_jobs(&self, now_ms: i64) -> anyhow::Result<u64> {
        let r = sqlx::query(
            "UPDATE jobs SET \
             state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
             finished = CASE WHEN attempts >= max_attempts THEN $1 ELSE NULL END, \
             last_error = 'lease expired: worker ' || COALESCE(claimed_by, '?') || \
             ' stopped or lost the database during attempt ' || CAST(attempts AS TEXT), \
             claimed_by = NULL, lease_until = NULL, run_after = $1, updated = $1 \
             WHERE state = 'running' AND lease_until < $1",
        )
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
    }

    /// Job counts by (kind, state).
    pub async fn job_counts(&self) -> anyhow::Result<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state ORDER BY kind, state",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The most recently updated jobs that carry an error and are failed or waiting for a
    /// retry, newest first.
    pub async fn job_errors(&self, limit: i64) -> anyhow::Result<Vec<JobRow>> {
        let rows = sqlx::query(
            "SELECT id, kind, state, attempts, max_attempts, run_after, last_error, updated \
             FROM jobs WHERE last_error IS NOT NULL AND state IN ('failed', 'queued') \
             ORDER BY updated DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(decode_job_row).collect::<Result<_, _>>()?)
    }

    /// One job by id (tests, diagnostics).
    pub async fn job(&self, id: i64) -> anyhow::Result<Option<JobRow>> {
        let row = sqlx::query(
            "SELECT id, kind, state, attempts, max_attempts, run_after, last_error, updated \
             FROM jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(decode_job_row).transpose()?)
    }

    /// Jobs due or running at `now_ms` (work a runner has in hand or could take now).
    pub async fn jobs_in_flight(&self, now_ms: i64) -> anyhow::Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM jobs WHERE state = 'running' \
             OR (state = 'queued' AND run_after <= $1)",
        )
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// The first `limit` jobs of `kind`, oldest first (tests, diagnostics).
    pub async fn jobs_of_kind(&self, kind: &str, limit: i64) -> anyhow::Result<Vec<JobRow>> {
        let rows = sqlx::query(
            "SELECT id, kind, state, attempts, max_attempts, run_after, last_error, updated \
             FROM jobs WHERE kind = $1 ORDER BY id LIMIT $2",
        )
        .bind(kind)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(decode_job_row).collect::<Result<_, _>>()?)
    }

    /// Deletes jobs done before `before_ms` (failed jobs are kept); returns how many.
    pub async fn delete_done_jobs(&self, before_ms: i64) -> anyhow::Result<u64> {
        let r = sqlx::query("DELETE FROM jobs WHERE state = 'done' AND finished < $1")
            .bind(before_ms)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}
