//! Keeping the index in step with the store: each commit records the store's fingerprint
//! (article count and latest update time) and the schema version; on start-up an index whose
//! record disagrees with the store, or that cannot be opened, is rebuilt from the store.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::directory::MmapDirectory;

use super::SearchIndex;
use super::schema::{self, SCHEMA_VERSION};
use crate::store::Store;

/// Articles read from the store per batch when rebuilding.
const REBUILD_BATCH: i64 = 1000;

/// What a commit records about the store it mirrors.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    schema: u32,
    /// (article count, max updated ms) of the store when the commit was made.
    store: Option<(i64, i64)>,
}

pub(super) fn payload(fingerprint: Option<(i64, i64)>) -> String {
    serde_json::to_string(&Payload {
        schema: SCHEMA_VERSION,
        store: fingerprint,
    })
    .unwrap_or_default()
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

/// Why an index needs rebuilding, if it does.
fn staleness(index: &SearchIndex, fingerprint: (i64, i64)) -> anyhow::Result<Option<String>> {
    let metas = index.inner.index.load_metas()?;
    let recorded: Option<Payload> = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok());
    let Some(Payload {
        store: Some(recorded),
        ..
    }) = recorded
    else {
        return Ok(Some("the index records no store state".into()));
    };
    if recorded != fingerprint {
        return Ok(Some(format!(
            "store changed since the last index commit ({recorded:?} -> {fingerprint:?})"
        )));
    }
    let docs = index.num_docs();
    if docs != fingerprint.0 as u64 {
        return Ok(Some(format!(
            "index holds {docs} documents, store {}",
            fingerprint.0
        )));
    }
    Ok(None)
}

impl SearchIndex {
    /// Ties the index to `store` and rebuilds it when it is not in step. Returns whether it
    /// rebuilt.
    pub async fn sync(&self, store: &Store) -> anyhow::Result<bool> {
        if let Ok(mut s) = self.inner.store.lock() {
            *s = Some(store.clone());
        }
        let fingerprint = store.search_fingerprint().await?;
        match staleness(self, fingerprint)? {
            None => Ok(false),
            Some(reason) => {
                tracing::info!(%reason, "rebuilding the search index from the store");
                self.rebuild(store).await?;
                Ok(true)
            }
        }
    }

    /// Rebuilds the whole index from the store; returns the number of articles indexed.
    pub async fn rebuild(&self, store: &Store) -> anyhow::Result<u64> {
        if let Ok(mut s) = self.inner.store.lock() {
            *s = Some(store.clone());
        }
        // The fingerprint is taken first: writes racing the rebuild make it look stale
        // (and so rebuilt again) rather than falsely fresh.
        let fingerprint = store.search_fingerprint().await?;
        self.lock_writer()?
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
            self.index_articles(articles, super::Held::No).await?;
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            this.commit_blocking(Some(fingerprint))?;
            this.finish_merges_blocking()
        })
        .await
        .context("search commit task")??;
        Ok(n)
    }
}
