//! The runner: claims due jobs of the kinds it knows, runs each in its own task with a
//! heartbeat that keeps its lease, records the outcome, returns expired leases to the queue,
//! and on shutdown lets running jobs finish for a grace period, then releases the rest.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::leader::Scheduler;
use super::queue::{Claimed, Queue, QueueSettings, Retry};
use super::registry::{JobRef, Registry};

/// How often a runner returns expired leases to the queue.
const REAP_EVERY: Duration = Duration::from_secs(1);
/// Longest a free slot waits for others to free up before a claim fills it.
const BATCH_WAIT: Duration = Duration::from_millis(20);

/// A stop signal shared by the web server, the runner and the scheduler; cheap to clone.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
    rx: watch::Receiver<bool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        let (tx, rx) = watch::channel(false);
        Shutdown {
            tx: Arc::new(tx),
            rx,
        }
    }
}

impl Shutdown {
    /// A signal that fires only by [`Shutdown::trigger`].
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    /// A signal that also fires on SIGTERM or Ctrl-C.
    pub fn on_signals() -> Shutdown {
        let s = Shutdown::new();
        let t = s.clone();
        tokio::spawn(async move {
            let ctrl_c = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            #[cfg(unix)]
            let term = async {
                use tokio::signal::unix::{SignalKind, signal};
                match signal(SignalKind::terminate()) {
                    Ok(mut s) => {
                        s.recv().await;
                    }
                    Err(_) => std::future::pending::<()>().await,
                }
            };
            #[cfg(not(unix))]
            let term = std::future::pending::<()>();
            tokio::select! { _ = ctrl_c => {}, _ = term => {} }
            tracing::info!("stopping: finishing or releasing the jobs in hand");
            t.trigger();
        });
        s
    }

    /// Fires the signal.
    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }

    /// Whether it has fired.
    pub fn is_set(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once the signal fires.
    pub async fn wait(&self) {
        let mut rx = self.rx.clone();
        let _ = rx.wait_for(|v| *v).await;
    }
}

/// A running runner (and scheduler); [`RunnerHandle::stopped`] waits for them to finish.
pub struct RunnerHandle {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl RunnerHandle {
    /// Waits until the runner has finished or released every job it held.
    pub async fn stopped(self) {
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Aborts a task when dropped (a handler outlives no runner task that was aborted).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs jobs of a [`Registry`]'s kinds with context `C`.
pub struct Runner<C> {
    queue: Queue,
    registry: Arc<Registry<C>>,
    ctx: C,
    settings: QueueSettings,
    worker: Arc<str>,
}

/// This process's name in `claimed_by`: host, process id and a random tag.
fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    let tag = &crate::accounts::tokens::random_token()[..6];
    format!("{host}:{}:{tag}", std::process::id())
}

impl<C: Clone + Send + Sync + 'static> Runner<C> {
    /// A runner over `queue` for the kinds of `registry`.
    pub fn new(
        queue: Queue,
        registry: Arc<Registry<C>>,
        ctx: C,
        settings: QueueSettings,
    ) -> Runner<C> {
        Runner {
            queue,
            registry,
            ctx,
            settings,
            worker: worker_name().into(),
        }
    }

    /// This runner's name, as written in `claimed_by`.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Spawns the runner and `scheduler`; both stop when `shutdown` fires.
    pub fn spawn_with(self, scheduler: Scheduler<C>, shutdown: &Shutdown) -> RunnerHandle {
        let s1 = shutdown.clone();
        let s2 = shutdown.clone();
        RunnerHandle {
            tasks: vec![
                tokio::spawn(async move { scheduler.run(s1).await }),
                tokio::spawn(async move { self.run(s2).await }),
            ],
        }
    }

