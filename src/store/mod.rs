//! The store: one implementation over sqlx's `Any` driver that runs on an embedded SQLite
//! file (the default) or on PostgreSQL, chosen by the URL at start-up. Each backend keeps its
//! migrations in `migrations/<backend>/`, at the same versions.

mod article_changes;
mod article_write;
mod articles;
mod deliveries;
mod editorial;
mod follows;
pub mod jobs;
pub mod leases;
mod newsletters;
mod rate_limits;
mod reader_articles;
mod removed;
mod saved;
mod search_support;
mod signals;
pub mod sources;
mod stories;
mod subscriptions;
mod tags;

pub use article_changes::{Change, LogCursor, LogInfo};
pub use article_write::{ArticleWrite, Stored};
pub use articles::{ArticleRow, Upsert};
pub use deliveries::{DeliveryCounts, DeliveryRow, NewDelivery, Recipient};
pub use editorial::DeskItem;
pub use newsletters::{EditionRow, NewEdition, NewNewsletter, NewsletterRow};
pub use reader_articles::FeedRow;
pub use removed::RemovedBatch;
pub use saved::{SavedFilter, SavedItem, SavedRow, SavedTag, SavedWrite};
pub use signals::{NewSignal, SignalRow};
pub use stories::{StoryCopy, StoryRow};
pub use subscriptions::{BounceRecord, SubscriptionRow};

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Article writes this process committed ([`Store::article_writes`]).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating an SQLite file and its
    /// folder when missing, and brings the schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            bail!("unsupported database URL {url:?}: expected sqlite://… or postgres://…");
        };
        if backend == Backend::Sqlite
            && let Some(path) = sqlite_path(url)
            && let Some(parent) = std::path::Path::new(&path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_string()
        };
        let opts = AnyConnectOptions::from_str(&url)
            .with_context(|| "parsing the database URL".to_string())?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1));
        let max = if backend == Backend::Sqlite { 4 } else { 8 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .with_context(|| format!("connecting to the {backend:?} database"))?;
        let store = Store {
            pool,
            backend,
            writes: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies every pending migration of this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.migrator()
            .run(&self.pool)
            .await
            .context("running database migrations")
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Versions of the migrations this backend ships, in order.
    pub fn known_migrations(backend: Backend) -> Vec<(i64, String)> {
        let m = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    /// Versions applied to the connected database.
    pub async fn applied_migrations(&self) -> anyhow::Result<Vec<i64>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// How many article writes this process has committed: it moves right after each
    /// commit, before the writer answers, so a cache of this process that keys by it shows
    /// its own writes at once whatever its search index has applied yet.
    pub fn article_writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The underlying pool, for use-case modules that own their own tables.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`: it takes the
    /// write lock first (waiting up to the busy timeout), where a deferred transaction that
    /// reads first fails at its first write ("database is locked") whenever another
    /// connection (the job runner, a second request) wrote in between.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Cheap liveness check used by `/healthz`.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_string())
    }
}

/// Milliseconds since the Unix epoch, as stored.
pub fn to_millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_millis`]; out-of-range values become the epoch.
pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
