//! The one write path for articles: imports (files, records, later feed polls), the editor's
//! desk (write, edit, publish, unpublish, correct labels), `retag` and removal. Each write
//! stores the article rows and appends their `article_changes` rows in one transaction
//! (`store/article_write/`, whose `labels.rs` holds the rule that an editor's label wins); every
//! node's search index and front pages follow that log. Nothing else writes articles.

mod annotate;
mod desk;
mod import;
mod pin;
mod remove;
mod retag;

use std::sync::{Arc, Mutex};

use crate::ingest::{BATCH, ImportReport, Incoming, Pipeline, Rejection, Warning};
use crate::model::Article;
use crate::search::SearchIndex;
use crate::store::{Store, Upsert};
use crate::understand::Understanding;
use crate::understand::people::People;

pub use desk::{DESK_SOURCE, DeskArticle, Publish};
pub use pin::{DEFAULT_PIN_HOURS, MAX_PIN_HOURS, PinRefusal};
pub use retag::RetagReport;

/// The newsroom with everything it reads and writes; cheap to clone.
#[derive(Clone)]
pub struct Newsroom {
    store: Store,
    pipeline: Pipeline,
    understanding: Arc<Understanding>,
    /// This process's index, brought up to date after each write when this process may
    /// write it (else the process that holds it follows the log).
    search: Option<SearchIndex>,
    /// People known by full name, read from the store before the first batch.
    people: Arc<Mutex<Option<People>>>,
}

impl Newsroom {
    pub fn new(
        store: Store,
        pipeline: Pipeline,
        understanding: Arc<Understanding>,
        search: Option<SearchIndex>,
    ) -> Newsroom {
        Newsroom {
            store,
            pipeline,
            understanding,
            search,
            people: Arc::new(Mutex::new(None)),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The reading half: parsing, cleaning, identifying.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Stores prepared articles: unchanged ones are skipped; new and changed ones are
    /// understood (section, tags) and stored with their change rows in one transaction.
    /// Call [`Newsroom::flush`] after the last batch.
    pub async fn store_batch(&self, batch: Vec<Article>) -> anyhow::Result<Vec<Upsert>> {
        let batch = self.annotate_batch(batch).await?;
        self.save_batch(batch).await
    }

    async fn save_batch(&self, mut batch: Vec<Article>) -> anyhow::Result<Vec<Upsert>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let outcomes = self.store.upsert_articles(&mut batch).await?;
        if let Some(search) = &self.search {
            search.nudge();
        }
        Ok(outcomes)
    }

    /// Shows this process's writes in its own search index at once when it holds the index
    /// (a `serve`, or a CLI command with no `serve` beside it); otherwise the process that
    /// holds it follows the log within a moment.
    pub async fn flush(&self) -> anyhow::Result<()> {
        if let Some(search) = &self.search {
            search
                .catch_up_with_writes(&self.store, std::time::Duration::from_secs(5))
                .await?;
        }
        Ok(())
    }

    /// Ingests records held in memory (demo content, tests); `origin` names them in
    /// rejections.
    pub async fn ingest_records(
        &self,
        records: Vec<Incoming>,
        default_source: &str,
        origin: &str,
    ) -> anyhow::Result<ImportReport> {
        let mut report = ImportReport::default();
        let mut articles = Vec::with_capacity(records.len());
        for (i, inc) in records.into_iter().enumerate() {
            match self.pipeline.prepare_checked(inc, default_source) {
                Ok((a, warnings)) => {
                    let place = |w| Warning::at(origin, Some(i + 1), None, w);
                    report.warn(warnings.into_iter().map(place).collect(), false);
                    articles.push(a);
                }
                Err(reason) => report.rejections.push(Rejection {
                    file: origin.to_string(),
                    line: Some(i + 1),
                    reason,
                }),
            }
        }
        for chunk in articles.chunks(BATCH) {
            let outcomes = self.store_batch(chunk.to_vec()).await?;
            report.add(&outcomes);
        }
        self.flush().await?;
        Ok(report)
    }
}
