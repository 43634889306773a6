//! A real HTTP feed server on loopback for the polling tests: RSS, Atom and JSON Feed with
//! ETags (answering 304), feeds that fail on demand, redirects, and documents in
//! windows-1256 / ISO-8859-6 declared only in the header or only in the document.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One entry of a served feed.
#[derive(Clone)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Minutes before the feed's newest date.
    pub age_minutes: i64,
}

#[derive(Default)]
struct Inner {
    /// Entries per feed name, newest first.
    feeds: HashMap<String, Vec<Entry>>,
    /// Feeds answering 503 while set.
    down: HashMap<String, bool>,
    /// Requests seen per path, and 304s sent per path.
    requests: HashMap<String, usize>,
    not_modified: HashMap<String, usize>,
}

/// The server and what it has seen.
#[derive(Clone)]
pub struct FeedServer {
    pub addr: std::net::SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

fn lock(m: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FeedServer {
    pub async fn start() -> FeedServer {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = Router::new()
            .route("/rss/{name}", get(rss))
            .route("/atom/{name}", get(atom))
            .route("/json/{name}", get(json_feed))
            .route("/redirect/{name}", get(redirect))
            .route("/fixture/{file}", get(fixture))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FeedServer { addr, inner }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The same path under another host name (resolved by the test's lookup table).
    pub fn url_as(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.addr.port())
    }

    pub fn set_entries(&self, feed: &str, entries: Vec<Entry>) {
        lock(&self.inner).feeds.insert(feed.into(), entries);
    }

    pub fn push_entry(&self, feed: &str, entry: Entry) {
        lock(&self.inner)
            .feeds
            .entry(feed.into())
            .or_default()
            .insert(0, entry);
    }

    pub fn set_down(&self, feed: &str, down: bool) {
        lock(&self.inner).down.insert(feed.into(), down);
    }

    /// Requests seen for `path`, and how many got 304.
    pub fn seen(&self, path: &str) -> (usize, usize) {
        let g = lock(&self.inner);
        (
            g.requests.get(path).copied().unwrap_or(0),
            g.not_modified.get(path).copied().unwrap_or(0),
        )
    }
}

/// Entries `n` of a feed named `feed`, an hour apart.
pub fn entries(feed: &str, n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| Entry {
            id: format!("{feed}-{i}"),
            title: format!("خبر {feed} رقم {i} عن ليبيا"),
            body: format!(
                "نص الخبر {i} من خلاصة {feed}: اجتمع المجلس في طرابلس وناقش الميزانية العامة."
            ),
            age_minutes: 60 * i as i64,
        })
        .collect()
}

const NEWEST: &str = "2026-11-29T12:00:00Z";

fn date(age: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(NEWEST)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
        - chrono::Duration::minutes(age)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Counts the request, answers 503 when the feed is down, 304 when the ETag matches, else
/// the document `render` makes of the entries.
fn serve(
    inner: &Mutex<Inner>,
    path: String,
    name: &str,
    headers: &HeaderMap,
    content_type: &str,
    render: impl Fn(&[Entry]) -> String,
) -> Response {
    let mut g = lock(inner);
    *g.requests.entry(path.clone()).or_default() += 1;
    if g.down.get(name).copied().unwrap_or(false) {
        return (StatusCode::SERVICE_UNAVAILABLE, "down for maintenance").into_response();
    }
    let entries = g.feeds.get(name).cloned().unwrap_or_default();
    let etag = format!("\"{}-{}\"", name, entries.len());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        *g.not_modified.entry(path).or_default() += 1;
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::ETAG, etag),
        ],
        render(&entries),
    )
        .into_response()
}

async fn rss(
    State(s): State<Arc<Mutex<Inner>>>,
    Path(name): Path<String>,
    h: HeaderMap,
) -> Response {
    let path = format!("/rss/{name}");
    serve(&s, path, &name, &h, "application/rss+xml", |entries| {
        let items: String = entries
            .iter()
            .map(|e| {
                format!(
                    "<item><guid>{}</guid><title>{}</title><link>http://feeds.test/{}</link>\
                     <description>{}</description><pubDate>{}</pubDate></item>",
                    e.id,
                    escape(&e.title),
                    e.id,
                    escape(&e.body),
                    date(e.age_minutes).to_rfc2822()
                )
            })
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
             <title>خلاصة {name}</title>{items}</channel></rss>"
        )
    })
}

async fn atom(
    State(s): State<Arc<Mutex<Inner>>>,
    Path(name): Path<String>,
    h: HeaderMap,
) -> Response {
    let path = format!("/atom/{name}");
    serve(&s, path, &name, &h, "application/atom+xml", |entries| {
        let items: String = entries
            .iter()
            .map(|e| {
                format!(
                    "<entry><id>urn:{}</id><title>{}</title><updated>{}</updated>\
                     <content type=\"html\">{}</content></entry>",
                    e.id,
                    escape(&e.title),
                    date(e.age_minutes).to_rfc3339(),
                    escape(&format!("<p>{}</p>", e.body))
                )
            })
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title>خلاصة {name}</title><id>urn:{name}</id><updated>{NEWEST}</updated>{items}</feed>"
        )
    })
}

async fn json_feed(
    State(s): State<Arc<Mutex<Inner>>>,
    Path(name): Path<String>,
    h: HeaderMap,
) -> Response {
    let path = format!("/json/{name}");
    serve(&s, path, &name, &h, "application/feed+json", |entries| {
        let items: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id, "title": e.title, "content_text": e.body,
                    "date_published": date(e.age_minutes).to_rfc3339(),
                })
            })
            .collect();
        serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1", "title": format!("خلاصة {name}"),
            "items": items,
        })
        .to_string()
    })
}

/// Redirects to the loopback address of the server's RSS feed `name`.
async fn redirect(
    State(_s): State<Arc<Mutex<Inner>>>,
    Path(name): Path<String>,
    h: HeaderMap,
) -> Response {
    let host = h
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let port = host.rsplit(':').next().unwrap_or("80");
    (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            format!("http://127.0.0.1:{port}/rss/{name}"),
        )],
    )
        .into_response()
}

/// Serves a file of tests/fixtures/feeds; `?charset` is not used: the name says it.
/// `NAME.as-CHARSET` serves `NAME` with `charset=CHARSET` in the header.
async fn fixture(Path(file): Path<String>) -> Response {
    let (name, ctype) = match file.split_once(".as-") {
        Some((name, cs)) => (
            name.to_string(),
            format!("application/rss+xml; charset={cs}"),
        ),
        None => (file.clone(), "application/rss+xml".to_string()),
    };
    if name.contains('/') || name.contains("..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = crate::helpers::fixtures().join("feeds").join(&name);
    match std::fs::read(path) {
        Ok(bytes) => ([(header::CONTENT_TYPE, ctype)], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A lookup table for the fetcher: names the tests use, and the addresses they resolve to
/// (nothing is ever sent to a non-loopback one: the guard refuses first).
pub struct Table(pub Vec<(&'static str, IpAddr)>);

impl sahifa::ingest::fetch::Lookup for Table {
    fn lookup(
        &self,
        host: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>
    {
        let found: Vec<IpAddr> = self
            .0
            .iter()
            .filter(|(name, _)| *name == host)
            .map(|(_, ip)| *ip)
            .collect();
        Box::pin(async move {
            if found.is_empty() {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{host}: no such host in the test's table"),
                ))
            } else {
                Ok(found)
            }
        })
    }
}
