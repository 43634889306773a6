//! The feature cache of one node: the current [`Snapshot`], built on first use (or at
//! start-up) and kept current by a background task that follows the store.

use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use crate::store::Store;

use super::build::Builder;
use super::snapshot::Snapshot;

/// The feature cache of one node.
pub struct Features {
    store: Store,
    current: RwLock<Option<Arc<Snapshot>>>,
    builder: tokio::sync::Mutex<Builder>,
}

/// How often the background task looks at the store for changed articles.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

impl Features {
    pub fn new(store: Store) -> Features {
        Features {
            store,
            current: RwLock::new(None),
            builder: tokio::sync::Mutex::new(Builder::default()),
        }
    }

    /// The current snapshot, building it (and starting the task that keeps it current)
    /// on first use. The build runs in a task of its own: a request that gives up waiting
    /// (a time-out, a closed connection) does not cancel it, and the next one finds it done.
    pub async fn snapshot(self: &Arc<Self>) -> anyhow::Result<Arc<Snapshot>> {
        if let Some(s) = self.peek() {
            return Ok(s);
        }
        let this = Arc::clone(self);
        tokio::spawn(async move { this.build_once().await })
            .await
            .map_err(|e| anyhow::anyhow!("the For-you features could not be built: {e}"))?
    }

    /// Builds the first snapshot now (serve calls it at start-up, so that the first
    /// member's feed does not wait for it).
    pub fn warm(self: &Arc<Self>) {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(e) = this.build_once().await {
                tracing::warn!(error = %e, "could not build the For-you features");
            }
        });
    }

    async fn build_once(self: Arc<Self>) -> anyhow::Result<Arc<Snapshot>> {
        let mut b = self.builder.lock().await;
        if let Some(s) = self.peek() {
            return Ok(s);
        }
        let started = std::time::Instant::now();
        let snap = b.refresh(&self.store).await?;
        tracing::info!(
            articles = snap.len(),
            ms = started.elapsed().as_millis() as u64,
            "For-you features built"
        );
        self.publish(snap.clone());
        drop(b);
        tokio::spawn(follow(Arc::downgrade(&self)));
        Ok(snap)
    }

    fn peek(&self) -> Option<Arc<Snapshot>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    fn publish(&self, snap: Arc<Snapshot>) {
        if let Ok(mut g) = self.current.write() {
            *g = Some(snap);
        }
    }

    /// Brings the snapshot in step with the store now (when one was built).
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let mut b = self.builder.lock().await;
        if b.is_empty() && self.peek().is_none() {
            return Ok(());
        }
        if let Some(s) = b.refresh_if_changed(&self.store).await? {
            self.publish(s);
        }
        Ok(())
    }
}

/// Follows the store until the cache is dropped.
async fn follow(weak: Weak<Features>) {
    loop {
        tokio::time::sleep(FOLLOW_EVERY).await;
        let Some(f) = weak.upgrade() else { return };
        if let Err(e) = f.refresh().await {
            tracing::warn!(error = %e, "could not refresh the For-you features");
        }
    }
}
