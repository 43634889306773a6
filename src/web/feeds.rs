//! Feeds out: RSS 2.0, Atom and JSON Feed 1.1 of the latest articles, of each section, tag
//! and source (`/feeds/latest.rss`, `/feeds/sections/{id}.atom`, `/feeds/tags/{slug}.json`,
//! `/feeds/sources/{name}.rss`, …). Article text is marked with its language and direction
//! (`xml:lang`, `<language>`, `dir="rtl"` in the HTML content).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::chrome::Page;
use super::error::PageError;
use super::pages::{article_href, encode};
use crate::app::AppState;
use crate::locale::Tr;
use crate::model::{Article, Section};

/// Articles per feed.
const ITEMS: i64 = 30;

/// The three formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
    Json,
}

/// `name.ext` → (name, format); None for an unknown extension.
fn split(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "rss" => Format::Rss,
        "atom" => Format::Atom,
        "json" => Format::Json,
        _ => return None,
    };
    (!name.is_empty()).then_some((name, format))
}

/// One entry as the templates use it.
pub struct Item {
    url: String,
    title: String,
    summary: Option<String>,
    content_html: String,
    published_rfc2822: String,
    published_rfc3339: String,
    updated_rfc3339: String,
    section: Option<String>,
    tags: Vec<String>,
    source: String,
    lang: String,
}

/// A whole feed as the templates use it.
pub struct Feed {
    title: String,
    description: String,
    site: String,
    home: String,
    self_url: String,
    lang: &'static str,
    updated_rfc2822: String,
    updated_rfc3339: String,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "feeds/content.html")]
struct Content<'a> {
    dir: &'a str,
    lang: &'a str,
    subtitle: Option<&'a str>,
    body: &'a [String],
}

#[derive(Template)]
#[template(path = "feeds/rss.xml")]
struct Rss<'a> {
    f: &'a Feed,
}

#[derive(Template)]
#[template(path = "feeds/atom.xml")]
struct Atom<'a> {
    f: &'a Feed,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Right-to-left scripts among the languages articles come in.
fn dir_of(lang: &str) -> &'static str {
    match lang.split('-').next().unwrap_or("") {
        "ar" | "fa" | "he" | "ur" | "ps" | "ku" => "rtl",
        _ => "ltr",
    }
}

fn item(a: Article, base: &str, t: Tr) -> Result<Item, PageError> {
    let lang = if a.language.trim().is_empty() {
        "ar".to_string()
    } else {
        a.language.clone()
    };
    let content_html = Content {
        dir: dir_of(&lang),
        lang: &lang,
        subtitle: a.subtitle.as_deref(),
        body: &a.body,
    }
    .render()
    .map_err(|e| PageError::Internal(e.into()))?;
    let published = a.sort_time();
    Ok(Item {
        url: format!("{base}{}", article_href(&a.source, &a.id)),
        summary: a.subtitle.clone(),
        content_html,
        published_rfc2822: published.to_rfc2822(),
        published_rfc3339: rfc3339(published),
        updated_rfc3339: rfc3339(a.imported.max(published)),
        section: a.section.map(|s| t.section(s).into_owned()),
        tags: a.tags.into_iter().map(|t| t.name).collect(),
        title: a.title,
        source: a.source,
        lang,
    })
}

/// Builds the feed `name` of `articles`, whose page is `page` and whose address is `path`.
fn build(
    state: &AppState,
    t: Tr,
    name: Option<&str>,
    page: &str,
    path: &str,
    articles: Vec<Article>,
) -> Result<Feed, PageError> {
    let base = state.config.base_url.trim_end_matches('/').to_string();
    let updated = articles
        .iter()
        .map(|a| a.imported.max(a.sort_time()))
        .max()
        .unwrap_or_else(Utc::now);
    let site = t.get("site-name").into_owned();
    let title = match name {
        Some(n) => t.arg("feed-of", "name", n).into_owned(),
        None => t.get("home-title").into_owned(),
    };
    let items = articles
        .into_iter()
        .map(|a| item(a, &base, t))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Feed {
        description: t.get("feed-description").into_owned(),
        title,
        site,
        home: format!("{base}{page}"),
        self_url: format!("{base}{path}"),
        lang: "ar",
        updated_rfc2822: updated.to_rfc2822(),
        updated_rfc3339: rfc3339(updated),
        items,
    })
}

