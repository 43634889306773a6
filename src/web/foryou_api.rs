//! The For-you JSON API: `/api/v1/follows`, `/api/v1/events`, `/api/v1/feed`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, json_body};
use super::member::Member;
use crate::app::AppState;
use crate::reader::{Axis, Event, FeedItem, FollowKind, ReaderError, SignalKind};

/// `POST /api/v1/follows` body.
#[derive(Deserialize, ToSchema)]
pub struct NewFollow {
    /// `section`, `tag` or `source`.
    pub kind: String,
    /// A section's id (`middleEast`), a tag's slug, a source's name.
    pub value: String,
}

/// A follow.
#[derive(Serialize, Deserialize, ToSchema, Debug, PartialEq)]
pub struct FollowJson {
    pub kind: String,
    pub value: String,
    /// What readers see (the section's or tag's name).
    pub label: String,
}

/// `GET /api/v1/follows` answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FollowsJson {
    pub follows: Vec<FollowJson>,
}

/// `POST /api/v1/events` body.
#[derive(Deserialize, ToSchema)]
pub struct EventJson {
    /// `open`, `read`, `save`, `more`, `less` or `hide`.
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub id: String,
    /// For `more` and `less`: `tag`, `section` or `source`.
    pub axis: Option<String>,
    /// The tag slug or section id the axis names (default: the article's own).
    pub value: Option<String>,
}

/// One item of the feed.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct FeedItemJson {
    pub id: String,
    pub source: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Section id.
    pub section: Option<String>,
    /// Tag names.
    pub tags: Vec<String>,
    /// RFC 3339.
    pub published: Option<String>,
    /// The article page.
    pub url: String,
    /// Why it is here, in words («لأنك تتابع ليبيا»).
    pub reason: String,
    /// `follow_section`, `follow_tag`, `follow_source`, `profile`, `popular`, `fresh` or
    /// `pinned`.
    pub reason_kind: String,
    pub score: f32,
}

/// `GET /api/v1/feed` answer.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct FeedJson {
    pub items: Vec<FeedItemJson>,
    /// The cursor of the next page (absent at the end).
    pub next: Option<String>,
}

impl From<FeedItem> for FeedItemJson {
    fn from(i: FeedItem) -> Self {
        FeedItemJson {
            id: i.id,
            source: i.source,
            title: i.title,
            subtitle: i.subtitle,
            section: i.section.map(|s| s.slug().to_string()),
            tags: i.tags.into_iter().map(|t| t.1).collect(),
            published: i
                .published
                .map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            url: i.href,
            reason: i.reason,
            reason_kind: i.reason_kind.as_str().to_string(),
            score: i.score,
        }
    }
}

/// A reader error as the API answers it.
pub fn api_error(e: ReaderError) -> ApiError {
    match e {
        ReaderError::NotFound(_) => ApiError::NotFound,
        ReaderError::Invalid(m) => ApiError::BadRequest(m),
        ReaderError::Internal(e) => ApiError::Internal(e),
    }
}

fn kind_of(s: &str) -> Result<FollowKind, ApiError> {
    FollowKind::parse(s).ok_or_else(|| {
        ApiError::BadRequest(format!("kind must be section, tag or source, not {s:?}"))
    })
}

/// Follows a section, tag or source.
#[utoipa::path(post, path = "/api/v1/follows", tag = "for you", request_body = NewFollow,
    security(("bearer" = [])),
    responses((status = 201, description = "Now followed", body = FollowJson),
              (status = 200, description = "Already followed", body = FollowJson),
              (status = 400, description = "Bad body or kind"),
              (status = 401, description = "Not signed in"),
              (status = 404, description = "No such section, tag or source")))]
pub async fn follow(
    State(state): State<AppState>,
    Member(user): Member,
    body: Bytes,
) -> Result<Response, ApiError> {
    let f: NewFollow = json_body(&body, r#"{"kind","value"}"#)?;
    let kind = kind_of(&f.kind)?;
    super::api::check_identifiers(&[("value", &f.value)])?;
    let created = state
        .reader
        .follow(user.pk, kind, &f.value)
        .await
        .map_err(api_error)?;
    let resolved = state
        .reader
        .resolve(kind, &f.value)
        .await
        .map_err(api_error)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(FollowJson {
            kind: kind.as_str().into(),
            value: resolved.value,
            label: resolved.label,
        }),
    )
        .into_response())
}

