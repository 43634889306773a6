//! The newsletter job kinds: `newsletter_send` (one sender of one edition: drains its
//! ledger in leased batches for a while, then enqueues its own follow-up) and the periodic
//! `newsletter_tick` (runs the schedules, and restarts senders of any edition still
//! sending, so an edition is never left half sent).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Newsletters;
use super::deliver::{Drain, worker_id};
use crate::jobs::{JobRef, NewJob, Registry};

/// The sender kind.
pub const SEND: &str = "newsletter_send";
/// The schedule kind.
pub const TICK: &str = "newsletter_tick";
/// How long one sender job works before handing over to its follow-up.
const BUDGET: Duration = Duration::from_secs(20);

/// A sender of one edition; `shard` only tells parallel senders apart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Send {
    pub edition: i64,
    #[serde(default)]
    pub shard: u32,
}

/// Registers both kinds; `newsletters` finds the service in the context.
pub fn register<C: Clone + std::marker::Send + Sync + 'static>(
    r: &mut Registry<C>,
    newsletters: fn(&C) -> &Newsletters,
) {
    r.register(SEND, move |ctx: C, _job: JobRef, p: Send| {
        let nl = newsletters(&ctx).clone();
        async move { nl.run_sender(p).await }
    });
    r.register(TICK, move |ctx: C, _job: JobRef, _: serde_json::Value| {
        let nl = newsletters(&ctx).clone();
        async move {
            let report = nl.tick().await?;
            if !report.queued.is_empty() || !report.skipped.is_empty() {
                tracing::info!(?report, "newsletter schedules");
            }
            // An edition whose due rows no sender claimed for a while lost its senders
            // (a job that failed for good): start one again.
            let stale = nl.now_ms() - 30_000;
            for edition in nl.store.editions_sending().await? {
                if nl
                    .store
                    .delivery_next_due(edition)
                    .await?
                    .is_some_and(|due| due < stale)
                {
                    let slot = nl.now().timestamp() / 60;
                    nl.enqueue_sender(edition, 0, None, &format!("tick-{slot}"))
                        .await?;
                }
            }
            Ok(())
        }
    });
    r.every(TICK, Duration::from_secs(60));
}

impl Newsletters {
    /// Enqueues a sender of `edition` (at `at`, or now); `tag` makes its unique key.
    pub async fn enqueue_sender(
        &self,
        edition: i64,
        shard: u32,
        at: Option<chrono::DateTime<chrono::Utc>>,
        tag: &str,
    ) -> anyhow::Result<()> {
        let Some(jobs) = &self.jobs else {
            return Ok(());
        };
        let mut job = NewJob::new(SEND, &Send { edition, shard })
            .attempts(20)
            .unique(format!("{SEND}:{edition}:{shard}:{tag}"));
        if let Some(at) = at {
            job = job.at(at);
        }
        jobs.enqueue(job).await?;
        Ok(())
    }

    /// One sender job: drain for a while, then hand over to a follow-up (now when rows are
    /// still due, later when they wait for a retry or another worker's lease).
    pub async fn run_sender(&self, p: Send) -> anyhow::Result<()> {
        let owner = worker_id();
        let tag = self.now().timestamp_millis().to_string();
        match self.drain(p.edition, &owner, BUDGET).await? {
            Drain::Done => Ok(()),
            Drain::More => self.enqueue_sender(p.edition, p.shard, None, &tag).await,
            Drain::Later(at) => {
                self.enqueue_sender(p.edition, p.shard, Some(at), &tag)
                    .await
            }
        }
    }
}
