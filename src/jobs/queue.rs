//! The queue: enqueue (alone, or inside the caller's open transaction so that the job
//! commits with the row that needs it), claim with a lease, complete, fail with exponential
//! backoff and jitter, release, heartbeat, and the return of expired leases.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use tokio::sync::Notify;

use crate::config::Config;
use crate::store::jobs::{Fence, JobInsert};
use crate::store::{Store, to_millis};

/// Attempts a job gets unless it asks for another number.
pub const DEFAULT_ATTEMPTS: u32 = 5;
/// Longest wait between two attempts.
const RETRY_MAX: Duration = Duration::from_secs(3600);

/// How the queue and its runners behave (from the `jobs_*` settings).
#[derive(Debug, Clone)]
pub struct QueueSettings {
    /// Jobs one runner works on at once.
    pub concurrency: usize,
    /// How often an idle runner looks for due jobs (enqueues in this process wake it
    /// at once).
    pub poll: Duration,
    /// How long a claim lasts without a heartbeat; a third of it is the heartbeat period.
    pub lease: Duration,
    /// The first retry's delay; each further one doubles (with jitter), up to an hour.
    pub retry_base: Duration,
    /// How long a stopping runner lets running jobs finish before it releases them.
    pub grace: Duration,
}

impl QueueSettings {
    /// The settings of `config`.
    pub fn from_config(config: &Config) -> QueueSettings {
        QueueSettings {
            concurrency: config.jobs_concurrency.max(1),
            poll: Duration::from_millis(config.jobs_poll_ms.max(10)),
            lease: Duration::from_millis(config.jobs_lease_ms.max(300)),
            retry_base: Duration::from_millis(config.jobs_retry_base_ms),
            grace: Duration::from_millis(config.jobs_grace_ms),
        }
    }
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings::from_config(&Config::default())
    }
}

