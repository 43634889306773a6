//! Stories on the web: the "full coverage" page `/stories/{id}` (every source's copy,
//! earliest first) and `GET /api/v1/stories`.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

use super::chrome::{Chrome, Page};
use super::error::{ApiError, PageError};
use super::foryou_views::respond_for;
use super::pages::{article_href, encode};
use super::session::Ctx;
use crate::app::AppState;
use crate::locale::Tr;
use crate::store::{StoryRow, from_millis};

/// An article's story as its JSON carries it: `null` when no other published article
/// shares its story.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct StoryRef {
    pub id: i64,
    /// Published articles in the story (2 or more).
    pub size: i64,
}

/// One copy in a story: its identity.
#[derive(Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct StoryArticleJson {
    pub source: String,
    pub id: String,
}

/// A story of two or more articles.
#[derive(Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct StoryJson {
    pub id: i64,
    /// The earliest copy's headline.
    pub title: String,
    /// Published articles.
    pub size: i64,
    /// Distinct sources among them.
    pub sources: i64,
    /// RFC 3339: the earliest copy's publication time (its import time when it has none).
    pub first_published: String,
    /// Every copy, earliest first.
    pub articles: Vec<StoryArticleJson>,
}

/// `{"stories": [...]}`.
#[derive(Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct StoriesJson {
    pub stories: Vec<StoryJson>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoriesQuery {
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
}

fn rfc3339(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The newest stories carried by two or more articles, by their latest copy.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(StoriesQuery),
    responses((status = 200, description = "Stories, the latest-updated first", body = StoriesJson)))]
pub async fn api_list(
    State(state): State<AppState>,
    Query(q): Query<StoriesQuery>,
) -> Result<Json<StoriesJson>, ApiError> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let rows = state.store.stories(limit).await?;
    let mut stories = Vec::with_capacity(rows.len());
    for row in rows {
        let copies = match state.store.story(row.id).await? {
            Some((_, c)) => c,
            None => continue,
        };
        stories.push(story_json(row, copies));
    }
    Ok(Json(StoriesJson { stories }))
}

fn story_json(row: StoryRow, copies: Vec<crate::store::StoryCopy>) -> StoryJson {
    StoryJson {
        id: row.id,
        title: row.title,
        size: row.size,
        sources: row.sources,
        first_published: rfc3339(row.first_at),
        articles: copies
            .into_iter()
            .map(|c| StoryArticleJson {
                source: c.source,
                id: c.id,
            })
            .collect(),
    }
}

/// The story link of an article (for its JSON and its page).
pub async fn story_ref(
    state: &AppState,
    source: &str,
    id: &str,
) -> anyhow::Result<Option<StoryRef>> {
    Ok(state
        .store
        .story_of(source, id)
        .await?
        .map(|(id, size)| StoryRef { id, size }))
}

/// The link an article page shows to its story, when it has one.
pub struct StoryLink {
    pub href: String,
    pub text: String,
}

impl StoryLink {
    pub fn new(r: &StoryRef, t: Tr) -> StoryLink {
        StoryLink {
            href: format!("/stories/{}", r.id),
            text: t.n("story-link", r.size).into_owned(),
        }
    }
}

struct CopyView {
    href: String,
    title: String,
    source: String,
    source_href: String,
    date: String,
    date_iso: String,
    url: Option<String>,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    heading: String,
    summary: String,
    first: String,
    first_iso: String,
    copies: Vec<CopyView>,
}

/// `/stories/{id}`: full coverage, every source's copy earliest first.
pub async fn page(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::NotFound);
    };
    let Some((row, copies)) = state.store.story(id).await? else {
        return Err(PageError::NotFound);
    };
    let copies = copies
        .into_iter()
        .map(|c| {
            let at = from_millis(c.at);
            CopyView {
                href: article_href(&c.source, &c.id),
                source_href: format!("/sources/{}", encode(&c.source)),
                title: c.title,
                source: c.source,
                date: t.date(at),
                date_iso: rfc3339(c.at),
                url: crate::ingest::url::safe_href(c.url.as_deref()),
            }
        })
        .collect();
    let summary = t
        .args(
            "story-summary",
            &[
                ("n", FluentValue::from(row.size)),
                ("sources", FluentValue::from(row.sources)),
            ],
        )
        .into_owned();
    let page = StoryPage {
        title: t.arg("story-title", "title", &row.title).into_owned(),
        heading: row.title,
        summary,
        first: t.date(from_millis(row.first_at)),
        first_iso: rfc3339(row.first_at),
        copies,
        t,
        chrome,
    };
    let html = page
        .render()
        .map(Html)
        .map_err(|e| PageError::Internal(e.into()))?;
    Ok(respond_for(&ctx, html))
}
