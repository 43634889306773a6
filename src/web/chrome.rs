//! What every page shares: the reader's locale, picked once per request by [`locale_layer`]
//! (`?lang=` from the switcher, then the member's setting, then the `lang` cookie, then
//! `Accept-Language`), and the frame of base.html ([`Chrome`]: sections, search box,
//! account menu, language switcher, feed links). Handlers take [`Page`] and pass its `t`
//! and `chrome` to their template.

use std::sync::LazyLock;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::session::{SESSION_COOKIE, cookie};
use crate::accounts::User;
use crate::app::AppState;
use crate::locale::{CURRENT, Locale, Tr};
use crate::model::Section;

/// The cookie the language switcher sets.
pub const LANG_COOKIE: &str = "lang";

/// The signed-in member of this request, looked up once by [`locale_layer`].
#[derive(Clone)]
pub struct Member(pub Option<User>);

/// The account menu of a signed-in member.
#[derive(Clone)]
pub struct MemberMenu {
    pub email: String,
    pub is_editor: bool,
    pub is_admin: bool,
}

/// A `<link rel="alternate">` to a feed of the page.
#[derive(Clone)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    /// The media type (`application/rss+xml`, …).
    pub kind: &'static str,
}

/// The frame of every page (base.html).
#[derive(Clone)]
pub struct Chrome {
    /// Section links: (href, name).
    pub nav: &'static [(String, String)],
    /// None for visitors.
    pub member: Option<MemberMenu>,
    /// This page in the other locale (`…?lang=en`).
    pub switch_href: String,
    /// The other locale's tag, for `lang`/`hreflang` on the switcher.
    pub switch_lang: &'static str,
    /// Feeds of this page (the latest news everywhere, plus the page's own).
    pub feeds: Vec<FeedLink>,
}

fn nav_of(locale: Locale) -> Vec<(String, String)> {
    let t = Tr::new(locale);
    Section::ALL
        .iter()
        .map(|s| {
            (
                format!("/sections/{}", s.slug()),
                t.section(*s).into_owned(),
            )
        })
        .collect()
}

static NAV_AR: LazyLock<Vec<(String, String)>> = LazyLock::new(|| nav_of(Locale::Ar));
static NAV_EN: LazyLock<Vec<(String, String)>> = LazyLock::new(|| nav_of(Locale::En));

/// The section links in `locale`.
pub fn nav(t: Tr) -> &'static [(String, String)] {
    match t.locale() {
        Locale::Ar => &NAV_AR,
        Locale::En => &NAV_EN,
    }
}

/// `path?query` with `lang` set to `locale` (other parameters kept).
fn with_lang(path: &str, query: Option<&str>, locale: Locale) -> String {
    let mut pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs.retain(|(k, _)| k != "lang");
    pairs.push(("lang".into(), locale.as_str().into()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{path}?{query}")
}

impl Chrome {
    /// The frame for a request to `path?query` by `user` in `t`'s locale.
    pub fn new(t: Tr, user: Option<&User>, path: &str, query: Option<&str>) -> Chrome {
        let other = t.locale().other();
        Chrome {
            nav: nav(t),
            member: user.map(|u| MemberMenu {
                email: u.email.clone(),
                is_editor: u.is_editor(),
                is_admin: u.is_admin(),
            }),
            switch_href: with_lang(path, query, other),
            switch_lang: other.as_str(),
            feeds: vec![FeedLink {
                title: t.get("feed-latest").into_owned(),
                href: "/feeds/latest.rss".into(),
                kind: "application/rss+xml",
            }],
        }
    }

    /// The frame of a page rendered without its request (error pages).
    pub fn bare(t: Tr) -> Chrome {
        Chrome::new(t, None, "/", None)
    }

    /// Adds the feeds of the page's own subject (`/feeds/{base}.rss`, `.atom`, `.json`).
    pub fn with_feeds(mut self, t: Tr, name: &str, base: &str) -> Chrome {
        let title = t.arg("feed-of", "name", name);
        for (ext, kind) in [
            ("rss", "application/rss+xml"),
            ("atom", "application/atom+xml"),
            ("json", "application/feed+json"),
        ] {
            self.feeds.push(FeedLink {
                title: title.to_string(),
                href: format!("/feeds/{base}.{ext}"),
                kind,
            });
        }
        self
    }
}

/// The locale and frame of a page request.
pub struct Page {
    pub t: Tr,
    pub chrome: Chrome,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let t = request_tr(parts);
        let user = parts.extensions.get::<Member>().and_then(|m| m.0.as_ref());
        let chrome = Chrome::new(t, user, parts.uri.path(), parts.uri.query());
        Ok(Page { t, chrome })
    }
}

/// The locale [`locale_layer`] picked for this request (from the headers without it).
pub fn request_tr(parts: &Parts) -> Tr {
    match parts.extensions.get::<Tr>() {
        Some(t) => *t,
        None => Tr::new(pick(&parts.headers, parts.uri.query(), None)),
    }
}

fn query_lang(query: Option<&str>) -> Option<Locale> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Locale::from_tag(v))
}

