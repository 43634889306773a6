//! The saved pages: `/saved` (the list, its search and filters), `/saved/{source}/{id}` (the
//! copy, its note, refresh and unsave), the save/unsave form every article card and page
//! posts to, and the export download. Forms work without JavaScript; `static/saved.js`
//! submits the card buttons in place.

pub mod api;
pub mod views;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::views::html;
use super::chrome::Page;
use super::csrf::CsrfForm;
use super::error::PageError;
use super::pages::ArticleView;
use super::session::{Ctx, error_page, internal, redirect};
use crate::app::AppState;
use crate::model::Section;
use crate::reader::saved::{self, SavedQuery, export::Format};
use views::{ItemPage, ItemView, ListPage, Saver, saved_href};

/// Copies per page of `/saved`.
const PER_PAGE: usize = 20;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub tag: String,
    pub page: Option<usize>,
}

fn list_href(q: &ListQuery, page: usize) -> String {
    let mut pairs = vec![];
    for (k, v) in [("q", &q.q), ("section", &q.section), ("tag", &q.tag)] {
        if !v.is_empty() {
            pairs.push((k, v.as_str()));
        }
    }
    let p = page.to_string();
    if page > 1 {
        pairs.push(("page", &p));
    }
    match serde_urlencoded::to_string(&pairs) {
        Ok(s) if !s.is_empty() => format!("/saved?{s}"),
        _ => "/saved".into(),
    }
}

/// `GET /saved`.
pub async fn list_page(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let query = SavedQuery {
        q: q.q.clone(),
        section: Section::parse(&q.section).map(|s| s.slug().to_string()),
        tag: Some(q.tag.clone()),
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let found = match saved::list(&state.store, user.pk, &query).await {
        Ok(f) => f,
        Err(e) => return internal(e),
    };
    let shown = query.offset + found.hits.len();
    let prev = (page > 1).then(|| list_href(&q, page - 1));
    let next = (shown < found.total).then(|| list_href(&q, page + 1));
    let count = if q.q.trim().is_empty() {
        t.n("saved-count", found.total as i64)
    } else {
        t.n("saved-results", found.total as i64)
    }
    .into_owned();
    ctx.respond(html(
        StatusCode::OK,
        &ListPage {
            title: t
                .arg("page-title", "page", &t.get("saved-menu"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            next_here: list_href(&q, page),
            q: q.q.clone(),
            section: query.section.clone().unwrap_or_default(),
            sections: Section::ALL
                .iter()
                .map(|s| (s.slug(), ctx.t.section(*s).into_owned()))
                .collect(),
            tag: q.tag.clone(),
            count,
            items: found
                .hits
                .into_iter()
                .map(|h| ItemView::hit(h, t))
                .collect(),
            t,
            chrome,
            prev,
            next,
        },
    ))
}

/// `GET /saved/{source}/{id}`: the member's copy (404 for anyone else).
pub async fn item_page(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let row = match state.store.saved_item(user.pk, &source, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    };
    let it = ItemView::new(row, Vec::new(), t);
    ctx.respond(html(
        StatusCode::OK,
        &ItemPage {
            title: t.arg("page-title", "page", &it.title).into_owned(),
            t,
            chrome,
            csrf: ctx.csrf.clone(),
            it,
            notice: None,
        },
    ))
}

/// The save form: `action` is `save` (with an optional note), `unsave`, `note` or
/// `refresh`; `next` is where to go back to.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next: String,
}

/// A local path to come back to, or `fallback`.
fn local_next(next: &str, fallback: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if ok && !next.chars().any(char::is_control) {
        next.to_string()
    } else {
        fallback.to_string()
    }
}

/// `POST /saved/{source}/{id}`. A request that accepts JSON (the card script) gets
/// `{"saved": bool}` instead of a redirect.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<SaveForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let copy = saved_href(&source, &id);
    let store = &state.store;
    let result = match f.action.as_str() {
        "save" => saved::save(store, user.pk, &source, &id, saved::clean_note(&f.note))
            .await
            .map(|w| w.map(|_| true)),
        "unsave" => store
            .unsave(user.pk, &source, &id)
            .await
            .map(|_| Some(false)),
        "note" => store
            .set_saved_note(user.pk, &source, &id, saved::clean_note(&f.note).as_deref())
            .await
            .map(|had| had.then_some(true)),
        "refresh" => saved::refresh(store, user.pk, &source, &id)
            .await
            .map(|_| Some(true)),
        _ => {
            return error_page(
                StatusCode::BAD_REQUEST,
                Some(&crate::locale::Tr::new(crate::locale::current()).get("saved-bad-action")),
            );
        }
    };
    let saved_now = match result {
        Ok(Some(s)) => s,
        Ok(None) => return error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    };
    if f.action == "save" {
        super::saved::api::record_save_signal(&state, &user, &source, &id).await;
    }
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        return axum::Json(serde_json::json!({"saved": saved_now, "copy": copy})).into_response();
    }
    let back = match f.action.as_str() {
        "note" | "refresh" => copy,
        _ if saved_now && f.next.is_empty() => copy,
        _ => local_next(&f.next, "/saved"),
    };
    redirect(&back)
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub format: String,
}

