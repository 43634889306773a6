//! Following the store's article change log: each process that serves search applies the
//! changes committed by any process or node to its own index within a fraction of a second,
//! and records its log position in the same index commit (so a restart resumes there). The
//! changes name articles; the follower reads their current state, so applying one twice or
//! out of order is harmless. See `store/article_changes.rs` for why the cursor is safe
//! against PostgreSQL transactions that commit out of sequence order.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;

use super::SearchIndex;
use super::sync::{Mark, Payload};
use super::writer::FOLLOW_MEMORY;
use crate::store::Store;

/// Changes read per store query.
const PAGE: i64 = 1000;
/// More changes than this waiting, and a rebuild is cheaper than replaying them one by one.
const REBUILD_PENDING: i64 = 20_000;
/// How often the follower looks at the log when nothing woke it sooner.
const POLL: Duration = Duration::from_millis(200);
/// Changes older than this are pruned from the log (a node that was down longer rebuilds).
const RETENTION: chrono::TimeDelta = chrono::TimeDelta::days(7);
/// How often this node prunes the log.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Where this process's index is in the log.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Read from the index's last commit on the first catch-up, then kept current.
    pub(super) mark: Option<Mark>,
    loaded: bool,
}

impl SearchIndex {
    pub(super) fn bump(&self) {
        self.inner.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Wakes this process's follower (after a write here), so it need not wait its poll.
    pub fn nudge(&self) {
        self.inner.wake.notify_one();
    }

    /// Applies every change committed to the log since this index's position, rebuilding
    /// instead when the index has no position, followed another database, or is behind
    /// what the log still holds (or further behind than a rebuild costs). Returns the number
    /// of articles applied, or `None` when another process holds the index writer (it then
    /// keeps the index current, and this process only reads it).
    pub async fn catch_up(&self, store: &Store) -> anyhow::Result<Option<u64>> {
        let mut state = self.inner.follow.lock().await;
        let this = self.clone();
        let free = tokio::task::spawn_blocking(move || {
            this.try_lock_writer(FOLLOW_MEMORY).map(|w| w.is_some())
        })
        .await
        .context("opening the index writer")??;
        if !free {
            return Ok(None);
        }
        let first = !state.loaded;
        if first {
            state.mark = Payload::of(self).and_then(|p| p.mark);
            state.loaded = true;
        }
        let info = store.log_info().await?;
        let stale = match &state.mark {
            None => Some("the index records no change-log position".to_string()),
            Some(m) if m.log != info.id => Some("the index followed another database".into()),
            Some(m) if m.cursor() < info.pruned => {
                Some("the index is behind the oldest change the log holds".into())
            }
            Some(m) => {
                let pending = store
                    .pending_changes(m.cursor(), REBUILD_PENDING + 1)
                    .await?;
                (pending > REBUILD_PENDING)
                    .then(|| format!("more than {REBUILD_PENDING} changes to apply"))
            }
        };
        if let Some(reason) = stale {
            tracing::info!(%reason, "rebuilding the search index from the store");
            return Ok(Some(self.rebuild_locked(store, &mut state).await?));
        }
        let applied = self.apply_log(store, &mut state).await?;
        if first && !self.matches_store(store, &mut state).await? {
            tracing::info!("the index and the store hold different articles; rebuilding");
            return Ok(Some(self.rebuild_locked(store, &mut state).await?));
        }
        Ok(Some(applied))
    }

    /// Catches up until every write committed before this call is applied (read your own
    /// writes): on PostgreSQL a commit can be read only once every transaction older than it
    /// has ended, so this may wait a moment, at most `patience`, then leaves the rest to
    /// the follower. `None` when another process holds the index writer.
    pub async fn catch_up_with_writes(
        &self,
        store: &Store,
        patience: Duration,
    ) -> anyhow::Result<Option<u64>> {
        let horizon = store.log_horizon().await?;
        let started = std::time::Instant::now();
        let mut applied = 0;
        loop {
            let Some(n) = self.catch_up(store).await? else {
                return Ok(None);
            };
            applied += n;
            let Some(h) = horizon else {
                return Ok(Some(applied));
            };
            let reached = self.inner.follow.lock().await.mark.as_ref().map(|m| m.txid);
            if reached.is_some_and(|t| t >= h - 1) || started.elapsed() >= patience {
                return Ok(Some(applied));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Whether the index holds as many articles as the store publishes, once the log is
    /// applied (checked on the first catch-up: an index written without the log, by hand
    /// or by an older version, is rebuilt). A write racing the check costs a second look.
    async fn matches_store(&self, store: &Store, state: &mut State) -> anyhow::Result<bool> {
        for _ in 0..2 {
            if store.count_published().await? == self.num_docs() as i64 {
                return Ok(true);
            }
            self.apply_log(store, state).await?;
        }
        Ok(false)
    }

    /// Applies the log from the state's position; commits once when anything changed.
    async fn apply_log(&self, store: &Store, state: &mut State) -> anyhow::Result<u64> {
        let Some(mark) = state.mark.clone() else {
            return Ok(0);
        };
        let mut cursor = mark.cursor();
        let mut applied = 0u64;
        loop {
            let (changes, next) = store.changes_after(cursor, PAGE).await?;
            cursor = next;
            if changes.is_empty() {
                break;
            }
            let mut seen = HashSet::new();
            let keys: Vec<(&str, &str)> = changes
                .iter()
                .map(|c| (c.source.as_str(), c.id.as_str()))
                .filter(|k| seen.insert(*k))
                .collect();
            let current = store.articles_by_keys(&keys).await?;
            let gone: Vec<(String, String)> = keys
                .iter()
                .map(|(s, i)| (s.to_string(), i.to_string()))
                .collect();
            applied += gone.len() as u64;
            let this = self.clone();
            tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
                let writer = this.lock_writer(FOLLOW_MEMORY)?;
                for (source, id) in &gone {
                    this.delete_with(&writer, source, id);
                }
                let published: Vec<_> = current
                    .into_iter()
                    .filter_map(|(a, published)| published.then_some(a))
                    .collect();
                this.add_with(&writer, &published, super::Held::No)
            })
            .await
            .context("indexing task")??;
            if (changes.len() as i64) < PAGE {
                break;
            }
        }
        let mark = Mark {
            txid: cursor.txid,
            seq: cursor.seq,
            ..mark
        };
        if applied > 0 {
            let this = self.clone();
            let payload = Payload::at(mark.clone());
            tokio::task::spawn_blocking(move || {
                let mut writer = this.lock_writer(FOLLOW_MEMORY)?;
                this.commit_with(&mut writer, &payload)
            })
            .await
            .context("search commit task")??;
            self.bump();
        }
        state.mark = Some(mark);
        Ok(applied)
    }
}

/// Runs this process's follower until the runtime stops: applies the log as soon as a local
/// write nudges it and every [`POLL`] otherwise, and prunes old changes now and then. When
/// another process holds the index writer it says so once and keeps trying.
pub fn spawn_follower(index: SearchIndex, store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut busy_said = false;
        let mut pruned_at: Option<std::time::Instant> = None;
        let wake: Arc<tokio::sync::Notify> = index.inner.wake.clone();
        loop {
            match index.catch_up(&store).await {
                Ok(Some(_)) => busy_said = false,
                Ok(None) if !busy_said => {
                    tracing::warn!(
                        "another sahifa process holds this data folder's search index writer; \
                         this process follows the change log once it is free"
                    );
                    busy_said = true;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %format!("{e:#}"), "following the change log"),
            }
            if pruned_at.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                pruned_at = Some(std::time::Instant::now());
                match store.prune_changes(chrono::Utc::now() - RETENTION).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(pruned = n, "pruned old article changes"),
                    Err(e) => tracing::warn!(error = %format!("{e:#}"), "pruning article changes"),
                }
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
