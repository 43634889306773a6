//! Polls as jobs. The elected scheduler enqueues `feed_polls_due` once per period; that job
//! claims the sources due now (a lease on their rows, so no other poller takes them) and
//! enqueues one `feed_poll` job per source, which fetches it (conditional GET), stores its
//! entries through the newsroom and plans its next check (backoff, health). A due poll is
//! thus a job row before it is done; a claim whose job never ran (a crash between the two)
//! lapses with its lease and is claimed again.

use std::time::Duration;

use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{LEASE, Poller};
use crate::app::AppState;
use crate::jobs::{JobRef, NewJob, Queue, Registry};
use crate::store::{Store, to_millis};

/// The periodic job that finds due sources.
pub const DUE: &str = "feed_polls_due";
/// The poll of one source.
pub const POLL: &str = "feed_poll";
/// Sources claimed by one `feed_polls_due` run (the rest wait for the next period).
const CLAIM_AT_ONCE: i64 = 2000;

/// The payload of a `feed_poll` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PollJob {
    pub source: String,
}

/// Registers both kinds (not their period: see [`schedule`]).
pub fn register(r: &mut Registry<AppState>) {
    r.register(
        DUE,
        |state: AppState, _job: JobRef, _: serde_json::Value| async move {
            let n = enqueue_due(&state.store, &state.jobs).await?;
            if n > 0 {
                tracing::info!(sources = n, "feed polls enqueued");
            }
            Ok(())
        },
    );
    r.register(POLL, |state: AppState, _job: JobRef, p: PollJob| async move {
        let Some(source) = state.store.source(&p.source).await? else {
            // Removed since it was claimed.
            return Ok(());
        };
        let polled = Poller::from_state(&state)
            .poll_source(source, Utc::now())
            .await?;
        tracing::info!(source = %polled.name, status = %polled.status, imported = polled.imported, "polled");
        Ok(())
    });
}

/// Makes `feed_polls_due` periodic, every `poll_every_secs` of the configuration (0: this
/// process's scheduler leaves polling to `sahifa poll`).
pub fn schedule(r: &mut Registry<AppState>, config: &crate::config::Config) {
    if config.poll_every_secs > 0 {
        r.every(DUE, Duration::from_secs(config.poll_every_secs));
    }
}

/// The `feed_poll` job of source `name`, unique by `slot` (its row key and the claim's time).
fn poll_job(name: &str, slot: String) -> NewJob {
    let p = PollJob {
        source: name.to_string(),
    };
    NewJob::new(POLL, &p)
        .attempts(3)
        .unique(format!("{POLL}:{slot}"))
}

/// Claims the sources due now and enqueues one `feed_poll` job each; returns how many.
pub async fn enqueue_due(store: &Store, queue: &Queue) -> anyhow::Result<usize> {
    let now = to_millis(Utc::now());
    let lease = i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
    let claimed = store
        .claim_due_sources(now, false, lease, CLAIM_AT_ONCE)
        .await?;
    for s in &claimed {
        queue
            .enqueue(poll_job(&s.name, format!("{}:{now}", s.pk)))
            .await?;
    }
    Ok(claimed.len())
}

/// Enqueues a poll of the source `name` now, due or not (the admin page's "check now");
/// false when there is no such source.
pub async fn enqueue_now(state: &AppState, name: &str) -> anyhow::Result<bool> {
    let Some(s) = state.store.source(name).await? else {
        return Ok(false);
    };
    let now = to_millis(Utc::now());
    let job = poll_job(&s.name, format!("{}:now:{now}", s.pk));
    state.jobs.enqueue(job).await?;
    Ok(true)
}

/// The registry of `sahifa poll`: only the poll kinds, polling every few seconds.
pub fn registry(config: &crate::config::Config) -> Registry<AppState> {
    let mut r = Registry::new();
    register(&mut r);
    r.every(
        DUE,
        Duration::from_secs(config.poll_every_secs.clamp(1, 15)),
    );
    r
}
