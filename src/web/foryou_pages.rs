//! The For-you pages: `/for-you`, `/account/follows`, `/sources/{name}`, and the forms
//! behind the follow and "more / less like this" buttons (they work without script; with
//! `static/foryou.js` they answer JSON and the page stays where it is).

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::chrome::Chrome;
use super::csrf::CsrfForm;
use super::foryou_views::{FeedCard, FollowButton, FollowCtx, safe_back};
use super::pages::{ArticleView, PageQuery, encode};
use super::session::{Ctx, error_page, internal, redirect};
use crate::app::AppState;
use crate::locale::Tr;
use crate::reader::{Axis, Event, Follow, FollowKind, ReaderError, SignalKind};

#[derive(Template)]
#[template(path = "for_you.html")]
struct ForYouPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    back: String,
    cards: Vec<FeedCard>,
    next: Option<String>,
    cold: bool,
}

#[derive(Template)]
#[template(path = "account/follows.html")]
struct FollowsPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    follows: Vec<Follow>,
    hidden: Vec<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "source.html")]
struct SourcePage {
    t: Tr,
    chrome: Chrome,
    title: String,
    heading: String,
    fb: FollowButton,
    saver: super::saved::views::Saver,
    articles: Vec<ArticleView>,
    prev: Option<String>,
    next: Option<String>,
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => axum::response::Html(body).into_response(),
        Err(e) => internal(e),
    }
}

/// Whether the form was sent by `foryou.js` (which wants JSON, not a redirect).
fn by_script(headers: &HeaderMap) -> bool {
    headers.get("x-sahifa-fetch").is_some()
}

#[derive(Deserialize)]
pub struct FeedQuery {
    cursor: Option<String>,
}

/// `/for-you`: the member's feed, 20 items a page.
pub async fn for_you(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FeedQuery>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let page = match state
        .reader
        .feed(user.pk, 20, q.cursor.as_deref(), ctx.t)
        .await
    {
        Ok(p) => p,
        Err(ReaderError::Invalid(m)) => return error_page(StatusCode::BAD_REQUEST, Some(&m)),
        Err(e) => return internal(anyhow::anyhow!("{e}")),
    };
    let cold = page
        .items
        .iter()
        .all(|i| matches!(i.reason_kind.as_str(), "fresh" | "popular" | "pinned"));
    let back = match &q.cursor {
        Some(c) => format!("/for-you?cursor={}", encode(c)),
        None => "/for-you".to_string(),
    };
    ctx.respond(render(&ForYouPage {
        t: ctx.t,
        chrome: ctx.chrome.clone(),
        title: ctx.t.get("foryou-title").into_owned(),
        csrf: ctx.csrf.clone(),
        back,
        cards: page.items.into_iter().map(FeedCard::from).collect(),
        next: page.next.map(|n| format!("/for-you?cursor={}", encode(&n))),
        cold,
    }))
}

#[derive(Deserialize)]
pub struct FollowForm {
    kind: String,
    value: String,
    #[serde(default)]
    op: String,
    back: Option<String>,
}

/// `POST /follows`: follow or unfollow from any page.
pub async fn follow_form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<FollowForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let Some(kind) = FollowKind::parse(&f.kind) else {
        return error_page(StatusCode::BAD_REQUEST, None);
    };
    let following = f.op != "unfollow";
    let result = if following {
        state
            .reader
            .follow(user.pk, kind, &f.value)
            .await
            .map(|_| ())
    } else {
        state
            .reader
            .unfollow(user.pk, kind, &f.value)
            .await
            .map(|_| ())
    };
    match result {
        Ok(()) => {}
        Err(ReaderError::NotFound(_)) => return error_page(StatusCode::NOT_FOUND, None),
        Err(ReaderError::Invalid(m)) => return error_page(StatusCode::BAD_REQUEST, Some(&m)),
        Err(e) => return internal(anyhow::anyhow!("{e}")),
    }
    if by_script(&headers) {
        return Json(serde_json::json!({"following": following})).into_response();
    }
    redirect(&safe_back(f.back.as_deref(), "/account/follows"))
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    source: String,
    id: String,
    /// `more`, `less:tag`, `less:section`, `less:source`, `hide`.
    choice: String,
    back: Option<String>,
}

