//! The JSON API under `/api/v1/`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::stories::{StoryRef, story_ref};
use crate::app::AppState;
use crate::model::Article;

/// An article as the API returns it (PRODUCT.md contract).
#[derive(Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ArticleJson {
    /// The source's id; (source, id) is the identity.
    pub id: String,
    pub source: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Body paragraphs in order.
    pub body: Vec<String>,
    /// Section slug, e.g. `economy`.
    pub section: Option<String>,
    /// Tag names.
    pub tags: Vec<String>,
    pub url: Option<String>,
    /// RFC 3339.
    pub published: Option<String>,
    /// The story this article shares with other published articles (other sources' copies,
    /// re-posts): `null` when it shares it with none.
    #[serde(default)]
    pub story: Option<StoryRef>,
}

impl From<Article> for ArticleJson {
    fn from(a: Article) -> Self {
        ArticleJson {
            section: a.section.map(|s| s.slug().to_string()),
            tags: a.tags.into_iter().map(|t| t.name).collect(),
            published: a
                .published
                .map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            id: a.id,
            source: a.source,
            title: a.title,
            subtitle: a.subtitle,
            body: a.body,
            url: crate::ingest::url::safe_href(a.url.as_deref()),
            story: None,
        }
    }
}

/// Paging parameters. The rule of every list under `/api/v1/` (articles, search, saved,
/// feed): a `limit` or `offset` that is not a non-negative whole number (`abc`, `-1`) is
/// refused with 400 naming it; a limit is then clamped into its range (here 1..=100).
#[derive(Debug, Deserialize)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

impl Page {
    /// Limit clamped to 1..=100 (default 20) and the offset.
    pub fn bounds(&self) -> (i64, i64) {
        let limit = self.limit.unwrap_or(20).clamp(1, 100);
        let offset = self.offset.unwrap_or(0).min(1_000_000_000);
        (
            i64::try_from(limit).unwrap_or(100),
            i64::try_from(offset).unwrap_or(0),
        )
    }
}

/// `GET /api/v1/articles?limit=&offset=`: newest first. The first pages are kept per node
/// until the change log moves ([`super::front`]).
pub async fn list_articles(
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let (limit, offset) = page.bounds();
    let st = &state;
    let load = || async move {
        let articles = st.store.latest(limit, offset).await?;
        let mut json: Vec<ArticleJson> = Vec::with_capacity(articles.len());
        for a in articles {
            let story = story_ref(st, &a.source, &a.id).await?;
            json.push(ArticleJson {
                story,
                ..ArticleJson::from(a)
            });
        }
        Ok(Some(Bytes::from(serde_json::to_vec(&json)?)))
    };
    let body = if offset + limit <= 100 {
        state
            .front
            .api_latest
            .get(super::front::generation(&state), (limit, offset), load)
            .await?
    } else {
        load().await?.map(std::sync::Arc::new)
    }
    .ok_or(ApiError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::clone(&body),
    )
        .into_response())
}

/// 400 naming the field when an identifier of the request (`source`, `id`, a followed
/// `value`) holds an invisible or direction character ([`crate::ingest::bidi`]).
pub fn check_identifiers(fields: &[(&str, &str)]) -> Result<(), ApiError> {
    for (field, value) in fields {
        crate::ingest::bidi::check_identifier(field, value).map_err(ApiError::BadRequest)?;
    }
    Ok(())
}

/// `GET /api/v1/articles/{source}/{id}`.
pub async fn get_article(
    State(state): State<AppState>,
    Path((source, id)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Result<Json<ArticleJson>, ApiError> {
    check_identifiers(&[("source", &source), ("id", &id)])?;
    match super::visibility::readable_article(&state, &headers, &source, &id).await? {
        Some(article) => {
            let story = story_ref(&state, &article.source, &article.id).await?;
            Ok(Json(ArticleJson {
                story,
                ..article.into()
            }))
        }
        None if state.store.is_removed(&source, &id).await? => Err(ApiError::Gone),
        None => Err(ApiError::NotFound),
    }
}