    /// Runs until `shutdown` fires, then lets running jobs finish for the grace period and
    /// releases those still running.
    pub async fn run(self, shutdown: Shutdown) {
        let kinds = self.registry.kinds();
        let held: Arc<Mutex<HashMap<i64, Claimed>>> = Arc::default();
        let mut inflight = JoinSet::new();
        let mut last_reap: Option<Instant> = None;
        let mut last_claim = Instant::now();
        let concurrency = self.settings.concurrency.max(1);
        // Successes are recorded in batches by one task: one statement (and one commit)
        // for all the jobs that finished while the previous batch was being written.
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let completer = tokio::spawn(complete_in_batches(self.queue.clone(), done_rx));
        tracing::info!(worker = %self.worker, kinds = ?kinds, concurrency, "job runner started");
        while !shutdown.is_set() {
            if last_reap.is_none_or(|t| t.elapsed() >= REAP_EVERY) {
                last_reap = Some(Instant::now());
                match self.queue.reap_expired().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(jobs = n, "expired job leases returned to the queue"),
                    Err(e) => tracing::warn!(error = %format!("{e:#}"), "returning expired leases"),
                }
            }
            while let Some(done) = inflight.try_join_next() {
                log_join(done);
            }
            let free = concurrency.saturating_sub(inflight.len());
            // Claim in batches: when idle, once half the slots are free, or when a slot has
            // waited BATCH_WAIT (so long jobs in the other slots delay nothing much).
            let defer = free > 0
                && !inflight.is_empty()
                && free * 2 < concurrency
                && last_claim.elapsed() < BATCH_WAIT;
            let mut filled = free == 0 || defer;
            if !filled {
                last_claim = Instant::now();
                match self.queue.claim(&self.worker, &kinds, free).await {
                    Ok(jobs) => {
                        filled = jobs.len() == free;
                        for job in jobs {
                            self.spawn_job(&mut inflight, &held, &done_tx, job);
                        }
                    }
                    Err(e) => tracing::warn!(error = %format!("{e:#}"), "claiming jobs"),
                }
            }
            if filled && free > 0 && free * 2 >= concurrency {
                continue; // a full batch came: more may be due
            }
            tokio::select! {
                _ = shutdown.wait() => {}
                _ = self.queue.woken(), if !filled => {}
                _ = tokio::time::sleep(self.settings.poll), if !filled => {}
                _ = tokio::time::sleep(BATCH_WAIT), if defer => {}
                Some(done) = inflight.join_next(), if !inflight.is_empty() => log_join(done),
            }
        }
        self.drain(inflight).await;
        drop(done_tx);
        let _ = completer.await;
        self.release_held(&held).await;
    }

    fn spawn_job(
        &self,
        inflight: &mut JoinSet<()>,
        held: &Arc<Mutex<HashMap<i64, Claimed>>>,
        done: &mpsc::UnboundedSender<Claimed>,
        job: Claimed,
    ) {
        if let Ok(mut h) = held.lock() {
            h.insert(job.id, job.clone());
        }
        let (queue, registry, ctx, held, done) = (
            self.queue.clone(),
            self.registry.clone(),
            self.ctx.clone(),
            held.clone(),
            done.clone(),
        );
        inflight.spawn(async move {
            run_one(&queue, &registry, ctx, &job, &done).await;
            if let Ok(mut h) = held.lock() {
                h.remove(&job.id);
            }
        });
    }

    async fn drain(&self, mut inflight: JoinSet<()>) {
        let deadline = tokio::time::sleep(self.settings.grace);
        tokio::pin!(deadline);
        while !inflight.is_empty() {
            tokio::select! {
                _ = &mut deadline => break,
                Some(done) = inflight.join_next() => log_join(done),
            }
        }
        inflight.abort_all();
        while let Some(done) = inflight.join_next().await {
            if let Err(e) = done
                && e.is_panic()
            {
                tracing::error!(error = %e, "a job task panicked");
            }
        }
    }

    /// Gives back the jobs still held after the drain (their work was cut off).
    async fn release_held(&self, held: &Arc<Mutex<HashMap<i64, Claimed>>>) {
        let left: Vec<Claimed> = held
            .lock()
            .map(|mut h| h.drain().map(|(_, j)| j).collect())
            .unwrap_or_default();
        for job in left {
            match self.queue.release(&job).await {
                Ok(_) => tracing::info!(id = job.id, kind = %job.kind, "job released at shutdown"),
                Err(e) => tracing::warn!(id = job.id, error = %format!("{e:#}"),
                    "releasing a job at shutdown (its lease will expire)"),
            }
        }
        tracing::info!(worker = %self.worker, "job runner stopped");
    }
}

