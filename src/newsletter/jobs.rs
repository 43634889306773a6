//! The newsletter job kinds: `newsletter_send` (one sender of one edition: drains its
//! ledger in leased batches for a while, then enqueues its own follow-up; at most
//! [`SENDERS`] per edition, each with one mail in flight), `newsletter_optin` (the opt-in
//! mail, [`super::optin`]) and the periodic `newsletter_tick` (runs the schedules, and
//! restarts the senders an edition still sending has lost, so it is never left half sent).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Newsletters;
use super::deliver::{Drain, SENDERS, worker_id};
use crate::jobs::{JobRef, NewJob, Registry};

/// The sender kind.
pub const SEND: &str = "newsletter_send";
/// The schedule kind.
pub const TICK: &str = "newsletter_tick";
/// How long one sender job works before handing over to its follow-up.
const BUDGET: Duration = Duration::from_secs(20);

/// A sender of one edition; `shard` only tells parallel senders apart. Each sender hands
/// over to a follow-up: `origin` names the chain, `seq` the place in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Send {
    pub edition: i64,
    #[serde(default)]
    pub shard: u32,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub seq: u64,
}

impl Send {
    /// The job's unique key: `newsletter_send:EDITION:SHARD:ORIGIN:SEQ`.
    fn key(&self) -> String {
        format!(
            "{SEND}:{}:{}:{}:{}",
            self.edition, self.shard, self.origin, self.seq
        )
    }

    /// Whether `key` is a sender of the same edition and shard.
    fn same_shard(&self, key: &str) -> bool {
        self.place_of(key).is_some()
    }

    /// (seq, origin) of `key` when it is a sender of the same edition and shard.
    fn place_of<'k>(&self, key: &'k str) -> Option<(u64, &'k str)> {
        let tail = key.strip_prefix(&format!("{SEND}:{}:{}:", self.edition, self.shard))?;
        let (origin, seq) = tail.rsplit_once(':')?;
        Some((seq.parse().ok()?, origin))
    }

    /// Whether another live sender of this shard comes later than this one (a follow-up
    /// made before this job was re-run after a crash): then this one must not send.
    fn superseded(&self, live: &[String]) -> bool {
        let me = (self.seq, self.origin.as_str());
        live.iter()
            .filter_map(|k| self.place_of(k))
            .any(|other| other > me)
    }
}

/// Registers the three kinds (sender, opt-in mail, tick); `newsletters` finds the service in
/// the context.
pub fn register<C: Clone + std::marker::Send + Sync + 'static>(
    r: &mut Registry<C>,
    newsletters: fn(&C) -> &Newsletters,
) {
    r.register(SEND, move |ctx: C, _job: JobRef, p: Send| {
        let nl = newsletters(&ctx).clone();
        async move { nl.run_sender(p).await }
    });
    r.register(
        super::optin::KIND,
        move |ctx: C, job: JobRef, p: super::optin::OptIn| {
            let nl = newsletters(&ctx).clone();
            async move { nl.deliver_optin(&job, p).await }
        },
    );
    r.register(TICK, move |ctx: C, _job: JobRef, _: serde_json::Value| {
        let nl = newsletters(&ctx).clone();
        async move {
            let report = nl.tick().await?;
            if !report.queued.is_empty() || !report.skipped.is_empty() {
                tracing::info!(?report, "newsletter schedules");
            }
            // An edition whose senders are gone (a job that failed for good) gets them
            // back; one with its senders alive gets no more (each sender is one mail in
            // flight, which is what a crash can leave uncertain).
            for edition in nl.store.editions_sending().await? {
                if nl.store.delivery_next_due(edition).await?.is_some() {
                    let slot = nl.now().timestamp() / 60;
                    nl.start_senders(edition, &format!("tick-{slot}")).await?;
                }
            }
            Ok(())
        }
    });
    r.every(TICK, Duration::from_secs(60));
}

impl Newsletters {
    /// Enqueues sender `p` (at `at`, or now). Its unique key names its chain and place in
    /// it, so a job re-run after a crash cannot enqueue a second follow-up.
    async fn enqueue_sender(
        &self,
        p: &Send,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> anyhow::Result<()> {
        let Some(jobs) = &self.jobs else {
            return Ok(());
        };
        let mut job = NewJob::new(SEND, p).attempts(20).unique(p.key());
        if let Some(at) = at {
            job = job.at(at);
        }
        jobs.enqueue(job).await?;
        Ok(())
    }

    /// The keys of the queued or running senders of `edition`.
    async fn live_senders(&self, edition: i64) -> anyhow::Result<Vec<String>> {
        let prefix = format!("{SEND}:{edition}:");
        self.store.live_job_keys(SEND, &prefix).await
    }

    /// Enqueues the senders of `edition` that are not queued or running now (at most
    /// [`SENDERS`] per edition, whoever asks); `origin` names their new chains.
    pub async fn start_senders(&self, edition: i64, origin: &str) -> anyhow::Result<()> {
        let live = self.live_senders(edition).await?;
        for shard in 0..SENDERS {
            let p = Send {
                edition,
                shard,
                origin: origin.to_string(),
                seq: 0,
            };
            if !live.iter().any(|k| p.same_shard(k)) {
                self.enqueue_sender(&p, None).await?;
            }
        }
        Ok(())
    }

    /// One sender job: drain for a while, then hand over to a follow-up (now when rows are
    /// still due, later when they wait for a retry or another worker's lease). A job with a
    /// later sender of its shard alive (it was re-run after its worker died, its follow-up
    /// queued already) stops at once, so a shard does not get two senders.
    pub async fn run_sender(&self, p: Send) -> anyhow::Result<()> {
        if p.superseded(&self.live_senders(p.edition).await?) {
            tracing::info!(
                edition = p.edition,
                shard = p.shard,
                "a later sender of this shard exists; stopping"
            );
            return Ok(());
        }
        let next = Send {
            seq: p.seq + 1,
            ..p.clone()
        };
        let owner = worker_id();
        match self.drain(p.edition, &owner, BUDGET).await? {
            Drain::Done => Ok(()),
            Drain::More => self.enqueue_sender(&next, None).await,
            Drain::Later(at) => self.enqueue_sender(&next, Some(at)).await,
        }
    }
}
