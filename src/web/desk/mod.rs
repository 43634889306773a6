//! The editor's desk (`/desk`, editors and admins): write, edit, publish and unpublish
//! articles, and correct the section and tags of any article (stored as set by a person),
//! all through `src/newsroom/`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::views::html;
use super::csrf::CsrfForm;
use super::session::{Ctx, account_error_page, error_page, internal, redirect};
use crate::accounts::User;
use crate::app::AppState;
use crate::model::Section;
use crate::newsroom::{DeskArticle, Publish};

mod delete;
mod pin;
mod views;

pub use delete::{delete, delete_form};
pub use pin::pin;

pub use views::parse_tags;
use views::{DeskPage, Standing, edit_page, paths, row};

pub use crate::newsroom::DESK_SOURCE;

/// The article form.
#[derive(Deserialize, Default)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    subtitle: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    tags: String,
    /// `publish` or `draft`.
    #[serde(default)]
    action: String,
}

#[derive(Deserialize)]
pub struct LabelsForm {
    #[serde(default)]
    section: String,
    #[serde(default)]
    tags: String,
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    action: String,
}

/// The signed-in editor, or the answer for anyone else.
pub(super) async fn editor(state: &AppState, ctx: &Ctx) -> Result<User, Response> {
    let user = ctx.require_user()?.clone();
    if !user.is_editor() {
        return Err(error_page(StatusCode::FORBIDDEN, None));
    }
    state
        .accounts
        .ensure_may_act(&user)
        .await
        .map_err(account_error_page)?;
    Ok(user)
}

/// `GET /desk`.
pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let items = match state.store.desk_articles(DESK_SOURCE, 100, 0).await {
        Ok(v) => v,
        Err(e) => return internal(e),
    };
    let recent = match state.store.latest(30, 0).await {
        Ok(v) => v,
        Err(e) => return internal(e),
    };
    let recent = recent
        .into_iter()
        .map(|a| {
            row(
                &ctx.t,
                crate::store::DeskItem {
                    source: a.source,
                    id: a.id,
                    title: a.title,
                    section: a.section,
                    status: "published".into(),
                    updated: a.imported,
                },
            )
        })
        .collect();
    ctx.respond(html(
        StatusCode::OK,
        &DeskPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.get("desk-title").into_owned(),
            csrf: ctx.csrf.clone(),
            items: items.into_iter().map(|i| row(&ctx.t, i)).collect(),
            recent,
        },
    ))
}

/// `GET /desk/new`.
pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    match editor(&state, &ctx).await {
        Ok(_) => edit_page(
            &ctx,
            None,
            &ArticleForm::default(),
            Standing::default(),
            StatusCode::OK,
            None,
            None,
        ),
        Err(r) => r,
    }
}

/// `GET /desk/edit/{source}/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let (article, status) = match (
        state.store.article(&source, &id).await,
        state.store.article_status(&source, &id).await,
    ) {
        (Ok(Some(a)), Ok(Some(s))) => (a, s),
        (Ok(None), _) | (_, Ok(None)) => return error_page(StatusCode::NOT_FOUND, None),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let form = ArticleForm {
        title: article.title.clone(),
        subtitle: article.subtitle.clone().unwrap_or_default(),
        body: article.body.join("\n"),
        section: article
            .section
            .map(|s| s.slug().to_string())
            .unwrap_or_default(),
        tags: article
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join("، "),
        action: String::new(),
    };
    edit_page(
        &ctx,
        Some((&source, &id)),
        &form,
        standing(&state, &source, &id, status == "published").await,
        StatusCode::OK,
        None,
        None,
    )
}

/// Where a stored article stands: published or not, and its pin (a failed look-up of the
/// pin shows it as not pinned; the page still works).
async fn standing(state: &AppState, source: &str, id: &str, published: bool) -> Standing {
    let pinned_until = match state.newsroom.pinned_until(source, id).await {
        Ok(until) => until.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the article's pin");
            None
        }
    };
    Standing {
        published,
        pinned_until,
    }
}

/// Stores the desk article `id` from `form` through the newsroom: text, the editor's labels
/// and the status in one write.
async fn save(
    state: &AppState,
    id: &str,
    form: &ArticleForm,
) -> Result<Result<(), String>, anyhow::Error> {
    let draft = DeskArticle {
        title: form.title.clone(),
        subtitle: form.subtitle.clone(),
        body: form.body.clone(),
        section: Section::parse(&form.section),
        tags: parse_tags(&form.tags),
        publish: if form.action == "draft" {
            Publish::Draft
        } else {
            Publish::Published
        },
    };
    state.newsroom.save_desk(id, &draft).await
}

/// `POST /desk/articles`: a new desk article.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let id = format!("d-{}", &crate::accounts::tokens::random_token()[..12]);
    match save(&state, &id, &form).await {
        Ok(Ok(())) => redirect(&paths(DESK_SOURCE, &id).0),
        Ok(Err(reason)) => edit_page(
            &ctx,
            None,
            &form,
            Standing::default(),
            StatusCode::BAD_REQUEST,
            None,
            Some(reason),
        ),
        Err(e) => internal(e),
    }
}

/// `POST /desk/edit/{source}/{id}`: saves a desk article.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    if source != DESK_SOURCE {
        return error_page(
            StatusCode::BAD_REQUEST,
            Some(&ctx.t.get("desk-imported-text")),
        );
    }
    match state.store.article_status(&source, &id).await {
        Ok(Some(_)) => {}
        Ok(None) => return error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    }
    match save(&state, &id, &form).await {
        Ok(Ok(())) => edit_page(
            &ctx,
            Some((&source, &id)),
            &form,
            standing(&state, &source, &id, form.action != "draft").await,
            StatusCode::OK,
            Some(ctx.t.get("desk-saved").into_owned()),
            None,
        ),
        Ok(Err(reason)) => edit_page(
            &ctx,
            Some((&source, &id)),
            &form,
            standing(&state, &source, &id, false).await,
            StatusCode::BAD_REQUEST,
            None,
            Some(reason),
        ),
        Err(e) => internal(e),
    }
}

/// `POST /desk/labels/{source}/{id}`: corrects section and tags of any article.
pub async fn labels(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<LabelsForm>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let section = Section::parse(&form.section);
    match state
        .newsroom
        .set_labels(&source, &id, section, &parse_tags(&form.tags))
        .await
    {
        Ok(true) => {}
        Ok(false) => return error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    }
    redirect(&paths(&source, &id).0)
}

/// `POST /desk/status/{source}/{id}`: `publish` or `unpublish`.
pub async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Response {
    if let Err(r) = editor(&state, &ctx).await {
        return r;
    }
    let status = match form.action.as_str() {
        "publish" => Publish::Published,
        "unpublish" => Publish::Draft,
        _ => {
            return error_page(StatusCode::BAD_REQUEST, Some(&ctx.t.get("desk-bad-action")));
        }
    };
    match state.newsroom.set_status(&source, &id, status).await {
        Ok(true) => redirect("/desk"),
        Ok(false) => error_page(StatusCode::NOT_FOUND, None),
        Err(e) => internal(e),
    }
}
