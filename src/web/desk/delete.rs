//! The desk's delete: an editor confirms on a page (no script needed), then the article is
//! removed as `sahifa remove` removes it; members' saved copies stay.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::editor;
use crate::app::AppState;
use crate::locale::Tr;
use crate::web::auth::views::html;
use crate::web::chrome::{Chrome, Page};
use crate::web::csrf::CsrfForm;
use crate::web::pages::{article_href, encode};
use crate::web::session::{Ctx, error_page, internal, redirect};

#[derive(Template)]
#[template(path = "desk/delete.html")]
struct DeletePage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    article_title: String,
    source: String,
    view: String,
    action: String,
}

/// `GET /desk/delete/{source}/{id}`: asks the editor to confirm.
pub async fn delete_form(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let article = match state.store.article(&source, &id).await {
        Ok(Some(a)) => a,
        Ok(None) => return error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    };
    ctx.respond(html(
        StatusCode::OK,
        &DeletePage {
            title: t.arg("page-title", "page", &article.title).into_owned(),
            t,
            chrome,
            csrf: ctx.csrf.clone(),
            article_title: article.title,
            view: article_href(&source, &id),
            action: format!("/desk/delete/{}/{}", encode(&source), encode(&id)),
            source,
        },
    ))
}

/// `POST /desk/delete/{source}/{id}`: removes the article (its URL then answers 410).
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<serde_json::Value>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let ids = [id];
    match crate::reader::remove::remove(&state.newsroom, &source, &ids).await {
        Ok(r) if r.removed > 0 => redirect("/desk"),
        Ok(_) => error_page(StatusCode::NOT_FOUND, None),
        Err(e) => internal(e),
    }
}
