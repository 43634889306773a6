//! Server-rendered pages (askama templates in `templates/`): home, section, article, tag,
//! health and the error pages.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::chrome::{Chrome, Page};
use super::error::PageError;
use super::foryou_views::{FeedCard, FollowButton, FollowCtx, respond_for};
use super::front;
use super::saved::views::Saver;
use super::session::Ctx;
use crate::app::AppState;
use crate::locale::Tr;
use crate::model::{Article, Section};
use crate::reader::FollowKind;

/// An article prepared for templates.
pub struct ArticleView {
    pub href: String,
    pub source: String,
    pub id: String,
    /// Where the save form posts.
    pub save_action: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub body: Vec<String>,
    pub section: Option<Section>,
    pub section_confidence: Option<f32>,
    pub tags: Vec<(String, String)>,
    pub url: Option<String>,
    pub date_iso: String,
    pub date: String,
    pub date_hijri: String,
    pub lead: String,
    /// `ar` when the title is in Arabic script, for `lang` on pages in another locale.
    pub lang: Option<&'static str>,
}

/// `Some("ar")` when `text` is written in Arabic script.
pub fn text_lang(text: &str) -> Option<&'static str> {
    text.chars()
        .find(|c| c.is_alphabetic())
        .filter(|c| matches!(*c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF))
        .map(|_| "ar")
}

impl ArticleView {
    /// The article as `t`'s locale shows it.
    pub fn new(a: Article, tr: Tr) -> Self {
        let t = a.sort_time();
        let lead: String = a
            .body
            .first()
            .map(|p| p.chars().take(180).collect())
            .unwrap_or_default();
        ArticleView {
            href: article_href(&a.source, &a.id),
            save_action: super::saved::views::saved_href(&a.source, &a.id),
            id: a.id.clone(),
            date_iso: t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            date: tr.date(t),
            date_hijri: tr.hijri(t),
            lang: text_lang(&a.title),
            tags: a
                .tags
                .into_iter()
                .map(|t| (format!("/tags/{}", encode(&t.slug)), t.name))
                .collect(),
            source: a.source,
            title: a.title,
            subtitle: a.subtitle,
            body: a.body,
            section: a.section,
            section_confidence: a.section_confidence,
            url: crate::ingest::url::safe_href(a.url.as_deref()),
            lead,
        }
    }
}

/// Percent-encodes one path segment.
pub fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The page address of an article.
pub fn article_href(source: &str, id: &str) -> String {
    format!("/articles/{}/{}", encode(source), encode(id))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    t: Tr,
    chrome: Chrome,
    title: String,
    saver: Saver,
    groups: &'a [(Section, Vec<ArticleView>)],
    latest: &'a [ArticleView],
    /// The signed-in member's first For-you items.
    for_you: Vec<FeedCard>,
    csrf: String,
    back: String,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage<'a> {
    t: Tr,
    chrome: Chrome,
    title: String,
    saver: Saver,
    heading: String,
    articles: &'a [ArticleView],
    prev: Option<String>,
    next: Option<String>,
    fb: Option<FollowButton>,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    t: Tr,
    chrome: Chrome,
    title: String,
    saver: Saver,
    a: ArticleView,
    follow_section: Option<FollowButton>,
    follow_source: FollowButton,
    /// (href, name, button) of each tag.
    follow_tags: Vec<(String, String, FollowButton)>,
    /// (source, id) for the read-through signal of a signed-in member.
    reading: Option<(String, String)>,
    source_href: String,
    /// Full coverage, when other sources carry the story.
    story: Option<super::stories::StoryLink>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    code: u16,
    heading: String,
    message: String,
}

fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render()
        .map(Html)
        .map_err(|e| PageError::Internal(e.into()))
}

