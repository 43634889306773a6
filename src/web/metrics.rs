//! `GET /metrics`: what an operator watches, in Prometheus' text format: HTTP responses by
//! class, searches and their latency, the store and the search index. Answered to loopback
//! clients only unless `metrics_public` is set (the figures say how busy and how large a
//! site is).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

/// Upper bounds (seconds) of the search latency histogram's buckets.
const SEARCH_BUCKETS: [f64; 9] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5];

/// Counters kept while serving; cheap to update from any request.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    /// Responses by status class: 1xx … 5xx.
    responses: [AtomicU64; 5],
    searches: AtomicU64,
    search_micros: AtomicU64,
    /// Searches at or under each of [`SEARCH_BUCKETS`] (not cumulative; summed on render).
    search_buckets: [AtomicU64; SEARCH_BUCKETS.len()],
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            started: Instant::now(),
            responses: Default::default(),
            searches: AtomicU64::new(0),
            search_micros: AtomicU64::new(0),
            search_buckets: Default::default(),
        }
    }
}

impl Metrics {
    fn record_response(&self, status: StatusCode) {
        let class = usize::from(status.as_u16() / 100).clamp(1, 5) - 1;
        self.responses[class].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one search and how long it took.
    pub fn record_search(&self, took: Duration) {
        self.searches.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.search_micros.fetch_add(micros, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        if let Some(i) = SEARCH_BUCKETS.iter().position(|&b| secs <= b) {
            self.search_buckets[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The counters in Prometheus' text format, followed by `gauges` (name, help, value).
    fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP sahifa_build_info The running version.\n# TYPE sahifa_build_info gauge\n\
             sahifa_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "# HELP sahifa_uptime_seconds Seconds since the server started.\n\
             # TYPE sahifa_uptime_seconds gauge\nsahifa_uptime_seconds {:.0}",
            self.started.elapsed().as_secs_f64()
        );
        let _ = writeln!(
            out,
            "# HELP sahifa_http_responses_total HTTP responses by status class.\n\
             # TYPE sahifa_http_responses_total counter"
        );
        for (i, n) in self.responses.iter().enumerate() {
            let _ = writeln!(
                out,
                "sahifa_http_responses_total{{class=\"{}xx\"}} {}",
                i + 1,
                n.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP sahifa_search_duration_seconds Time to answer a search (page or API).\n\
             # TYPE sahifa_search_duration_seconds histogram"
        );
        let mut cumulative = 0;
        for (bound, n) in SEARCH_BUCKETS.iter().zip(&self.search_buckets) {
            cumulative += n.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "sahifa_search_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = self.searches.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "sahifa_search_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n\
             sahifa_search_duration_seconds_sum {}\nsahifa_search_duration_seconds_count {count}",
            self.search_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

/// Middleware: counts every response by status class.
pub async fn count_responses(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    state.metrics.record_response(response.status());
    response
}

/// Whether `peer` may read the metrics.
fn allowed(public: bool, peer: SocketAddr) -> bool {
    public || peer.ip().is_loopback()
}

/// `GET /metrics`.
pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    if !allowed(state.config.metrics_public, peer) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (articles, published) = match (
        state.store.count_articles().await,
        state.store.section_counts().await,
    ) {
        (Ok(all), Ok(by_section)) => (all, by_section.iter().map(|(_, n)| n).sum::<i64>()),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(error = %e, "metrics: the store did not answer");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
        }
    };
    let gauges = [
        (
            "sahifa_articles",
            "Stored articles, drafts included.",
            articles as f64,
        ),
        (
            "sahifa_articles_published",
            "Published articles.",
            published as f64,
        ),
        (
            "sahifa_search_index_documents",
            "Articles in the search index.",
            state.search.num_docs() as f64,
        ),
        (
            "sahifa_search_index_segments",
            "Segments of the search index.",
            state.search.segment_count() as f64,
        ),
    ];
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&gauges),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_clients_unless_public() {
        let peer = |s: &str| s.parse::<SocketAddr>().expect("address");
        assert!(allowed(false, peer("127.0.0.1:5000")));
        assert!(allowed(false, peer("[::1]:5000")));
        assert!(!allowed(false, peer("10.1.2.3:5000")));
        assert!(!allowed(false, peer("203.0.113.7:443")));
        assert!(allowed(true, peer("203.0.113.7:443")));
    }

    #[test]
    fn searches_fall_into_cumulative_buckets() {
        let m = Metrics::default();
        m.record_search(Duration::from_micros(300));
        m.record_search(Duration::from_millis(3));
        m.record_search(Duration::from_secs(2));
        m.record_response(StatusCode::OK);
        m.record_response(StatusCode::NOT_FOUND);
        let text = m.render(&[("sahifa_articles", "Stored articles.", 7.0)]);
        for line in [
            "sahifa_search_duration_seconds_bucket{le=\"0.0005\"} 1",
            "sahifa_search_duration_seconds_bucket{le=\"0.005\"} 2",
            "sahifa_search_duration_seconds_bucket{le=\"0.5\"} 2",
            "sahifa_search_duration_seconds_bucket{le=\"+Inf\"} 3",
            "sahifa_search_duration_seconds_count 3",
            "sahifa_http_responses_total{class=\"2xx\"} 1",
            "sahifa_http_responses_total{class=\"4xx\"} 1",
            "sahifa_articles 7",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
    }
}