/// `POST /for-you/feedback`: "more / less like this" and "hide this source" on a card.
pub async fn feedback(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<FeedbackForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let (kind, axis) = match f.choice.split_once(':') {
        Some((k, a)) => (SignalKind::parse(k), Axis::parse(a)),
        None => (SignalKind::parse(&f.choice), None),
    };
    let Some(kind @ (SignalKind::More | SignalKind::Less | SignalKind::Hide)) = kind else {
        return error_page(StatusCode::BAD_REQUEST, None);
    };
    let e = Event {
        kind,
        source: f.source,
        id: f.id,
        axis,
        value: None,
    };
    match state.reader.record(user.pk, &e).await {
        Ok(()) => {}
        Err(ReaderError::NotFound(_)) => return error_page(StatusCode::NOT_FOUND, None),
        Err(ReaderError::Invalid(m)) => return error_page(StatusCode::BAD_REQUEST, Some(&m)),
        Err(e) => return internal(anyhow::anyhow!("{e}")),
    }
    if by_script(&headers) {
        return Json(serde_json::json!({"recorded": kind.as_str()})).into_response();
    }
    redirect(&safe_back(f.back.as_deref(), "/for-you"))
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    done: Option<String>,
}

/// `/account/follows`: what the member follows, the sources they hid, their history.
pub async fn follows_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let follows = match state.reader.follows(user.pk).await {
        Ok(f) => f,
        Err(e) => return internal(anyhow::anyhow!("{e}")),
    };
    let hidden = match state.reader.hidden_sources(user.pk).await {
        Ok(h) => h,
        Err(e) => return internal(e),
    };
    let notice = match q.done.as_deref() {
        Some("cleared") => Some(ctx.t.get("follows-cleared").into_owned()),
        Some("unhidden") => Some(ctx.t.get("follows-unhidden").into_owned()),
        _ => None,
    };
    ctx.respond(render(&FollowsPage {
        t: ctx.t,
        chrome: ctx.chrome.clone(),
        title: ctx.t.get("follows-title").into_owned(),
        csrf: ctx.csrf.clone(),
        follows,
        hidden,
        notice,
    }))
}

#[derive(Deserialize)]
pub struct SourceForm {
    source: String,
}

/// `POST /account/follows/unhide`: shows a hidden source again.
pub async fn unhide(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SourceForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state.reader.unhide(user.pk, &f.source).await {
        Ok(_) => redirect("/account/follows?done=unhidden"),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /account/history/clear`: deletes the member's signals.
pub async fn clear_history(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state.reader.clear_history(user.pk).await {
        Ok(_) => redirect("/account/follows?done=cleared"),
        Err(e) => internal(e),
    }
}

const PER_PAGE: i64 = 20;

/// `/sources/{name}`: a source's articles, newest first, with its follow button.
pub async fn source(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let items = match state
        .store
        .source_page(&name, PER_PAGE, (page - 1) * PER_PAGE)
        .await
    {
        Ok(i) => i,
        Err(e) => return internal(e),
    };
    if items.is_empty() && page == 1 && !state.store.source_exists(&name).await.unwrap_or(false) {
        return error_page(StatusCode::NOT_FOUND, None);
    }
    let base = format!("/sources/{}", encode(&name));
    let prev = (page > 1).then(|| format!("{base}?page={}", page - 1));
    let next = (items.len() as i64 == PER_PAGE).then(|| format!("{base}?page={}", page + 1));
    let fc = FollowCtx::load(&state, &ctx).await;
    let articles: Vec<ArticleView> = items
        .into_iter()
        .map(|a| ArticleView::new(a, ctx.t))
        .collect();
    let saver = match super::saved::saver(&state, &ctx, &base, articles.iter()).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    ctx.respond(render(&SourcePage {
        saver,
        t: ctx.t,
        chrome: ctx.chrome.clone(),
        title: ctx.t.arg("page-title", "page", &name).into_owned(),
        fb: fc.button(FollowKind::Source, &name, &name, &base),
        heading: name,
        articles,
        prev,
        next,
    }))
}

/// `/static/foryou.js`: follow and feedback buttons without leaving the page, and the
/// "read through" signal.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/foryou.js"),
    )
        .into_response()
}
