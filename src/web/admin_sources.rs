//! `/admin/sources` (admins only): feed sources with their health (last status, last
//! error, next check, articles per week), and forms to add, poll now and remove.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::admin::admin;
use super::auth::views::html;
use super::csrf::CsrfForm;
use super::session::{Ctx, error_page, redirect};
use crate::app::AppState;
use crate::ingest::sources::{self, SourceHealth, SourceSpec};
use crate::locale::Tr;
use crate::web::chrome::Chrome;

#[derive(Template)]
#[template(path = "admin/sources.html")]
struct SourcesPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    sources: Vec<SourceHealth>,
    sections: Vec<(&'static str, String)>,
    error: Option<String>,
}

/// The add form.
#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    every: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    full_content: Option<String>,
}

/// The forms without fields (poll now, remove).
#[derive(Deserialize)]
pub struct EmptyForm {
    #[serde(default)]
    keep_articles: Option<String>,
}

async fn page(state: &AppState, ctx: &Ctx, error: Option<String>) -> Response {
    if let Err(r) = admin(ctx) {
        return r;
    }
    let list = match sources::list(&state.store).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "listing sources");
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, None);
        }
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    ctx.respond(html(
        status,
        &SourcesPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.get("sources-title").into_owned(),
            csrf: ctx.csrf.clone(),
            sources: list,
            sections: crate::model::Section::ALL
                .iter()
                .map(|s| (s.slug(), ctx.t.section(*s).into_owned()))
                .collect(),
            error,
        },
    ))
}

/// `GET /admin/sources`.
pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    page(&state, &ctx, None).await
}

/// `POST /admin/sources`: adds a source.
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Response {
    if let Err(r) = admin(&ctx) {
        return r;
    }
    let every = if form.every.trim().is_empty() {
        Ok(sources::DEFAULT_EVERY)
    } else {
        sources::parse_every(&form.every)
    };
    let spec = every.and_then(|every| {
        SourceSpec::parse(
            &form.name,
            &form.url,
            every,
            Some(form.section.as_str()),
            form.full_content.is_some(),
        )
    });
    let added = match spec {
        Err(e) => Err(e.to_string()),
        Ok(spec) => sources::add(&state.store, &spec)
            .await
            .map_err(|e| format!("{e:#}")),
    };
    match added {
        Ok(()) => redirect("/admin/sources"),
        Err(e) => page(&state, &ctx, Some(e)).await,
    }
}

/// `POST /admin/sources/{name}/poll`: polls one source now (as a job).
pub async fn poll_now(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    CsrfForm(_form): CsrfForm<EmptyForm>,
) -> Response {
    if let Err(r) = admin(&ctx) {
        return r;
    }
    // A job, not a fetch inside this request: the page shows the outcome once it ran.
    match crate::ingest::poll::jobs::enqueue_now(&state, &name).await {
        Ok(true) => redirect("/admin/sources"),
        Ok(false) => error_page(StatusCode::NOT_FOUND, None),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "polling {name}");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }
}

/// `POST /admin/sources/{name}/remove`: removes a source (and its articles unless kept).
pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    CsrfForm(form): CsrfForm<EmptyForm>,
) -> Response {
    if let Err(r) = admin(&ctx) {
        return r;
    }
    match sources::remove(&state, &name, form.keep_articles.is_some()).await {
        Ok(Some(_)) => redirect("/admin/sources"),
        Ok(None) => error_page(StatusCode::NOT_FOUND, None),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "removing {name}");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }
}
