//! Singletons without a role flag. On PostgreSQL the leader is whoever holds a
//! session-level advisory lock on a dedicated connection (the lock goes with the session, so
//! a dead node's leadership ends with its connection); on SQLite, whoever holds an
//! unexpired lease row. The [`Scheduler`] is such a singleton: it enqueues the registry's
//! periodic jobs, one per period, under a unique key per period.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::queue::{NewJob, Queue};
use super::registry::Registry;
use super::runner::Shutdown;
use crate::store::{Backend, Store, from_millis, to_millis};

/// How often the scheduler checks its leadership and the periodic jobs.
const TICK: Duration = Duration::from_secs(1);
/// How long an SQLite lease row lasts without renewal.
const LEASE: Duration = Duration::from_secs(10);

/// Leadership of one named singleton, for one holder.
pub struct Leadership {
    store: Store,
    name: String,
    holder: String,
    conn: Option<sqlx::AnyConnection>,
    leading: bool,
}

impl Leadership {
    /// Leadership of `name` (e.g. `scheduler`), sought as `holder`.
    pub fn new(store: Store, name: &str, holder: &str) -> Leadership {
        Leadership {
            store,
            name: name.to_string(),
            holder: holder.to_string(),
            conn: None,
            leading: false,
        }
    }

    /// Takes or keeps the leadership if it is free; says whether this holder leads now.
    /// Call it more often than every ten seconds to keep an SQLite lease.
    pub async fn check(&mut self) -> bool {
        let result = match self.store.backend() {
            Backend::Postgres => self.check_advisory().await,
            Backend::Sqlite => {
                let now = to_millis(Utc::now());
                let until = now + i64::try_from(LEASE.as_millis()).unwrap_or(10_000);
                self.store
                    .lead_by_lease(&self.name, &self.holder, until, now)
                    .await
            }
        };
        let leading = result.unwrap_or_else(|e| {
            tracing::warn!(singleton = %self.name, error = %format!("{e:#}"), "checking leadership");
            false
        });
        if leading != self.leading {
            tracing::info!(singleton = %self.name, holder = %self.holder, leading, "leadership changed");
        }
        self.leading = leading;
        leading
    }

    async fn check_advisory(&mut self) -> anyhow::Result<bool> {
        if self.leading {
            if let Some(conn) = self.conn.as_mut()
                && crate::store::leases::ping(conn).await.is_ok()
            {
                return Ok(true);
            }
            // The session is gone, and its lock with it.
            self.conn = None;
        }
        if self.conn.is_none() {
            self.conn = Some(self.store.dedicated_connection().await?);
        }
        let conn = self
            .conn
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("no connection"))?;
        match crate::store::leases::try_advisory_lock(conn, &self.name).await {
            Ok(got) => Ok(got),
            Err(e) => {
                self.conn = None;
                Err(e)
            }
        }
    }

    /// Gives the leadership up (at shutdown), so another node takes it at once.
    pub async fn resign(&mut self) {
        let was_leading = std::mem::replace(&mut self.leading, false);
        if let Some(conn) = self.conn.take()
            && was_leading
            && let Err(e) = crate::store::leases::advisory_unlock(conn, &self.name).await
        {
            // The lock goes with the session, which is closed now anyway.
            tracing::warn!(error = %format!("{e:#}"), "releasing an advisory lock");
        }
        if self.store.backend() == Backend::Sqlite
            && let Err(e) = self.store.resign_lease(&self.name, &self.holder).await
        {
            tracing::warn!(error = %format!("{e:#}"), "resigning a lease");
        }
    }
}

/// The scheduler of periodic jobs; one leads per database.
pub struct Scheduler<C> {
    queue: Queue,
    registry: Arc<Registry<C>>,
    leadership: Leadership,
}

impl<C: Clone + Send + Sync + 'static> Scheduler<C> {
    /// The scheduler of `registry`'s periodic jobs.
    pub fn new(store: Store, queue: Queue, registry: Arc<Registry<C>>) -> Scheduler<C> {
        Scheduler::named(store, queue, registry, "scheduler")
    }

    /// A scheduler elected under its own `name` (`sahifa poll`'s, beside the site's).
    pub fn named(
        store: Store,
        queue: Queue,
        registry: Arc<Registry<C>>,
        name: &str,
    ) -> Scheduler<C> {
        let holder = format!(
            "{}:{}",
            std::process::id(),
            &crate::accounts::tokens::random_token()[..6]
        );
        Scheduler {
            queue,
            registry,
            leadership: Leadership::new(store, name, &holder),
        }
    }

    /// Runs until `shutdown`; while leading, enqueues each periodic job once per period.
    pub async fn run(mut self, shutdown: Shutdown) {
        if self.registry.periodic().is_empty() {
            return;
        }
        let mut enqueued: HashMap<&'static str, i64> = HashMap::new();
        while !shutdown.is_set() {
            if self.leadership.check().await {
                enqueue_due(&self.queue, &self.registry, &mut enqueued).await;
            } else {
                enqueued.clear();
            }
            tokio::select! {
                _ = shutdown.wait() => {}
                _ = tokio::time::sleep(TICK) => {}
            }
        }
        self.leadership.resign().await;
    }
}

/// Enqueues the periodic jobs whose current period has no job yet.
async fn enqueue_due<C: Clone + Send + Sync + 'static>(
    queue: &Queue,
    registry: &Registry<C>,
    enqueued: &mut HashMap<&'static str, i64>,
) {
    let now = to_millis(Utc::now());
    for p in registry.periodic() {
        let every = i64::try_from(p.every.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        let slot = now - now.rem_euclid(every);
        if enqueued.get(p.kind) == Some(&slot) {
            continue;
        }
        let job = NewJob::new(p.kind, &serde_json::json!({}))
            .at(from_millis(slot))
            .attempts(3)
            .unique(format!("every:{}:{slot}", p.kind));
        match queue.enqueue(job).await {
            Ok(_) => {
                enqueued.insert(p.kind, slot);
            }
            Err(e) => {
                tracing::warn!(kind = p.kind, error = %format!("{e:#}"), "enqueueing a periodic job");
            }
        }
    }
}
