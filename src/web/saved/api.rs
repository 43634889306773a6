//! The saved-articles JSON API: `PUT|GET|DELETE /api/v1/saved/{source}/{id}`,
//! `GET /api/v1/saved`, `GET /api/v1/saved/export`, `POST /api/v1/saved/import`.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::accounts::User;
use crate::app::AppState;
use crate::model::Section;
use crate::reader::saved::import::ImportReport;
use crate::reader::saved::{self, SavedQuery, export::Format};
use crate::search::snippet;
use crate::store::{SavedRow, SavedWrite};
use crate::web::api::ArticleJson;
use crate::web::error::{ApiError, json_body};
use crate::web::session::ApiUser;

/// One saved copy in the list.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedListItem {
    pub id: String,
    pub source: String,
    pub title: String,
    /// RFC 3339.
    pub saved_at: String,
    pub note: Option<String>,
    /// A passage of the copy, the best match of `q` when there is one.
    pub snippet: String,
    pub section: Option<String>,
    /// The live article changed since the copy was taken.
    pub updated_since_saved: bool,
    /// The live article is gone; the copy stays.
    pub removed: bool,
}

/// `GET /api/v1/saved`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedListJson {
    pub total: usize,
    pub items: Vec<SavedListItem>,
}

/// A saved copy: the article JSON shape plus `saved_at`, `note` and its state.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedArticleJson {
    #[serde(flatten)]
    pub article: ArticleJson,
    pub saved_at: String,
    pub note: Option<String>,
    pub updated_since_saved: bool,
    pub removed: bool,
}

impl From<SavedRow> for SavedArticleJson {
    fn from(row: SavedRow) -> Self {
        let (updated, removed) = (row.updated_since_saved(), row.removed());
        let it = row.item;
        SavedArticleJson {
            saved_at: it
                .saved_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            note: it.note,
            updated_since_saved: updated,
            removed,
            article: ArticleJson {
                id: it.id,
                source: it.source,
                title: it.title,
                subtitle: it.subtitle,
                body: it.body,
                section: it.section,
                tags: it.tags.into_iter().map(|t| t.name).collect(),
                url: it.url,
                story: None,
                published: it
                    .published
                    .map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            },
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub tag: String,
}

/// `GET /api/v1/saved?q=&limit=&offset=&section=&tag=`.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<ListParams>,
) -> Result<Json<SavedListJson>, ApiError> {
    let section = if p.section.is_empty() {
        None
    } else {
        Some(
            Section::parse(&p.section)
                .ok_or_else(|| ApiError::BadRequest(format!("unknown section {:?}", p.section)))?
                .slug()
                .to_string(),
        )
    };
    let q = SavedQuery {
        q: p.q,
        section,
        tag: Some(p.tag),
        limit: p.limit.unwrap_or(20).clamp(1, saved::MAX_LIMIT),
        offset: p.offset.unwrap_or(0).min(1_000_000),
    };
    let page = saved::list(&state.store, user.pk, &q).await?;
    Ok(Json(SavedListJson {
        total: page.total,
        items: page
            .hits
            .into_iter()
            .map(|h| {
                let (updated, removed) = (h.row.updated_since_saved(), h.row.removed());
                let it = h.row.item;
                SavedListItem {
                    id: it.id,
                    source: it.source,
                    title: it.title,
                    saved_at: it
                        .saved_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    note: it.note,
                    snippet: snippet::plain(&h.snippet),
                    section: it.section,
                    updated_since_saved: updated,
                    removed,
                }
            })
            .collect(),
    }))
}

/// `GET /api/v1/saved/{source}/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((source, id)): Path<(String, String)>,
) -> Result<Json<SavedArticleJson>, ApiError> {
    let row = state
        .store
        .saved_item(user.pk, &source, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(row.into()))
}

/// The note of a PUT body: absent = keep, `""` or null = clear, text = set. A body must be
/// `application/json`, which [`crate::web::api_layer`] checked.
fn note_of(body: &Bytes) -> Result<Option<Option<String>>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let v: Value = json_body(body, r#"{"note"?}"#)?;
    match v.get("note") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(saved::clean_note(s))),
        Some(_) => Err(ApiError::InvalidBody("note must be a string".into())),
    }
}

/// Records a "save" for the For-you feed (best effort: a save never fails for it).
pub async fn record_save_signal(state: &AppState, user: &User, source: &str, id: &str) {
    if let Err(e) = state.reader.record_save(user.pk, source, id).await {
        tracing::warn!(error = %e, "could not record a save signal");
    }
}

/// `PUT /api/v1/saved/{source}/{id}` `{"note"?}` → 201 (200 when already saved).
pub async fn put(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((source, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if let Err(e) = super::super::api::check_identifiers(&[("source", &source), ("id", &id)]) {
        return e.into_response();
    }
    let note = match note_of(&body) {
        Ok(n) => n,
        Err(e) => return e.into_response(),
    };
    let run = async {
        let store = &state.store;
        let w = saved::save(store, user.pk, &source, &id, note.clone().flatten()).await?;
        if w.is_some() && note == Some(None) {
            store.set_saved_note(user.pk, &source, &id, None).await?;
        }
        let row = store.saved_item(user.pk, &source, &id).await?;
        anyhow::Ok((w, row))
    };
    match run.await {
        Ok((Some(w), Some(row))) => {
            if w == SavedWrite::Inserted {
                record_save_signal(&state, &user, &source, &id).await;
            }
            let status = if w == SavedWrite::Inserted {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(SavedArticleJson::from(row))).into_response()
        }
        Ok(_) => match state.store.is_removed(&source, &id).await {
            Ok(true) => ApiError::Gone.into_response(),
            Ok(false) => ApiError::NotFound.into_response(),
            Err(e) => ApiError::Internal(e).into_response(),
        },
        Err(e) => ApiError::Internal(e).into_response(),
    }
}

/// `DELETE /api/v1/saved/{source}/{id}` → 204 (also when nothing was saved).
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((source, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.store.unsave(user.pk, &source, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/saved/{source}/{id}/refresh`: the copy becomes the live article as it is.
pub async fn refresh(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((source, id)): Path<(String, String)>,
) -> Result<Json<SavedArticleJson>, ApiError> {
    if !saved::refresh(&state.store, user.pk, &source, &id).await? {
        return Err(ApiError::NotFound);
    }
    let row = state
        .store
        .saved_item(user.pk, &source, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(row.into()))
}

#[derive(Debug, Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    pub format: String,
}

/// `GET /api/v1/saved/export?format=jsonl|md|html`.
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<ExportParams>,
) -> Response {
    match Format::parse(&p.format) {
        Some(f) => super::export_response(&state, user.pk, f),
        None => ApiError::BadRequest("format must be jsonl, md or html".into()).into_response(),
    }
}

/// `POST /api/v1/saved/import`: a JSON Lines export (as `application/x-ndjson`,
/// `application/jsonl` or `application/json`), read as it streams in.
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Body,
) -> Result<Json<ImportReport>, Response> {
    // The JSON Lines types (or application/json) were checked by `api_layer`.
    saved::import::import(&state.store, user.pk, body.into_data_stream())
        .await
        .map(Json)
        .map_err(|e| ApiError::Internal(e).into_response())
}
