//! tantivy's index writer: opened on the first write (a process that only reads never takes
//! its exclusive, cross-process lock), with a large memory budget for rebuilds and a small
//! one for following the change log. Only the follower and rebuilds of this module's parent
//! write the index of a data folder.

use anyhow::Context;
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyError, Term};

use super::{SearchIndex, key, schema, sync};
use crate::model::Article;

/// The index writer: documents are analysed on its own indexing threads.
pub(super) type Writer = IndexWriter<schema::ArticleDoc>;

/// Memory a rebuild's writer may use before it flushes a segment.
pub(super) const REBUILD_MEMORY: usize = 200_000_000;
/// Memory the follower's writer may use: it indexes a few articles at a time, and stays
/// open while `serve` runs (tantivy needs at least 15 MB per indexing thread).
pub(super) const FOLLOW_MEMORY: usize = 20_000_000;

/// Whether the index may already hold the articles being indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// It may: each replaces its older version (an update, an editor's save).
    Maybe,
    /// It cannot: a rebuild of a cleared index. Skips the delete of an older version, which
    /// costs tantivy a term query per article.
    No,
}

/// The index writer, held locked; only built by [`SearchIndex::lock_writer`], which opens
/// the writer first.
pub(super) struct WriterGuard<'a>(std::sync::MutexGuard<'a, Option<Writer>>);

impl std::ops::Deref for WriterGuard<'_> {
    type Target = Writer;
    fn deref(&self) -> &Writer {
        self.0
            .as_ref()
            .expect("lock_writer opens the writer before handing out a guard")
    }
}

impl std::ops::DerefMut for WriterGuard<'_> {
    fn deref_mut(&mut self) -> &mut Writer {
        self.0
            .as_mut()
            .expect("lock_writer opens the writer before handing out a guard")
    }
}

impl SearchIndex {
    /// The writer's slot, locked (empty while no writer is open).
    pub(super) fn writer_slot(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Option<Writer>>> {
        self.inner
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("search index writer poisoned by an earlier panic"))
    }

    /// The writer, opened with `memory` when none is open; `None` when another process
    /// holds tantivy's lock on this index.
    pub(super) fn try_lock_writer(&self, memory: usize) -> anyhow::Result<Option<WriterGuard<'_>>> {
        let mut guard = self.writer_slot()?;
        if guard.is_none() {
            let threads = if memory >= REBUILD_MEMORY {
                std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
            } else {
                1
            };
            match self.inner.index.writer_with_num_threads(threads, memory) {
                Ok(w) => *guard = Some(w),
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => return Ok(None),
                Err(e) => return Err(e).context("opening the search index writer"),
            }
        }
        Ok(Some(WriterGuard(guard)))
    }

    /// The writer, as [`SearchIndex::try_lock_writer`], failing when another process has it.
    pub(super) fn lock_writer(&self, memory: usize) -> anyhow::Result<WriterGuard<'_>> {
        self.try_lock_writer(memory)?.ok_or_else(|| {
            anyhow::anyhow!(
                "the search index in {} is being written by another sahifa process \
                 (a running `serve`?)",
                self.inner.dir.display()
            )
        })
    }

    /// Adds or replaces articles, keyed by (source, id), without committing (blocking). Used
    /// by the follower and rebuilds, and by evaluations on an index of their own.
    pub fn index_articles_blocking(&self, articles: &[Article], held: Held) -> anyhow::Result<()> {
        let writer = self.lock_writer(REBUILD_MEMORY)?;
        self.add_with(&writer, articles, held)
    }

    pub(super) fn add_with(
        &self,
        writer: &Writer,
        articles: &[Article],
        held: Held,
    ) -> anyhow::Result<()> {
        for a in articles {
            if held == Held::Maybe {
                self.delete_with(writer, &a.source, &a.id);
            }
            writer
                .add_document(self.document(a))
                .context("adding a document to the search index")?;
        }
        Ok(())
    }

    pub(super) fn delete_with(&self, writer: &Writer, source: &str, id: &str) {
        writer.delete_term(Term::from_field_text(
            self.inner.fields.key,
            &key(source, id),
        ));
    }

    /// Makes pending writes durable and visible to searches at once, recording `payload`
    /// (where in the change log the index is) in the same commit.
    pub(super) fn commit_with(
        &self,
        writer: &mut Writer,
        payload: &sync::Payload,
    ) -> anyhow::Result<()> {
        let mut prepared = writer.prepare_commit().context("preparing the commit")?;
        prepared.set_payload(&payload.to_json());
        prepared.commit().context("committing the search index")?;
        self.inner
            .reader
            .reload()
            .context("reloading the search reader")
    }

    /// Commits what was added with [`SearchIndex::index_articles_blocking`], outside any
    /// store (evaluations, tests of an index of their own).
    pub fn commit_blocking(&self) -> anyhow::Result<()> {
        let mut writer = self.lock_writer(REBUILD_MEMORY)?;
        self.commit_with(&mut writer, &sync::Payload::detached())
    }

    /// Merges all segments into one, lets background merges finish, closes the writer (the
    /// next write opens it again) and shows the result to searches. Used after bulk
    /// indexing: every query then looks each term up once, and no merge competes with
    /// queries for the CPU.
    pub fn finish_merges_blocking(&self) -> anyhow::Result<()> {
        let writer = self.writer_slot()?.take();
        if let Some(mut w) = writer {
            let ids = self.inner.index.searchable_segment_ids()?;
            if ids.len() > 1 {
                w.merge(&ids).wait().context("merging the search index")?;
            }
            w.wait_merging_threads()
                .context("finishing search index merges")?;
        }
        self.inner
            .reader
            .reload()
            .context("reloading the search reader")
    }
}
