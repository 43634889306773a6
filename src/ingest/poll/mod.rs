//! Polling feed sources: a conditional GET per due source, entries through the one
//! ingestion pipeline, and the next check planned from what the feed and the server said
//! (publishing rate, `Cache-Control`, `Retry-After`, `ttl`), with exponential backoff and
//! jitter on errors, up to seven days and never given up.

pub mod jobs;
mod plan;

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::fetch::{self, Fetcher};
use super::{Incoming, charset, feed, html};
use crate::newsroom::Newsroom;
use crate::store::sources::SourceRow;
use crate::store::{Store, to_millis};

pub use plan::{MAX_BACKOFF, MAX_INTERVAL, adapt, backoff};
use plan::{cache_wait, failure, status_of, success};

/// How long a claimed source is ours before another poller may take it.
pub const LEASE: Duration = Duration::from_secs(10 * 60);
/// Sources polled at the same time (per host the fetcher allows two).
const CONCURRENCY: usize = 32;

/// What one poll of one source did.
#[derive(Debug, Clone, PartialEq)]
pub struct Polled {
    pub name: String,
    /// `200`, `304`, an HTTP error code, `refused` or `error`.
    pub status: String,
    pub imported: u64,
    pub warnings: u64,
    pub error: Option<String>,
    pub next_check: DateTime<Utc>,
}

/// What a round of polls did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollReport {
    pub sources: Vec<Polled>,
}

impl PollReport {
    /// Sources that answered 304.
    pub fn not_modified(&self) -> usize {
        self.sources.iter().filter(|p| p.status == "304").count()
    }

    /// Sources whose poll failed.
    pub fn failed(&self) -> usize {
        self.sources.iter().filter(|p| p.error.is_some()).count()
    }

    /// Articles imported or updated.
    pub fn imported(&self) -> u64 {
        self.sources.iter().map(|p| p.imported).sum()
    }
}

impl std::fmt::Display for PollReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "polled {} sources: {} not modified, {} failed, imported {}",
            self.sources.len(),
            self.not_modified(),
            self.failed(),
            self.imported()
        )
    }
}

static STORING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Polls sources with the fetcher and stores their entries through the pipeline.
#[derive(Clone)]
pub struct Poller {
    store: Store,
    pipeline: Newsroom,
    fetcher: Fetcher,
    /// Feeds are fetched side by side but stored one at a time (by every poller of the
    /// process, so also by poll jobs running side by side): SQLite takes one writer, and a
    /// write transaction that waits on another fails rather than queues.
    storing: &'static tokio::sync::Mutex<()>,
}

impl Poller {
    pub fn new(store: Store, pipeline: Newsroom, fetcher: Fetcher) -> Poller {
        Poller {
            store,
            pipeline,
            fetcher,
            storing: &STORING,
        }
    }

    /// The poller of the application: its store, pipeline and fetcher.
    pub fn from_state(state: &crate::app::AppState) -> Poller {
        Poller::new(
            state.store.clone(),
            state.newsroom.clone(),
            state.fetcher.clone(),
        )
    }