fn json_feed(f: &Feed) -> serde_json::Value {
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": f.title,
        "description": f.description,
        "home_page_url": f.home,
        "feed_url": f.self_url,
        "language": f.lang,
        "authors": [{"name": f.site}],
        "items": f.items.iter().map(|i| json!({
            "id": i.url,
            "url": i.url,
            "title": i.title,
            "summary": i.summary,
            "content_html": i.content_html,
            "date_published": i.published_rfc3339,
            "date_modified": i.updated_rfc3339,
            "authors": [{"name": i.source}],
            "tags": i.section.iter().chain(i.tags.iter()).collect::<Vec<_>>(),
            "language": i.lang,
        })).collect::<Vec<_>>(),
    })
}

fn respond(feed: &Feed, format: Format) -> Result<Response, PageError> {
    let (kind, body) = match format {
        Format::Rss => (
            "application/rss+xml; charset=utf-8",
            Rss { f: feed }
                .render()
                .map_err(|e| PageError::Internal(e.into()))?,
        ),
        Format::Atom => (
            "application/atom+xml; charset=utf-8",
            Atom { f: feed }
                .render()
                .map_err(|e| PageError::Internal(e.into()))?,
        ),
        Format::Json => (
            "application/feed+json; charset=utf-8",
            json_feed(feed).to_string(),
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response())
}

fn parse(file: &str) -> Result<(&str, Format), PageError> {
    split(file).ok_or(PageError::NotFound)
}

/// `/feeds/latest.{rss,atom,json}`.
pub async fn latest(
    State(state): State<AppState>,
    Page { t, .. }: Page,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let (name, format) = parse(&file)?;
    if name != "latest" {
        return Err(PageError::NotFound);
    }
    let articles = state.store.latest(ITEMS, 0).await?;
    let feed = build(&state, t, None, "/", &format!("/feeds/{file}"), articles)?;
    respond(&feed, format)
}

/// `/feeds/sections/{id}.{rss,atom,json}`.
pub async fn section(
    State(state): State<AppState>,
    Page { t, .. }: Page,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let (name, format) = parse(&file)?;
    let s = Section::parse(name).ok_or(PageError::NotFound)?;
    let articles = state.store.latest_in_section(s, ITEMS, 0).await?;
    let page = format!("/sections/{}", s.slug());
    let path = format!("/feeds/sections/{}.{}", s.slug(), ext(format));
    let feed = build(&state, t, Some(&t.section(s)), &page, &path, articles)?;
    respond(&feed, format)
}

/// `/feeds/tags/{slug}.{rss,atom,json}`.
pub async fn tag(
    State(state): State<AppState>,
    Page { t, .. }: Page,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let (slug, format) = parse(&file)?;
    let (name, _) = state.store.tag(slug).await?.ok_or(PageError::NotFound)?;
    let articles = state.store.latest_with_tag(slug, ITEMS, 0).await?;
    let page = format!("/tags/{}", encode(slug));
    let path = format!("/feeds/tags/{}.{}", encode(slug), ext(format));
    let feed = build(&state, t, Some(&name), &page, &path, articles)?;
    respond(&feed, format)
}

/// `/feeds/sources/{name}.{rss,atom,json}`: 404 for a source with no published article.
pub async fn source(
    State(state): State<AppState>,
    Page { t, .. }: Page,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let (source, format) = parse(&file)?;
    let articles = state.store.latest_from_source(source, ITEMS).await?;
    if articles.is_empty() {
        return Err(PageError::NotFound);
    }
    let page = format!("/search?source={}", encode(source));
    let path = format!("/feeds/sources/{}.{}", encode(source), ext(format));
    let feed = build(&state, t, Some(source), &page, &path, articles)?;
    respond(&feed, format)
}

fn ext(f: Format) -> &'static str {
    match f {
        Format::Rss => "rss",
        Format::Atom => "atom",
        Format::Json => "json",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_split_on_the_last_dot() {
        assert_eq!(split("latest.rss"), Some(("latest", Format::Rss)));
        assert_eq!(split("bbc.co.uk.json"), Some(("bbc.co.uk", Format::Json)));
        assert_eq!(split("x.atom"), Some(("x", Format::Atom)));
        assert_eq!(split("x.xml"), None);
        assert_eq!(split(".rss"), None);
        assert_eq!(split("rss"), None);
    }
}
