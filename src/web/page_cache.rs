//! Whole pages kept per node for visitors who are not signed in: the article page and the
//! first pages of the home, section and tag pages, rendered once per locale and address and
//! kept as HTML and as gzip, so a busy page costs neither a query, a template nor a
//! compression per request. [`layer`] wraps those routes; their handlers do not know it.
//!
//! Like the front-page lists every entry belongs to one [`front::generation`]: the cache
//! starts afresh when it moves, which a write committed by this process does at once and a
//! write on another node when this node's search index applies it from the change log
//! (within the follower's delay). So an edit, an unpublish, a removal, a retag or a story
//! that gains a copy (its write changes the story's pages too) shows at once here. A page
//! rendered while the generation moved is served but not kept. Entries older than
//! [`front::MAX_AGE`] are rendered again anyway. The bytes kept are bounded by
//! [`MAX_BYTES`]: past it the least recently served pages go first.
//!
//! Only a `GET` without a session cookie and without an `Authorization` header is answered
//! from or put into the cache, and only a plain `200` HTML answer (no cookie set, not
//! `no-store`) is kept: a member's page (save buttons, follow state, CSRF fields) and an
//! editor's preview of a draft never are.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lru::LruCache;

use super::front;
use super::session::{SESSION_COOKIE, cookie};
use crate::app::AppState;
use crate::locale::{Locale, Tr};

/// Bytes of HTML and gzip kept at most: a bound, so a crawl of a 67k-article corpus cannot
/// fill memory (serve's goal is under 150 MB in all).
pub const MAX_BYTES: usize = 24 << 20;

/// A page as sent: its HTML and the same HTML gzipped.
pub struct Rendered {
    html: Bytes,
    gzip: Bytes,
}

impl Rendered {
    fn new(html: Bytes) -> Rendered {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(
            Vec::with_capacity(html.len() / 4),
            flate2::Compression::default(),
        );
        // Writing into a Vec cannot fail.
        let gzip = match enc.write_all(&html).and_then(|()| enc.finish()) {
            Ok(v) => Bytes::from(v),
            Err(_) => Bytes::new(),
        };
        Rendered { html, gzip }
    }

    fn size(&self) -> usize {
        self.html.len() + self.gzip.len()
    }

    /// The answer: the gzip when the request takes gzip, else the HTML.
    pub fn respond(&self, gzip: bool) -> Response {
        let html = HeaderValue::from_static("text/html; charset=utf-8");
        if gzip && !self.gzip.is_empty() {
            (
                [
                    (header::CONTENT_TYPE, html),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                self.gzip.clone(),
            )
                .into_response()
        } else {
            ([(header::CONTENT_TYPE, html)], self.html.clone()).into_response()
        }
    }
}

/// Whether `Accept-Encoding` takes gzip (`gzip` or `*` with a weight above zero).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let zero = parts.any(|p| {
                p.strip_prefix("q=")
                    .is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !zero
        })
}

/// What a page depends on besides the store: its locale and its address (without `lang`,
/// which only picks the locale).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Key {
    locale: Locale,
    address: String,
}

impl Key {
    /// The key of a request for `uri` in `locale`; `None` when the query holds anything but
    /// `lang` and a `page` up to [`front::CACHED_PAGES`] (such addresses are not kept, so
    /// odd queries and deep pages cannot crowd out the busy ones).
    pub fn of(locale: Locale, uri: &Uri) -> Option<Key> {
        let mut address = uri.path().to_string();
        let mut first = true;
        for pair in uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
        {
            match pair.split_once('=').map_or(pair, |(k, _)| k) {
                "lang" => {}
                "page" => {
                    let n = pair
                        .split_once('=')
                        .and_then(|(_, v)| v.parse::<i64>().ok());
                    if !n.is_some_and(|n| (1..=front::CACHED_PAGES).contains(&n)) {
                        return None;
                    }
                    address.push(if first { '?' } else { '&' });
                    address.push_str(pair);
                    first = false;
                }
                _ => return None,
            }
        }
        Some(Key { locale, address })
    }
}

struct Inner {
    generation: u64,
    since: Instant,
    pages: LruCache<Key, Arc<Rendered>>,
    bytes: usize,
}

/// This node's cache of whole pages for visitors.
pub struct PageCache {
    inner: Mutex<Inner>,
    max_bytes: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(MAX_BYTES)
    }
}