/// Stops following.
#[utoipa::path(delete, path = "/api/v1/follows/{kind}/{value}", tag = "for you",
    params(("kind" = String, Path, description = "section, tag or source"),
           ("value" = String, Path, description = "Section id, tag slug or source name")),
    security(("bearer" = [])),
    responses((status = 204, description = "Not followed any more"),
              (status = 401, description = "Not signed in"),
              (status = 404, description = "No such section, tag or source")))]
pub async fn unfollow(
    State(state): State<AppState>,
    Member(user): Member,
    Path((kind, value)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let kind = kind_of(&kind)?;
    let gone = state
        .reader
        .unfollow(user.pk, kind, &value)
        .await
        .map_err(api_error)?;
    if !gone {
        state
            .reader
            .resolve(kind, &value)
            .await
            .map_err(api_error)?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// What the member follows.
#[utoipa::path(get, path = "/api/v1/follows", tag = "for you", security(("bearer" = [])),
    responses((status = 200, description = "The member's follows", body = FollowsJson),
              (status = 401, description = "Not signed in")))]
pub async fn follows(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<FollowsJson>, ApiError> {
    let list = state.reader.follows(user.pk).await.map_err(api_error)?;
    Ok(Json(FollowsJson {
        follows: list
            .into_iter()
            .map(|f| FollowJson {
                kind: f.kind.as_str().into(),
                value: f.value,
                label: f.label,
            })
            .collect(),
    }))
}

/// Records a signal: opened, read through, saved, more or less like this, hide the source.
#[utoipa::path(post, path = "/api/v1/events", tag = "for you", request_body = EventJson,
    security(("bearer" = [])),
    responses((status = 202, description = "Recorded"),
              (status = 400, description = "Bad type, axis or value"),
              (status = 401, description = "Not signed in"),
              (status = 404, description = "No such article")))]
pub async fn event(
    State(state): State<AppState>,
    Member(user): Member,
    body: Bytes,
) -> Result<Response, ApiError> {
    let e: EventJson = json_body(&body, r#"{"type","source","id","axis"?,"value"?}"#)?;
    super::api::check_identifiers(&[("source", &e.source), ("id", &e.id)])?;
    let kind = SignalKind::parse(&e.kind).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "type must be open, read, save, more, less or hide, not {:?}",
            e.kind
        ))
    })?;
    let axis = match e.axis.as_deref() {
        None | Some("") => None,
        Some(a) => Some(Axis::parse(a).ok_or_else(|| {
            ApiError::BadRequest(format!("axis must be tag, section or source, not {a:?}"))
        })?),
    };
    let event = Event {
        kind,
        source: e.source,
        id: e.id,
        axis,
        value: e.value.filter(|v| !v.is_empty()),
    };
    state
        .reader
        .record(user.pk, &event)
        .await
        .map_err(api_error)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({"accepted": true})),
    )
        .into_response())
}

/// The member's For-you feed.
#[utoipa::path(get, path = "/api/v1/feed", tag = "for you",
    params(("limit" = Option<i64>, Query, description = "1 to 50, default 20"),
           ("cursor" = Option<String>, Query, description = "`next` of the previous page")),
    security(("bearer" = [])),
    responses((status = 200, description = "A page of the feed", body = FeedJson),
              (status = 400, description = "Bad limit or cursor"),
              (status = 401, description = "Not signed in")))]
pub async fn feed(
    State(state): State<AppState>,
    Member(user): Member,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<FeedJson>, ApiError> {
    let limit = match q.get("limit").map(|l| l.trim()).filter(|l| !l.is_empty()) {
        None => 20,
        // The rule of every list (see `api::Page`): refused unless a whole number, clamped.
        Some(l) => l.parse::<usize>().map_err(|_| {
            ApiError::BadRequest("limit: expected a non-negative whole number".into())
        })?,
    }
    .clamp(1, 50);
    let page = state
        .reader
        .feed(
            user.pk,
            limit,
            q.get("cursor").map(String::as_str),
            crate::locale::Tr::new(user.locale),
        )
        .await
        .map_err(api_error)?;
    Ok(Json(FeedJson {
        items: page.items.into_iter().map(FeedItemJson::from).collect(),
        next: page.next,
    }))
}
