//! The index on disk and its rebuild: each commit records the schema version and where in
//! the store's change log the index is ([`Payload`]); an index that cannot be opened, was
//! written by another schema, records no log position, followed another database, or is
//! behind what the log still holds is rebuilt from the store.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::directory::MmapDirectory;

use super::schema::{self, SCHEMA_VERSION};
use super::writer::{Held, REBUILD_MEMORY};
use super::{SearchIndex, follow};
use crate::store::{LogCursor, Store};

/// Articles read from the store per batch when rebuilding.
const REBUILD_BATCH: i64 = 1000;

/// Where in a store's change log an index is: the log's identity and the position of the
/// last change applied.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct Mark {
    pub log: String,
    pub txid: i64,
    pub seq: i64,
}

impl Mark {
    pub fn cursor(&self) -> LogCursor {
        LogCursor {
            txid: self.txid,
            seq: self.seq,
        }
    }
}

/// What a commit records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct Payload {
    schema: u32,
    /// Absent in an index that follows no store (evaluations) or was written before the log.
    #[serde(default)]
    pub mark: Option<Mark>,
}

impl Payload {
    pub fn at(mark: Mark) -> Payload {
        Payload {
            schema: SCHEMA_VERSION,
            mark: Some(mark),
        }
    }

    pub fn detached() -> Payload {
        Payload {
            schema: SCHEMA_VERSION,
            mark: None,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The payload of the index's last commit, if it has a readable one.
    pub fn of(index: &SearchIndex) -> Option<Payload> {
        let metas = index.inner.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }
}

/// Opens the index in `dir` if there is one; errors when it is unreadable or foreign.
pub(super) fn open_existing(dir: &Path) -> anyhow::Result<Option<Index>> {
    if !dir.join("meta.json").exists() {
        return Ok(None);
    }
    let index = Index::open_in_dir(dir).context("opening the search index")?;
    let metas = index.load_metas().context("reading the index metadata")?;
    if let Some(p) = metas.payload.as_deref() {
        let p: Payload = serde_json::from_str(p).context("reading the index payload")?;
        anyhow::ensure!(
            p.schema == SCHEMA_VERSION,
            "index schema version {} differs from {SCHEMA_VERSION}",
            p.schema
        );
    }
    anyhow::ensure!(
        index.schema() == schema::build().0,
        "index schema differs from this version's"
    );
    Ok(Some(index))
}

/// Creates an empty index in `dir`.
pub(super) fn create(dir: &Path) -> anyhow::Result<Index> {
    let directory = MmapDirectory::open(dir).context("opening the index folder")?;
    // Small stored-document blocks: showing a hit decompresses the block that holds it, so
    // 4 KiB blocks (about one article) cost each hit a quarter of tantivy's 16 KiB default.
    let settings = tantivy::IndexSettings {
        docstore_blocksize: 4096,
        ..Default::default()
    };
    Index::create(directory, schema::build().0, settings).context("creating the search index")
}

/// Removes the index files in `dir` (the folder belongs to the index alone).
pub(super) fn wipe(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        }
        .with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

impl SearchIndex {
    /// Brings the index in step with `store` (rebuilding it when it must) and returns
    /// whether it could: `false` when another process holds the index writer, in which
    /// case the index is read as it is (that process keeps it current).
    pub async fn sync(&self, store: &Store) -> anyhow::Result<bool> {
        Ok(self.catch_up(store).await?.is_some())
    }

    /// Rebuilds the whole index from the store; returns the number of articles indexed.
    /// Fails when another process holds the index writer.
    pub async fn rebuild(&self, store: &Store) -> anyhow::Result<u64> {
        let mut state = self.inner.follow.lock().await;
        self.rebuild_locked(store, &mut state).await
    }

    pub(super) async fn rebuild_locked(
        &self,
        store: &Store,
        state: &mut follow::State,
    ) -> anyhow::Result<u64> {
        // The log position is taken first: writes racing the rebuild are applied again
        // from the log afterwards, which is harmless, rather than missed.
        let log = store.log_info().await?.id;
        let head = store.log_head().await?;
        {
            // The follower's small writer gives way to one sized for bulk indexing.
            let mut slot = self.writer_slot()?;
            *slot = None;
        }
        // The small writer's lock on the index can outlive its drop for a moment on a busy
        // machine (seen as a start-up failing with "being written by another process" on a
        // fresh folder); another process's lock stays and still fails after two seconds.
        for _ in 0..20 {
            let free = self.try_lock_writer(REBUILD_MEMORY)?.is_some();
            if free {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.lock_writer(REBUILD_MEMORY)?
            .delete_all_documents()
            .context("clearing the search index")?;
        let mut after = 0;
        let mut n = 0u64;
        loop {
            let rows = store.scan(after, REBUILD_BATCH).await?;
            let Some(last) = rows.last() else { break };
            after = last.pk;
            let articles: Vec<_> = rows.into_iter().map(|r| r.article).collect();
            n += articles.len() as u64;
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.index_articles_blocking(&articles, Held::No))
                .await
                .context("indexing task")??;
        }
        let mark = Mark {
            log,
            txid: head.txid,
            seq: head.seq,
        };
        let this = self.clone();
        let payload = Payload::at(mark.clone());
        tokio::task::spawn_blocking(move || {
            {
                let mut writer = this.lock_writer(REBUILD_MEMORY)?;
                this.commit_with(&mut writer, &payload)?;
            }
            this.finish_merges_blocking()
        })
        .await
        .context("search commit task")??;
        state.mark = Some(mark);
        self.bump();
        Ok(n)
    }
}