/// A job to enqueue, built with [`NewJob::new`] and its modifiers.
#[derive(Debug, Clone)]
pub struct NewJob {
    kind: String,
    payload: Result<String, String>,
    run_after: Option<DateTime<Utc>>,
    max_attempts: u32,
    unique_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` (as registered) with `payload` serialized as JSON.
    pub fn new(kind: &str, payload: &impl Serialize) -> NewJob {
        NewJob {
            kind: kind.to_string(),
            payload: serde_json::to_string(payload).map_err(|e| e.to_string()),
            run_after: None,
            max_attempts: DEFAULT_ATTEMPTS,
            unique_key: None,
        }
    }

    /// Runs no earlier than `at` (a scheduled job).
    pub fn at(mut self, at: DateTime<Utc>) -> NewJob {
        self.run_after = Some(at);
        self
    }

    /// Runs no earlier than `delay` from now.
    pub fn after(mut self, delay: Duration) -> NewJob {
        let delay = chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX);
        self.run_after = Some(Utc::now().checked_add_signed(delay).unwrap_or(Utc::now()));
        self
    }

    /// How many attempts before the job ends `failed` (at least 1).
    pub fn attempts(mut self, n: u32) -> NewJob {
        self.max_attempts = n.max(1);
        self
    }

    /// A key no other job may have (kept while the job's row lives, done or not): a second
    /// enqueue with the same key is a no-op. Periodic jobs use `kind:slot`.
    pub fn unique(mut self, key: impl Into<String>) -> NewJob {
        self.unique_key = Some(key.into());
        self
    }

    fn insert(&self, now: DateTime<Utc>) -> anyhow::Result<JobInsert<'_>> {
        let payload = self
            .payload
            .as_deref()
            .map_err(|e| anyhow::anyhow!("job {} payload: {e}", self.kind))?;
        Ok(JobInsert {
            kind: &self.kind,
            payload,
            max_attempts: i64::from(self.max_attempts),
            run_after_ms: to_millis(self.run_after.unwrap_or(now)),
            unique_key: self.unique_key.as_deref(),
            now_ms: to_millis(now),
        })
    }
}

/// A job this worker holds, from its claim until it is completed, failed or released.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// This attempt's number, 1 for the first run.
    pub attempt: i64,
    pub max_attempts: i64,
    worker: Arc<str>,
}

impl Claimed {
    fn fence(&self) -> Fence<'_> {
        Fence {
            id: self.id,
            worker: &self.worker,
            attempt: self.attempt,
        }
    }
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Retry {
    /// Queued again, to run after the delay.
    After(Duration),
    /// That was the last attempt (or the error was permanent): the job is `failed`.
    Never,
}

/// The queue of one database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Queue {
    store: Store,
    wake: Arc<Notify>,
    settings: Arc<QueueSettings>,
}

fn now_ms() -> i64 {
    to_millis(Utc::now())
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Queue {
    /// The queue in `store`.
    pub fn new(store: Store, settings: QueueSettings) -> Queue {
        Queue {
            store,
            wake: Arc::new(Notify::new()),
            settings: Arc::new(settings),
        }
    }

    pub fn settings(&self) -> &QueueSettings {
        &self.settings
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Enqueues `job` in its own statement and wakes this process's runner; returns its id,
    /// or `None` when its unique key was taken.
    pub async fn enqueue(&self, job: NewJob) -> anyhow::Result<Option<i64>> {
        let id = self
            .store
            .insert_job(&job.insert(Utc::now())?)
            .await
            .with_context(|| format!("enqueueing a {} job", job.kind))?;
        self.wake();
        Ok(id)
    }

    /// Enqueues `job` on `conn`, normally the caller's open transaction, so the job exists
    /// exactly when the caller's rows do. Call [`Queue::wake`] after the commit to run it
    /// at once (otherwise the next poll finds it).
    pub async fn enqueue_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        job: NewJob,
    ) -> anyhow::Result<Option<i64>> {
        crate::store::jobs::insert_job(conn, &job.insert(Utc::now())?)
            .await
            .with_context(|| format!("enqueueing a {} job", job.kind))
    }

    /// Wakes this process's runner (after a commit that enqueued jobs).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Resolves at the next [`Queue::wake`].
    pub(super) async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Claims up to `limit` due jobs of `kinds` for `worker`, leased for the configured
    /// lease.
    pub async fn claim(
        &self,
        worker: &Arc<str>,
        kinds: &[&str],
        limit: usize,
    ) -> anyhow::Result<Vec<Claimed>> {
        let now = now_ms();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .store
            .claim_jobs(
                worker,
                kinds,
                limit,
                now.saturating_add(ms(self.settings.lease)),
                now,
            )
            .await
            .context("claiming jobs")?;
        Ok(rows
            .into_iter()
            .map(|r| Claimed {
                id: r.id,
                kind: r.kind,
                payload: r.payload,
                attempt: r.attempts,
                max_attempts: r.max_attempts,
                worker: worker.clone(),
            })
            .collect())
    }

    /// Marks `job` done; false when its lease had been lost (another worker has it).
    pub async fn complete(&self, job: &Claimed) -> anyhow::Result<bool> {
        self.store.finish_job(job.fence(), now_ms()).await
    }

    /// Marks the claimed `jobs` (all of one worker) done in as few statements as their
    /// number allows; returns how many were still held.
    pub async fn complete_many(&self, jobs: &[Claimed]) -> anyhow::Result<u64> {
        let Some(first) = jobs.first() else {
            return Ok(0);
        };
        let mut done = 0;
        for chunk in jobs.chunks(200) {
            let held: Vec<(i64, i64)> = chunk.iter().map(|j| (j.id, j.attempt)).collect();
            done += self
                .store
                .finish_jobs(&first.worker, &held, now_ms())
                .await?;
        }
        Ok(done)
    }

    /// Records a failed attempt of `job`: retried after an exponential, jittered delay, or
    /// `failed` for good after the last attempt or a [`super::Permanent`] error.
    pub async fn fail(&self, job: &Claimed, error: &anyhow::Error) -> anyhow::Result<Retry> {
        let permanent = error.downcast_ref::<super::Permanent>().is_some();
        let retry = if permanent || job.attempt >= job.max_attempts {
            Retry::Never
        } else {
            Retry::After(self.backoff(job.attempt))
        };
        let now = now_ms();
        let retry_at = match retry {
            Retry::After(d) => Some(now.saturating_add(ms(d))),
            Retry::Never => None,
        };
        let text = format!("attempt {}/{}: {error:#}", job.attempt, job.max_attempts);
        let text: String = text.chars().take(2000).collect();
        self.store
            .fail_job(job.fence(), &text, retry_at, now)
            .await?;
        Ok(retry)
    }

    /// Gives `job` back to the queue untouched (this attempt does not count).
    pub async fn release(&self, job: &Claimed) -> anyhow::Result<bool> {
        self.store.release_job(job.fence(), now_ms()).await
    }

    /// Renews the lease on `job`; false when it was lost.
    pub async fn extend(&self, job: &Claimed) -> anyhow::Result<bool> {
        let until = now_ms().saturating_add(ms(self.settings.lease));
        self.store.extend_job_lease(job.fence(), until).await
    }

    /// Returns jobs whose lease expired to the queue (or fails them after their last
    /// attempt).
    pub async fn reap_expired(&self) -> anyhow::Result<u64> {
        self.store.reap_expired_jobs(now_ms()).await
    }

    /// The delay before the attempt after `attempt`: `retry_base · 2^(attempt-1)`, capped at
    /// an hour, of which a random half is taken off ("equal jitter"), so that jobs that
    /// failed together do not all come back together.
    pub fn backoff(&self, attempt: i64) -> Duration {
        let exp = u32::try_from(attempt.clamp(1, 32) - 1).unwrap_or(31);
        let full = self
            .settings
            .retry_base
            .saturating_mul(2u32.saturating_pow(exp))
            .min(RETRY_MAX);
        let half = full / 2;
        let jitter = rand::rng().random_range(0.0..=1.0);
        half + half.mul_f64(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn backoff_doubles_with_jitter_and_is_capped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("q.db").display());
        let store = Store::connect(&url).await.expect("store");
        let settings = QueueSettings {
            retry_base: Duration::from_secs(10),
            ..QueueSettings::default()
        };
        let q = Queue::new(store, settings);
        for attempt in 1..=6 {
            let full = Duration::from_secs(10 * 2u64.pow(u32::try_from(attempt - 1).unwrap_or(0)));
            let d = q.backoff(attempt);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
        assert!(q.backoff(40) <= RETRY_MAX);
        let spread: std::collections::HashSet<_> = (0..20).map(|_| q.backoff(3)).collect();
        assert!(spread.len() > 1, "jitter varies the delay");
    }
}
