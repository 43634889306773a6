//! Safe fetching of feeds and pages: HTTP(S) through reqwest (rustls) with a resolver that
//! refuses private and loopback addresses at connect time, literal-address URLs checked
//! the same way, redirects followed by hand (each hop checked, at most five), the body and
//! the whole exchange capped, conditional GET headers sent and read.

pub mod guard;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use reqwest::{StatusCode, Url};

pub use guard::{AllowList, Lookup, Refused, SystemLookup};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;
/// Largest body read, in bytes (after gzip).
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// Time allowed for one fetch, redirects and body included.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a fetch failed; each reads as a sentence for the health page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The address is private or loopback and not in `fetch_allow`.
    #[error("{0}")]
    Refused(Refused),
    /// Not an `http(s)` URL, or not a URL at all.
    #[error("not a fetchable URL: {0}")]
    BadUrl(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("response body is over {} MiB", MAX_BODY / (1024 * 1024))]
    TooLarge,
    #[error("no answer within {} s", TIMEOUT.as_secs())]
    Timeout,
    /// DNS, TCP, TLS or HTTP failure.
    #[error("{0}")]
    Network(String),
}

/// One conditional GET: the URL and the validators from the last answer.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What came back: status, caching headers, and the body (empty on 304).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// The URL after redirects.
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `Cache-Control: max-age` in seconds.
    pub max_age: Option<u64>,
    /// `Retry-After` (seconds or an HTTP date), in seconds from now.
    pub retry_after: Option<u64>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    /// 304 Not Modified.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// The HTTP client every feed and page fetch goes through; cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow: Arc<AllowList>,
}

impl Fetcher {
    /// A fetcher resolving names with the system resolver.
    pub fn new(allow: AllowList) -> anyhow::Result<Fetcher> {
        Fetcher::with_lookup(allow, Arc::new(SystemLookup))
    }

    /// A fetcher resolving names with `lookup` (tests give a table).
    pub fn with_lookup(allow: AllowList, lookup: Arc<dyn Lookup>) -> anyhow::Result<Fetcher> {
        let allow = Arc::new(allow);
        let client = reqwest::Client::builder()
            .user_agent(concat!(
                "sahifa/",
                env!("CARGO_PKG_VERSION"),
                " (feed reader)"
            ))
            // A proxy would connect for us, out of the resolver's sight.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(TIMEOUT)
            .dns_resolver(guard::GuardedResolver {
                allow: allow.clone(),
                lookup,
            })
            .build()?;
        Ok(Fetcher { client, allow })
    }

    /// GETs `req.url`, following redirects; an HTTP error status is a response, not an
    /// error (the caller decides), a refused address or a network failure is.
    pub async fn get(&self, req: &Request) -> Result<Response, FetchError> {
        match tokio::time::timeout(TIMEOUT, self.get_inner(req)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout),
        }
    }

    async fn get_inner(&self, req: &Request) -> Result<Response, FetchError> {
        let mut url = parse_url(&req.url)?;
        for _ in 0..=MAX_REDIRECTS {
            self.check_literal(&url)?;
            let mut builder = self.client.get(url.clone());
            if let Some(etag) = &req.etag {
                builder = builder.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &req.last_modified {
                builder = builder.header(header::IF_MODIFIED_SINCE, lm);
            }
            let resp = builder.send().await.map_err(network)?;
            let status = resp.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| {
                        FetchError::Network(format!("redirect {status} without a Location"))
                    })?;
                url = url
                    .join(next)
                    .map_err(|e| FetchError::BadUrl(format!("{next}: {e}")))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(FetchError::BadUrl(url.to_string()));
                }
                continue;
            }
            return read(resp, url).await;
        }
        Err(FetchError::TooManyRedirects)
    }

    /// A URL naming an address directly never reaches the resolver: check it here.
    fn check_literal(&self, url: &Url) -> Result<(), FetchError> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => std::net::IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => std::net::IpAddr::V6(v6),
            _ => return Ok(()),
        };
        match self.allow.refusal(&ip.to_string(), ip) {
            Some(r) => Err(FetchError::Refused(r)),
            None => Ok(()),
        }
    }
}

/// An absolute `http(s)` URL.
pub fn parse_url(s: &str) -> Result<Url, FetchError> {
    let url = Url::parse(s.trim()).map_err(|e| FetchError::BadUrl(format!("{s}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(FetchError::BadUrl(format!("{s}: only http and https URLs")));
    }
    Ok(url)
}

/// Reads the answer's headers and its body, within [`MAX_BODY`].
async fn read(mut resp: reqwest::Response, url: Url) -> Result<Response, FetchError> {
    let headers = resp.headers().clone();
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let status = resp.status().as_u16();
    if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(FetchError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(network)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response {
        status,
        url: url.to_string(),
        etag: text(header::ETAG),
        last_modified: text(header::LAST_MODIFIED),
        max_age: max_age(&headers),
        retry_after: text(header::RETRY_AFTER).and_then(|v| retry_after(&v)),
        content_type: text(header::CONTENT_TYPE),
        body,
    })
}

/// `max-age` of `Cache-Control`, unless `no-cache`/`no-store` say not to rely on it.
fn max_age(headers: &HeaderMap) -> Option<u64> {
    let cc = headers.get(header::CACHE_CONTROL)?.to_str().ok()?;
    let mut age = None;
    for part in cc.split(',').map(str::trim) {
        let lower = part.to_ascii_lowercase();
        if lower == "no-cache" || lower == "no-store" {
            return None;
        }
        if let Some(v) = lower.strip_prefix("max-age=") {
            age = v.trim_matches('"').parse().ok();
        }
    }
    age
}

/// `Retry-After`: delay seconds, or an HTTP date turned into seconds from now.
pub fn retry_after(v: &str) -> Option<u64> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(secs);
    }
    let when = httpdate::parse_http_date(v.trim()).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .map_or(0, |d| d.as_secs()),
    )
}

/// A reqwest failure as a sentence; a refusal of the guard is found in its causes.
fn network(e: reqwest::Error) -> FetchError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        if let Some(r) = c.downcast_ref::<Refused>() {
            return FetchError::Refused(r.clone());
        }
        cause = c.source();
    }
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    let e = e.without_url();
    let mut msg = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    FetchError::Network(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caching_headers_are_read() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CACHE_CONTROL,
            "public, max-age=600".parse().expect("h"),
        );
        assert_eq!(max_age(&h), Some(600));
        h.insert(
            header::CACHE_CONTROL,
            "no-cache, max-age=600".parse().expect("h"),
        );
        assert_eq!(max_age(&h), None);
        assert_eq!(retry_after("120"), Some(120));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(0));
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn only_http_urls() {
        assert!(parse_url("file:///etc/passwd").is_err());
        assert!(parse_url("gopher://x").is_err());
        assert!(parse_url("not a url").is_err());
        assert!(parse_url("https://example.com/feed").is_ok());
    }

    #[tokio::test]
    async fn literal_private_addresses_are_refused_before_connecting() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let f = Fetcher::new(AllowList::default()).expect("fetcher");
        for url in [
            "http://127.0.0.1:1/feed",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:1/",
            "http://[::ffff:127.0.0.1]:1/",
            "http://0.0.0.0:1/",
        ] {
            let e = f
                .get(&Request {
                    url: url.into(),
                    ..Request::default()
                })
                .await
                .expect_err(url);
            assert!(matches!(e, FetchError::Refused(_)), "{url}: {e}");
        }
    }
}