/// The switcher's choice, then the member's setting, then the cookie, then Accept-Language.
fn pick(headers: &axum::http::HeaderMap, query: Option<&str>, user: Option<&User>) -> Locale {
    query_lang(query)
        .or(user.map(|u| u.locale))
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|c| Locale::from_tag(&c)))
        .unwrap_or_else(|| {
            Locale::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

/// Paths that are not pages: no locale, no member lookup.
fn is_page(path: &str) -> bool {
    !["/api/", "/static/", "/healthz", "/metrics"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Picks the locale of each page request, remembers a `?lang=` choice (cookie, and the
/// member's setting), and marks the answer's language.
pub async fn locale_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if !is_page(req.uri().path()) {
        return next.run(req).await;
    }
    let chosen = query_lang(req.uri().query());
    let mut member = None;
    if let Some(secret) = cookie(req.headers(), SESSION_COOKIE) {
        match state.accounts.session_user(&secret).await {
            Ok(user) => member = Some(user),
            // Ctx looks the session up again and answers the error.
            Err(e) => tracing::warn!(error = %e, "session lookup for the locale"),
        }
    }
    if let (Some(l), Some(Some(user))) = (chosen, member.as_mut())
        && user.locale != l
    {
        match state.accounts.set_locale(user, l).await {
            Ok(()) => user.locale = l,
            Err(e) => tracing::warn!(error = %e, "storing the member's locale"),
        }
    }
    let locale = pick(
        req.headers(),
        req.uri().query(),
        member.as_ref().and_then(Option::as_ref),
    );
    let had_cookie = cookie(req.headers(), LANG_COOKIE).and_then(|c| Locale::from_tag(&c));
    req.extensions_mut().insert(Tr::new(locale));
    if let Some(m) = member {
        req.extensions_mut().insert(Member(m));
    }
    let mut resp = CURRENT.scope(locale, next.run(req)).await;
    let headers = resp.headers_mut();
    if let Some(l) = chosen
        && had_cookie != Some(l)
    {
        let value = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            l.as_str()
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    headers
        .entry(header::CONTENT_LANGUAGE)
        .or_insert(HeaderValue::from_static(locale.as_str()));
    headers.append(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switcher_keeps_the_other_parameters() {
        assert_eq!(with_lang("/", None, Locale::En), "/?lang=en");
        assert_eq!(
            with_lang(
                "/search",
                Some("q=%D9%84%D9%8A%D8%A8%D9%8A%D8%A7&lang=en&page=2"),
                Locale::Ar
            ),
            "/search?q=%D9%84%D9%8A%D8%A8%D9%8A%D8%A7&page=2&lang=ar"
        );
        assert_eq!(query_lang(Some("a=1&lang=EN")), Some(Locale::En));
        assert_eq!(query_lang(Some("lang=fr")), None);
    }

    #[test]
    fn choice_then_cookie_then_accept_language() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-US,en;q=0.9"),
        );
        assert_eq!(pick(&h, None, None), Locale::En);
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; lang=ar"));
        assert_eq!(pick(&h, None, None), Locale::Ar);
        assert_eq!(pick(&h, Some("lang=en"), None), Locale::En);
    }
}
