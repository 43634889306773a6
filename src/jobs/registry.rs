//! The registry of job kinds: which handler runs a kind, and which kinds are periodic. The
//! runner claims only kinds it knows, so a node of an older version leaves new kinds alone.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::Permanent;

/// What a handler learns about the job it runs.
#[derive(Debug, Clone)]
pub struct JobRef {
    pub id: i64,
    pub kind: String,
    /// This attempt's number, 1 for the first run.
    pub attempt: i64,
    pub max_attempts: i64,
}

impl JobRef {
    /// Whether this is the job's first attempt (work that must be counted once, such as a
    /// rate-limit event, is done then only).
    pub fn is_first_attempt(&self) -> bool {
        self.attempt <= 1
    }
}

/// The boxed future a handler returns.
pub type JobFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

type Handler<C> = Arc<dyn Fn(C, JobRef, &str) -> JobFuture + Send + Sync>;

/// A periodic job: enqueued once per `every` by the elected scheduler.
#[derive(Debug, Clone)]
pub struct Periodic {
    pub kind: &'static str,
    pub every: Duration,
}

/// Job kinds and their handlers, for a runner whose handlers get a `C` (the application
/// state, or anything a test needs).
pub struct Registry<C> {
    handlers: BTreeMap<&'static str, Handler<C>>,
    periodic: Vec<Periodic>,
}

impl<C> Default for Registry<C> {
    fn default() -> Self {
        Registry {
            handlers: BTreeMap::new(),
            periodic: Vec::new(),
        }
    }
}

impl<C: Clone + Send + Sync + 'static> Registry<C> {
    /// An empty registry.
    pub fn new() -> Registry<C> {
        Registry::default()
    }

    /// Runs jobs of `kind` with `handler`, which gets the context, the job and its payload
    /// parsed as `P` (a payload that does not parse fails the job for good, naming the
    /// error). The handler's `Err` is retried with backoff; wrap it in
    /// [`Permanent`] when a retry cannot help. Registering a kind twice replaces it.
    pub fn register<P, F, Fut>(&mut self, kind: &'static str, handler: F)
    where
        P: DeserializeOwned + Send + 'static,
        F: Fn(C, JobRef, P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.handlers.insert(
            kind,
            Arc::new(move |ctx: C, job: JobRef, payload: &str| -> JobFuture {
                match serde_json::from_str::<P>(payload) {
                    Ok(p) => Box::pin(handler(ctx, job, p)),
                    Err(e) => {
                        let kind = job.kind.clone();
                        Box::pin(async move {
                            Err(Permanent::new(anyhow::anyhow!(
                                "the {kind} payload does not parse: {e}"
                            ))
                            .into())
                        })
                    }
                }
            }),
        );
    }

    /// Makes `kind` (registered with a payload that parses from `{}`, such as a struct
    /// with defaults or `serde_json::Value`) periodic: the elected scheduler enqueues one
    /// job per `every`, with the period's start as its unique slot, so two nodes or a
    /// restart never enqueue the same period twice.
    pub fn every(&mut self, kind: &'static str, every: Duration) {
        self.periodic.retain(|p| p.kind != kind);
        self.periodic.push(Periodic {
            kind,
            every: every.max(Duration::from_secs(1)),
        });
    }

    /// The kinds this registry runs.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }

    /// The periodic jobs.
    pub fn periodic(&self) -> &[Periodic] {
        &self.periodic
    }

    /// The future that runs `job` with `ctx`, or `None` for an unknown kind.
    pub(super) fn start(&self, ctx: C, job: JobRef, payload: &str) -> Option<JobFuture> {
        let h = self.handlers.get(job.kind.as_str())?.clone();
        Some(h(ctx, job, payload))
    }
}