impl PageCache {
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache {
            inner: Mutex::new(Inner {
                generation: 0,
                since: Instant::now(),
                // Bounded by bytes in `put`, not by count.
                pages: LruCache::unbounded(),
                bytes: 0,
            }),
            max_bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Entries are whole values: a panic elsewhere cannot leave one half-written.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The page at `key` kept at `generation`, if any (a moved generation or an old cache
    /// empties it first).
    pub fn get(&self, generation: u64, key: &Key) -> Option<Arc<Rendered>> {
        let mut inner = self.lock();
        if inner.generation != generation || inner.since.elapsed() > front::MAX_AGE {
            inner.generation = generation;
            inner.since = Instant::now();
            inner.pages.clear();
            inner.bytes = 0;
        }
        inner.pages.get(key).cloned()
    }

    /// Keeps `html` at `key` when the cache is still at `generation` (the page was rendered
    /// from what the store held then), dropping the least recently served pages past the
    /// byte bound; returns the page either way.
    pub fn put(&self, generation: u64, key: Key, html: Bytes) -> Arc<Rendered> {
        let page = Arc::new(Rendered::new(html));
        let size = page.size();
        let mut inner = self.lock();
        if inner.generation == generation && size <= self.max_bytes {
            if let Some(old) = inner.pages.put(key, page.clone()) {
                inner.bytes -= old.size();
            }
            inner.bytes += size;
            while inner.bytes > self.max_bytes {
                let Some((_, old)) = inner.pages.pop_lru() else {
                    break;
                };
                inner.bytes -= old.size();
            }
        }
        page
    }

    /// Pages and bytes kept.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.pages.len(), inner.bytes)
    }
}

/// Whether the request may share the visitors' page: a `GET` with no session cookie and no
/// `Authorization` header.
fn is_visitor(req: &Request) -> bool {
    req.method() == Method::GET
        && !req.headers().contains_key(header::AUTHORIZATION)
        && cookie(req.headers(), SESSION_COOKIE).is_none()
}

/// Whether the handler's answer is the visitors' page: `200`, HTML, no cookie set, not
/// marked personal.
fn is_shareable(resp: &Response) -> bool {
    let h = resp.headers();
    resp.status() == StatusCode::OK
        && h.get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
        && !h.contains_key(header::SET_COOKIE)
        && !h.contains_key(header::CACHE_CONTROL)
        && !h.contains_key(header::CONTENT_ENCODING)
}

/// The middleware of the cached routes (inside [`super::chrome::locale_layer`], which picks
/// the locale it keys by).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_visitor(&req) {
        return next.run(req).await;
    }
    let locale = request_locale(&req);
    let Some(key) = Key::of(locale, req.uri()) else {
        return next.run(req).await;
    };
    let cache = &state.front.pages;
    // Read before the handler reads the store: a write meanwhile makes the page stale.
    let generation = front::generation(&state);
    let gzip = accepts_gzip(req.headers());
    if let Some(hit) = cache.get(generation, &key) {
        return hit.respond(gzip);
    }
    let resp = next.run(req).await;
    if !is_shareable(&resp) {
        return resp;
    }
    // The handler's body is one string already in memory.
    match axum::body::to_bytes(resp.into_body(), usize::MAX).await {
        Ok(html) => cache.put(generation, key, html).respond(gzip),
        Err(e) => {
            tracing::warn!(error = %e, "reading a page for the page cache");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The locale [`super::chrome::locale_layer`] picked.
fn request_locale(req: &Request) -> Locale {
    req.extensions()
        .get::<Tr>()
        .map_or_else(crate::locale::current, |t| t.locale())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(uri: &str) -> Option<Key> {
        Key::of(Locale::Ar, &uri.parse().expect("uri"))
    }

    #[test]
    fn lang_is_dropped_page_kept_anything_else_not_cached() {
        assert_eq!(key("/a?lang=en"), key("/a"));
        assert_eq!(
            key("/s/x?lang=ar&page=2").map(|k| k.address),
            Some("/s/x?page=2".into())
        );
        assert_ne!(key("/s/x?page=2"), key("/s/x"));
        assert_eq!(key("/a?utm_source=x"), None);
        assert_eq!(key("/s/x?page=6"), None);
        assert_eq!(key("/s/x?page=0"), None);
    }

    #[test]
    fn gzip_is_taken_unless_weighted_zero() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            accepts_gzip(&h)
        };
        assert!(with("gzip, deflate, br"));
        assert!(with("br;q=1.0, gzip;q=0.8"));
        assert!(!with("gzip;q=0"));
        assert!(!with("br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn generations_empty_it_and_bytes_bound_it() {
        let cache = PageCache::new(3 * 1100);
        let page = "x".repeat(1000);
        for i in 0..10 {
            cache.get(1, &key(&format!("/p{i}")).expect("key"));
            cache.put(1, key(&format!("/p{i}")).expect("key"), page.clone().into());
        }
        let (n, bytes) = cache.usage();
        assert!(n < 10 && bytes <= 3 * 1100, "{n} pages, {bytes} bytes");
        assert!(cache.get(1, &key("/p9").expect("key")).is_some());
        assert!(cache.get(1, &key("/p0").expect("key")).is_none());
        // A page rendered before the generation moved is not kept.
        cache.put(0, key("/old").expect("key"), page.into());
        assert!(cache.get(1, &key("/old").expect("key")).is_none());
        assert!(cache.get(2, &key("/p9").expect("key")).is_none());
    }
}