/// `/`: the latest articles, then the latest of each section (kept per node and locale,
/// see [`super::front`]).
pub async fn home(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let for_you = match &ctx.user {
        Some(u) => state
            .reader
            .feed(u.pk, 6, None, t)
            .await
            .map_err(|e| PageError::Internal(anyhow::anyhow!("{e}")))?
            .items
            .into_iter()
            .map(FeedCard::from)
            .collect(),
        None => Vec::new(),
    };
    let store = &state.store;
    let home = state
        .front
        .home
        .get(front::generation(&state), t.locale(), || async {
            let latest = store.latest(6, 0).await?;
            let mut groups = Vec::new();
            for s in Section::ALL {
                let items = store.latest_in_section(s, 4, 0).await?;
                if !items.is_empty() {
                    groups.push((s, front::cards(items, t)));
                }
            }
            Ok(Some(front::Home {
                latest: front::cards(latest, t),
                groups,
            }))
        })
        .await?
        .ok_or(PageError::NotFound)?;
    let all = home
        .latest
        .iter()
        .chain(home.groups.iter().flat_map(|g| g.1.iter()));
    let saver = super::saved::saver(&state, &ctx, "/", all).await?;
    let page = render(&HomePage {
        title: t.get("home-title").into_owned(),
        saver,
        groups: &home.groups,
        latest: &home.latest,
        for_you,
        csrf: ctx.csrf.clone(),
        back: "/".into(),
        t,
        chrome,
    })?;
    Ok(respond_for(&ctx, page))
}

/// `base?page=N` (page 1 is `base`).
fn here(base: String, page: i64) -> String {
    if page > 1 {
        format!("{base}?page={page}")
    } else {
        base
    }
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
}

const PER_PAGE: i64 = 20;

fn pager(base: &str, page: i64, got: usize) -> (Option<String>, Option<String>) {
    let prev = (page > 1).then(|| format!("{base}?page={}", page - 1));
    let next = (got as i64 == PER_PAGE).then(|| format!("{base}?page={}", page + 1));
    (prev, next)
}

/// `/sections/{slug}`.
pub async fn section(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let s = Section::parse(&slug).ok_or(PageError::NotFound)?;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let store = &state.store;
    let load = || async move {
        let items = store
            .latest_in_section(s, PER_PAGE, (page - 1) * PER_PAGE)
            .await?;
        Ok(Some(front::cards(items, t)))
    };
    let items = if page <= front::CACHED_PAGES {
        let key = (t.locale(), s, page);
        let generation = front::generation(&state);
        state.front.sections.get(generation, key, load).await?
    } else {
        load().await?.map(std::sync::Arc::new)
    }
    .ok_or(PageError::NotFound)?;
    let (prev, next) = pager(&format!("/sections/{}", s.slug()), page, items.len());
    let name = t.section(s);
    let fc = FollowCtx::load(&state, &ctx).await;
    let base = format!("/sections/{}", s.slug());
    let back = here(format!("/sections/{}", s.slug()), page);
    let saver = super::saved::saver(&state, &ctx, &back, items.iter()).await?;
    let page = render(&ListPage {
        title: t.arg("page-title", "page", &name).into_owned(),
        chrome: chrome.with_feeds(t, &name, &format!("sections/{}", s.slug())),
        fb: Some(fc.button(FollowKind::Section, s.slug(), &name, &base)),
        saver,
        heading: name.into_owned(),
        articles: &items,
        prev,
        next,
        t,
    })?;
    Ok(respond_for(&ctx, page))
}

