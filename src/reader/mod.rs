//! Use-cases of a member as a reader: follows, signals and the For-you feed; saved
//! articles; and article removal, which saved copies outlive. Web handlers, the CLI and
//! other use-cases call these; only `store/` speaks SQL.

pub mod cli;
pub mod eval;
pub mod feed;
pub mod follows;
pub mod remove;
pub mod saved;
pub mod signals;

use std::sync::Arc;

use crate::store::Store;

pub use feed::{FeedItem, FeedPage, ReasonKind};
pub use follows::{Follow, FollowKind};
pub use signals::{Axis, Event, SignalKind};

/// What can go wrong in a reader use-case.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// The section, tag, source or article does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request itself is malformed (bad cursor, bad axis).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The reader use-cases with their in-memory state (article features, member profiles);
/// cheap to clone.
#[derive(Clone)]
pub struct Reader {
    store: Store,
    features: Arc<feed::features::Features>,
    profiles: Arc<feed::members::ProfileCache>,
}

impl Reader {
    /// The reader use-cases over `store`. Article features are built on first use.
    pub fn new(store: Store) -> Reader {
        Reader {
            features: Arc::new(feed::features::Features::new(store.clone())),
            profiles: Arc::new(feed::members::ProfileCache::default()),
            store,
        }
    }

    /// The store this reader works on.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Starts building the in-memory article features in the background.
    pub fn warm(&self) {
        self.features.warm();
    }

    /// Brings the in-memory article features in step with the store now (instead of
    /// within the next second), e.g. after an import in the same process.
    pub async fn refresh(&self) -> anyhow::Result<()> {
        self.features.refresh().await
    }

    /// Forgets what is cached about one member (after a follow or a signal).
    fn touch(&self, user_pk: i64) {
        self.profiles.forget(user_pk);
    }

    /// Deletes a member's signals ("clear my history"); follows stay.
    pub async fn clear_history(&self, user_pk: i64) -> anyhow::Result<u64> {
        let n = self.store.delete_signals_of(user_pk).await?;
        self.touch(user_pk);
        Ok(n)
    }

    /// Deletes every follow and signal of a member (the account goes).
    pub async fn forget_member(&self, user_pk: i64) -> anyhow::Result<()> {
        self.store.delete_signals_of(user_pk).await?;
        self.store.delete_follows_of(user_pk).await?;
        self.touch(user_pk);
        Ok(())
    }
}

/// Everything stored about a member's reading (follows, signals), for the account export.
pub async fn export(store: &Store, user_pk: i64) -> anyhow::Result<serde_json::Value> {
    let follows = store.follows_of(user_pk).await?;
    let signals = store.signals_of(user_pk, i64::MAX).await?;
    let iso =
        |ms: i64| crate::store::from_millis(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(serde_json::json!({
        "follows": follows.iter().map(|(kind, value, at)| serde_json::json!({
            "kind": kind, "value": value, "created": iso(*at),
        })).collect::<Vec<_>>(),
        "signals": signals.iter().map(|s| serde_json::json!({
            "type": s.kind, "source": s.source, "id": s.id, "axis": s.axis,
            "value": s.value, "at": iso(s.at),
        })).collect::<Vec<_>>(),
    }))
}