    /// Polls every source due at `now` (every source with `all`), a few at a time; each is
    /// claimed first, so two pollers never fetch the same source at once.
    pub async fn poll_due(&self, now: DateTime<Utc>, all: bool) -> anyhow::Result<PollReport> {
        let mut report = PollReport::default();
        let lease = LEASE.as_millis() as i64;
        let claimed = self
            .store
            .claim_due_sources(to_millis(now), all, lease, i64::MAX)
            .await?;
        let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
        let mut tasks = tokio::task::JoinSet::new();
        for (i, source) in claimed.into_iter().enumerate() {
            let me = self.clone();
            let sem = sem.clone();
            tasks.spawn(async move {
                let _permit = sem.acquire_owned().await;
                (i, me.poll_source(source, now).await)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let (i, polled) = joined?;
            done.push((i, polled?));
        }
        done.sort_by_key(|(i, _)| *i);
        report.sources = done.into_iter().map(|(_, p)| p).collect();
        Ok(report)
    }

    /// Polls the source `name` now, due or not; `false` when there is none.
    pub async fn poll_named(&self, name: &str, now: DateTime<Utc>) -> anyhow::Result<bool> {
        match self.store.source(name).await? {
            None => Ok(false),
            Some(s) => {
                self.poll_source(s, now).await?;
                Ok(true)
            }
        }
    }

    /// Polls one source (already claimed) and records the outcome on its row.
    pub async fn poll_source(&self, s: SourceRow, now: DateTime<Utc>) -> anyhow::Result<Polled> {
        let req = fetch::Request {
            url: s.url.clone(),
            etag: s.etag.clone(),
            last_modified: s.last_modified.clone(),
        };
        let interval = Duration::from_secs(s.interval_secs.max(1) as u64);
        let fetched = self.fetcher.get(&req).await;
        let (outcome, imported, warnings) = match fetched {
            Err(e) => (failure(&s, now, &e.to_string(), status_of(&e), None), 0, 0),
            Ok(resp) if resp.not_modified() => {
                let wait = interval.max(cache_wait(resp.max_age, None));
                (success(now, "304", wait, interval, &resp, None), 0, 0)
            }
            Ok(resp) if !(200..300).contains(&resp.status) => {
                let msg = format!("HTTP {} from {}", resp.status, resp.url);
                let code = resp.status.to_string();
                (failure(&s, now, &msg, &code, resp.retry_after), 0, 0)
            }
            Ok(resp) => match self.ingest(&s, &resp).await {
                Err(e) => (failure(&s, now, &format!("{e:#}"), "error", None), 0, 0),
                Ok((parsed, imported, warnings)) => {
                    let adapted = adapt(&s, &parsed.dates);
                    let ttl = parsed.ttl_minutes.map(|m| u64::from(m) * 60);
                    let wait = adapted.max(cache_wait(resp.max_age, ttl));
                    let outcome = success(now, "200", wait, adapted, &resp, parsed.title);
                    (outcome, imported, warnings)
                }
            },
        };
        {
            let _one_writer = self.storing.lock().await;
            self.store.record_poll(s.pk, &outcome).await?;
        }
        Ok(Polled {
            name: s.name,
            status: outcome.status,
            imported,
            warnings,
            error: outcome.error,
            next_check: crate::store::from_millis(outcome.next_check),
        })
    }

    /// Decodes and parses a feed answer, fetches full pages when asked, and stores the
    /// entries; returns what scheduling needs and the counts.
    async fn ingest(
        &self,
        s: &SourceRow,
        resp: &fetch::Response,
    ) -> anyhow::Result<(Parsed, u64, u64)> {
        let text = charset::decode(&resp.body, resp.content_type.as_deref());
        let parsed = feed::parse_feed(text.as_bytes()).map_err(anyhow::Error::msg)?;
        let mut records = Vec::new();
        let mut skipped = 0u64;
        let mut dates = Vec::new();
        for entry in parsed.entries {
            let Ok(mut inc) = entry else {
                skipped += 1;
                continue;
            };
            dates.extend(inc.published);
            if inc.category.is_none() {
                inc.category = s.section.clone();
            }
            if s.full_content {
                self.full_content(&mut inc).await;
            }
            records.push(inc);
        }
        let origin = format!("source {}", s.name);
        let report = {
            let _one_writer = self.storing.lock().await;
            self.pipeline
                .ingest_records(records, &s.name, &origin)
                .await?
        };
        for r in &report.rejections {
            tracing::warn!(source = %s.name, "{r}");
        }
        let warnings = skipped + report.rejected();
        Ok((
            Parsed {
                title: parsed.title,
                ttl_minutes: parsed.ttl_minutes,
                dates,
            },
            report.imported(),
            warnings,
        ))
    }

    /// Replaces an entry's summary by its page's main text; on failure the summary stays.
    async fn full_content(&self, inc: &mut Incoming) {
        let Some(url) = inc.url.clone() else {
            return;
        };
        let req = fetch::Request {
            url: url.clone(),
            ..fetch::Request::default()
        };
        match self.fetcher.get(&req).await {
            Ok(page) if page.status == 200 => {
                let text = charset::decode(&page.body, page.content_type.as_deref());
                match html::main_text(&text, Some(&url)) {
                    Ok(body) => inc.body = body,
                    Err(e) => tracing::info!(%url, "full content: {e}; the feed's text is kept"),
                }
            }
            Ok(page) => tracing::info!(%url, status = page.status, "full content not fetched"),
            Err(e) => tracing::info!(%url, "full content: {e}"),
        }
    }
}

/// What scheduling needs from a parsed feed.
struct Parsed {
    title: Option<String>,
    ttl_minutes: Option<u32>,
    dates: Vec<DateTime<Utc>>,
}