/// `/tags/{slug}`: the tag's articles, newest first.
pub async fn tag(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let store = &state.store;
    let key = slug.as_str();
    let load = || async move {
        let Some((name, _kind)) = store.tag(key).await? else {
            return Ok(None);
        };
        let items = store
            .latest_with_tag(key, PER_PAGE, (page - 1) * PER_PAGE)
            .await?;
        Ok(Some(front::TagList {
            name,
            articles: front::cards(items, t),
        }))
    };
    let list = if page <= front::CACHED_PAGES {
        let key = (t.locale(), slug.clone(), page);
        let generation = front::generation(&state);
        state.front.tags.get(generation, key, load).await?
    } else {
        load().await?.map(std::sync::Arc::new)
    }
    .ok_or(PageError::NotFound)?;
    let name = list.name.clone();
    let (prev, next) = pager(
        &format!("/tags/{}", encode(&slug)),
        page,
        list.articles.len(),
    );
    let fc = FollowCtx::load(&state, &ctx).await;
    let back = here(format!("/tags/{}", encode(&slug)), page);
    let saver = super::saved::saver(&state, &ctx, &back, list.articles.iter()).await?;
    let page = render(&ListPage {
        title: t.arg("page-title", "page", &name).into_owned(),
        chrome: chrome.with_feeds(t, &name, &format!("tags/{}", encode(&slug))),
        fb: Some(fc.button(
            FollowKind::Tag,
            &slug,
            &name,
            &format!("/tags/{}", encode(&slug)),
        )),
        saver,
        heading: name,
        articles: &list.articles,
        prev,
        next,
        t,
    })?;
    Ok(respond_for(&ctx, page))
}

/// `/articles/{source}/{id}`.
pub async fn article(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let Some(a) = super::visibility::readable_article(&state, &headers, &source, &id).await? else {
        if state.store.is_removed(&source, &id).await? {
            let page = Page { t, chrome };
            return Ok(super::saved::gone_page(&state, page, &ctx, &source, &id).await);
        }
        return Err(PageError::NotFound);
    };
    if let Some(u) = &ctx.user {
        state.reader.record_open(u.pk, &a.source, &a.id).await;
    }
    let back = article_href(&a.source, &a.id);
    let fc = FollowCtx::load(&state, &ctx).await;
    let follow_section = a
        .section
        .map(|s| fc.button(FollowKind::Section, s.slug(), &t.section(s), &back));
    let follow_source = fc.button(FollowKind::Source, &a.source, &a.source, &back);
    let follow_tags = a
        .tags
        .iter()
        .map(|tag| {
            (
                format!("/tags/{}", encode(&tag.slug)),
                tag.name.clone(),
                fc.button(FollowKind::Tag, &tag.slug, &tag.name, &back),
            )
        })
        .collect();
    let reading = ctx.user.as_ref().map(|_| (a.source.clone(), a.id.clone()));
    let source_href = format!("/sources/{}", encode(&a.source));
    let story = super::stories::story_ref(&state, &a.source, &a.id)
        .await?
        .map(|r| super::stories::StoryLink::new(&r, t));
    let a = ArticleView::new(a, t);
    let saver = super::saved::saver(&state, &ctx, &a.href, std::iter::once(&a)).await?;
    let page = render(&ArticlePage {
        title: t.arg("page-title", "page", &a.title).into_owned(),
        saver,
        follow_section,
        follow_source,
        follow_tags,
        reading,
        source_href,
        story,
        a,
        t,
        chrome,
    })?;
    Ok(respond_for(&ctx, page))
}

/// `/healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// The stylesheet, compiled into the binary.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

/// Any unknown address.
pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// Renders the error page for `status` in the request's locale; falls back to plain text
/// if the template fails.
pub fn render_error_page(status: StatusCode, message: Option<&str>) -> String {
    let t = Tr::new(crate::locale::current());
    let code = match status.as_u16() {
        c @ (400 | 401 | 403 | 404 | 405 | 408 | 410 | 413 | 415 | 429 | 503) => c,
        _ => 500,
    };
    let heading = t.get(&format!("error-{code}-heading")).into_owned();
    let page = ErrorPage {
        title: t.arg("page-title", "page", &heading).into_owned(),
        code: status.as_u16(),
        message: message.map_or_else(
            || t.get(&format!("error-{code}-message")).into_owned(),
            String::from,
        ),
        chrome: Chrome::bare(t),
        heading,
        t,
    };
    page.render().unwrap_or_else(|_| page.heading.clone())
}
