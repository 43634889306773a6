//! Application state shared by the web server, jobs and the CLI.

use std::sync::Arc;

use anyhow::Context;

use crate::accounts::{Accounts, RateLimiter};
use crate::config::Config;
use crate::ingest::Pipeline;
use crate::ingest::boilerplate::Boilerplate;
use crate::mail::Mailer;
use crate::newsroom::Newsroom;
use crate::search::SearchIndex;
use crate::store::Store;
use crate::understand::Understanding;

/// Everything a request handler or a command needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub search: SearchIndex,
    pub understanding: Arc<Understanding>,
    /// Reading and preparing articles (parse, clean, identify).
    pub pipeline: Pipeline,
    /// The one write path for articles.
    pub newsroom: Newsroom,
    pub mailer: Arc<dyn Mailer>,
    pub limiter: Arc<RateLimiter>,
    pub accounts: Accounts,
    /// The guarded HTTP client of feed polls and full-content fetches.
    pub fetcher: crate::ingest::fetch::Fetcher,
    /// Follows, signals and the For-you feed (with this node's article features).
    pub reader: crate::reader::Reader,
    /// The job queue (enqueue from anywhere; `crate::jobs::start` runs it).
    pub jobs: crate::jobs::Queue,
    /// Counters served on `/metrics`.
    pub metrics: Arc<crate::web::metrics::Metrics>,
    /// Newsletters: subscriptions, editions, the delivery ledger.
    pub newsletters: crate::newsletter::Newsletters,
    /// This node's front-page lists, refreshed when the change log moves.
    pub front: Arc<crate::web::front::FrontPages>,
    /// The key CSRF tokens are made with (made once per site and kept in the database, so
    /// every node makes the same tokens; [`crate::web::csrf`]).
    pub csrf_secret: Arc<Vec<u8>>,
}

impl AppState {
    /// Opens the store (running migrations), the search index (brought in step with the
    /// store when no other process is writing it) and the models.
    pub async fn build(config: Config) -> anyhow::Result<AppState> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
        let store = Store::connect(&config.effective_database_url()).await?;
        let search = SearchIndex::open(&config.index_dir())?;
        search
            .sync(&store)
            .await
            .context("bringing the search index in step with the store")?;
        let boilerplate = Arc::new(Boilerplate::load(config.boilerplate_file.as_deref())?);
        let understanding = Arc::new(Understanding::load_default()?.with_boilerplate(&boilerplate));
        let pipeline = Pipeline::new(boilerplate);
        let newsroom = Newsroom::new(
            store.clone(),
            pipeline.clone(),
            understanding.clone(),
            Some(search.clone()),
        );
        let fetcher = crate::ingest::fetch::Fetcher::new(config.fetch_allow_list()?)?;
        let config = Arc::new(config);
        let mailer = crate::mail::from_config(&config)?;
        // One node by design on SQLite; on PostgreSQL, limits are shared by every node.
        let limiter = Arc::new(match store.backend() {
            crate::store::Backend::Sqlite => RateLimiter::new(),
            crate::store::Backend::Postgres => RateLimiter::shared(store.clone()),
        });
        let jobs = crate::jobs::Queue::new(
            store.clone(),
            crate::jobs::QueueSettings::from_config(&config),
        );
        let accounts = Accounts::new(
            store.clone(),
            mailer.clone(),
            limiter.clone(),
            config.clone(),
            jobs.clone(),
        )?;
        let newsletters = crate::newsletter::Newsletters::new(
            store.clone(),
            mailer.clone(),
            config.clone(),
            limiter.clone(),
            Some(jobs.clone()),
            crate::newsletter::system_clock(),
        )
        .await?;
        let reader = crate::reader::Reader::new(store.clone());
        let newsletters = newsletters.with_reader(reader.clone());
        let csrf_secret = store
            .setting_or_insert("csrf_secret", &crate::accounts::tokens::random_token())
            .await
            .context("reading the CSRF secret")?;
        Ok(AppState {
            csrf_secret: Arc::new(csrf_secret.into_bytes()),
            newsletters,
            config,
            reader,
            store,
            search,
            understanding,
            pipeline,
            newsroom,
            mailer,
            limiter,
            accounts,
            fetcher,
            jobs,
            metrics: Arc::default(),
            front: Arc::default(),
        })
    }
}