/// The streamed download of member `user_pk`'s copies in `format`.
pub fn export_response(state: &AppState, user_pk: i64, format: Format) -> Response {
    let stream = saved::export::stream(state.store.clone(), user_pk, format);
    let name = format!(
        "attachment; filename=\"sahifa-saved-{}.{}\"",
        chrono::Utc::now().format("%Y%m%d"),
        format.extension()
    );
    let mut resp = Body::from_stream(stream).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `GET /saved/export?format=jsonl|md|html` for the signed-in member.
pub async fn export_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ExportQuery>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match Format::parse(&q.format) {
        Some(f) => export_response(&state, user.pk, f),
        None => error_page(
            StatusCode::BAD_REQUEST,
            Some(&crate::locale::Tr::new(crate::locale::current()).get("saved-bad-format")),
        ),
    }
}

/// The card script, compiled into the binary.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/saved.js"),
    )
        .into_response()
}

/// The 410 page of a removed article; links the member's copy when there is one.
pub async fn gone_page(
    state: &AppState,
    Page { t, chrome }: Page,
    ctx: &Ctx,
    source: &str,
    id: &str,
) -> Response {
    let copy = match &ctx.user {
        Some(u) => match state.store.saved_item(u.pk, source, id).await {
            Ok(Some(_)) => Some(saved_href(source, id)),
            _ => None,
        },
        None => None,
    };
    html(
        StatusCode::GONE,
        &views::GonePage {
            title: t
                .arg("page-title", "page", &t.get("error-410-heading"))
                .into_owned(),
            t,
            chrome,
            copy,
        },
    )
}

/// The save buttons of a page for `ctx`, coming back to `next`, knowing which of `views`
/// the member has saved (the views themselves are shared by every reader's page).
pub async fn saver<'a>(
    state: &AppState,
    ctx: &Ctx,
    next: &str,
    views: impl Iterator<Item = &'a ArticleView>,
) -> Result<Saver, PageError> {
    let Some(user) = &ctx.user else {
        return Ok(Saver::default());
    };
    let views: Vec<&ArticleView> = views.collect();
    let keys: Vec<(&str, &str)> = views
        .iter()
        .map(|v| (v.source.as_str(), v.id.as_str()))
        .collect();
    let saved = state.store.saved_keys(user.pk, &keys).await?;
    Ok(Saver {
        signed_in: true,
        csrf: ctx.csrf.clone(),
        next: next.to_string(),
        saved: saved.into_iter().map(|(s, i)| saved_href(&s, &i)).collect(),
    })
}