fn log_join(r: Result<(), tokio::task::JoinError>) {
    if let Err(e) = r
        && e.is_panic()
    {
        tracing::error!(error = %e, "a job task panicked");
    }
}

/// Runs one claimed job: the handler in its own task (a panic fails the attempt), a
/// heartbeat every third of the lease, then the outcome.
async fn run_one<C: Clone + Send + Sync + 'static>(
    queue: &Queue,
    registry: &Registry<C>,
    ctx: C,
    job: &Claimed,
    done: &mpsc::UnboundedSender<Claimed>,
) {
    let jref = JobRef {
        id: job.id,
        kind: job.kind.clone(),
        attempt: job.attempt,
        max_attempts: job.max_attempts,
    };
    let Some(work) = registry.start(ctx, jref, &job.payload) else {
        // Claimed only by kind, so this cannot happen; give it back rather than lose it.
        let _ = queue.release(job).await;
        return;
    };
    let started = Instant::now();
    let mut work = tokio::spawn(work);
    let _guard = AbortOnDrop(work.abort_handle());
    let beat = queue.settings().lease / 3;
    let result = loop {
        tokio::select! {
            r = &mut work => break Some(r),
            _ = tokio::time::sleep(beat) => match queue.extend(job).await {
                Ok(true) => {}
                Ok(false) => {
                    work.abort();
                    break None;
                }
                Err(e) => tracing::warn!(id = job.id, error = %format!("{e:#}"), "extending a job lease"),
            },
        }
    };
    let Some(result) = result else {
        tracing::warn!(id = job.id, kind = %job.kind, "job lease lost; another worker may run it");
        return;
    };
    let outcome = match result {
        Ok(r) => r,
        Err(e) if e.is_panic() => Err(anyhow::anyhow!("the job panicked: {e}")),
        Err(e) => Err(anyhow::anyhow!("the job was cancelled: {e}")),
    };
    let ms = started.elapsed().as_millis();
    tracing::debug!(id = job.id, kind = %job.kind, ms, ok = outcome.is_ok(), "job ran");
    if outcome.is_ok() && done.send(job.clone()).is_ok() {
        return;
    }
    for round in 0..3 {
        let recorded = match &outcome {
            Ok(()) => queue.complete(job).await.map(|_| ()),
            Err(e) => queue.fail(job, e).await.map(|retry| match retry {
                Retry::After(d) => tracing::warn!(id = job.id, kind = %job.kind,
                    attempt = job.attempt, retry_in_ms = d.as_millis(), error = %format!("{e:#}"), "job failed; will retry"),
                Retry::Never => tracing::error!(id = job.id, kind = %job.kind,
                    attempt = job.attempt, error = %format!("{e:#}"), "job failed for good"),
            }),
        };
        match recorded {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(id = job.id, round, error = %format!("{e:#}"), "recording a job's outcome");
                tokio::time::sleep(Duration::from_millis(200 * (round + 1))).await;
            }
        }
    }
}

/// Records the successes sent by the job tasks, as many per statement as have arrived,
/// until every sender is gone.
async fn complete_in_batches(queue: Queue, mut rx: mpsc::UnboundedReceiver<Claimed>) {
    let mut batch = Vec::new();
    while rx.recv_many(&mut batch, 1000).await > 0 {
        for round in 0..3u64 {
            match queue.complete_many(&batch).await {
                Ok(n) => {
                    if usize::try_from(n).unwrap_or(0) < batch.len() {
                        tracing::warn!(
                            lost = batch.len() - usize::try_from(n).unwrap_or(0),
                            "finished jobs whose lease had been lost; another worker may run them"
                        );
                    }
                    break;
                }
                Err(e) => {
                    tracing::warn!(round, error = %format!("{e:#}"), "recording finished jobs");
                    tokio::time::sleep(Duration::from_millis(200 * (round + 1))).await;
                }
            }
        }
        batch.clear();
    }
}
