//! Background jobs: a durable queue in the database (both backends), a registry of job
//! kinds, the runner that `sahifa worker` and `sahifa serve` run, and singletons (the
//! scheduler of periodic jobs) elected without a role flag.
//!
//! # Adding a job kind
//!
//! One file per kind under `src/jobs/` (or beside its use-case), with a payload type and a
//! `register` function; then one line in [`registry`]:
//!
//! ```ignore
//! // src/ingest/poll/jobs.rs (the real one, abridged)
//! pub const POLL: &str = "feed_poll";
//! #[derive(serde::Serialize, serde::Deserialize)]
//! pub struct PollJob { pub source: String }
//! pub fn register(r: &mut Registry<AppState>) {
//!     r.register(POLL, |state: AppState, job: JobRef, p: PollJob| async move {
//!         poll_one(&state, &p.source).await // anyhow::Result<()>
//!     });
//!     // a periodic job: the elected scheduler enqueues it once per period, site-wide
//!     r.every("feed_polls_due", Duration::from_secs(15));
//! }
//! // anywhere: enqueue (or `enqueue_in(&mut tx, …)` inside your own transaction)
//! state.jobs.enqueue(NewJob::new(POLL, &PollJob { source }).unique(format!("poll:{pk}:{now}"))).await?;
//! ```
//!
//! Rules for handlers: be idempotent (a job runs at least once; after a crash or an expired
//! lease it runs again), return `Err` to retry with exponential backoff and jitter (the last
//! attempt leaves the job `failed` with its error, shown by `sahifa jobs`), wrap the error
//! in [`Permanent`] when retrying cannot help, and never hold a database transaction across
//! network I/O. Long jobs keep their lease by the runner's heartbeat automatically.

pub mod account_mail;
pub mod cleanup;
pub mod cli;
mod leader;
mod queue;
mod registry;
mod runner;

pub use leader::{Leadership, Scheduler};
pub use queue::{Claimed, NewJob, Queue, QueueSettings};
pub use registry::{JobRef, Registry};
pub use runner::{Runner, RunnerHandle, Shutdown};

use crate::app::AppState;

/// An error that no retry can fix (a payload that does not parse, a row that is gone): the
/// job ends `failed` at once with this error.
#[derive(Debug, thiserror::Error)]
#[error("{0:#}")]
pub struct Permanent(pub anyhow::Error);

impl Permanent {
    /// Wraps `e` as permanent, for `return Err(Permanent::new(e).into())`.
    pub fn new(e: impl Into<anyhow::Error>) -> Permanent {
        Permanent(e.into())
    }
}

/// Every job kind of the application, with the state handlers get. Modules that add a kind
/// add one `register` line here.
pub fn registry() -> Registry<AppState> {
    let mut r = Registry::new();
    account_mail::register(&mut r, |s: &AppState| &s.accounts);
    cleanup::register(&mut r, |s: &AppState| &s.store);
    crate::newsletter::jobs::register(&mut r, |s: &AppState| &s.newsletters);
    crate::ingest::poll::jobs::register(&mut r);
    r
}

/// Starts the job runner and the scheduler of `state` in this process (what `serve` does
/// unless `--no-jobs`, and what `worker` does); they stop when `shutdown` fires.
pub fn start(state: &AppState, shutdown: &Shutdown) -> RunnerHandle {
    let mut registry = registry();
    crate::ingest::poll::jobs::schedule(&mut registry, &state.config);
    let registry = std::sync::Arc::new(registry);
    let settings = QueueSettings::from_config(&state.config);
    let scheduler = Scheduler::new(state.store.clone(), state.jobs.clone(), registry.clone());
    let runner = Runner::new(state.jobs.clone(), registry, state.clone(), settings);
    runner.spawn_with(scheduler, shutdown)
}
