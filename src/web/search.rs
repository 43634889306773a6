//! Search: the `/search` page and `GET /api/v1/search`. Parameters are parsed here into a
//! typed request; bad values are a 400 naming the parameter, never a 500.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::chrome::{Chrome, Page};
use super::error::{ApiError, PageError};
use super::pages::article_href;
use crate::app::AppState;
use crate::locale::Tr;
use crate::model::Section;
use crate::search::{Filters, MAX_LIMIT, SearchRequest, SearchResults, Segment, Sort, snippet};

/// Raw query-string parameters (all text, so that bad values get our own error).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub section: Option<String>,
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A bad search parameter: which one, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter's name (`from`, `section`, …).
    pub param: &'static str,
    /// The locale key of the reader's explanation (`search-bad-date`, …).
    pub key: &'static str,
    /// The explanation for API clients (English).
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn bad(param: &'static str, key: &'static str, message: String) -> ParamError {
    ParamError {
        param,
        key,
        message,
    }
}

/// A date (`YYYY-MM-DD`, whole day) or an RFC 3339 time; `end` picks the day's last ms.
fn parse_time(name: &'static str, v: &str, end: bool) -> Result<i64, ParamError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc).timestamp_millis());
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
        bad(
            name,
            "search-bad-date",
            format!("{name}: expected YYYY-MM-DD or an RFC 3339 time"),
        )
    })?;
    let t = if end {
        d.and_hms_milli_opt(23, 59, 59, 999)
    } else {
        d.and_hms_opt(0, 0, 0)
    };
    t.map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| bad(name, "search-bad-date", format!("{name}: invalid date")))
}

fn parse_count(name: &'static str, v: Option<&str>, default: usize) -> Result<usize, ParamError> {
    match v {
        None => Ok(default),
        Some(s) => s.parse::<usize>().map_err(|_| {
            bad(
                name,
                "search-bad-number",
                format!("{name}: expected a non-negative whole number"),
            )
        }),
    }
}

impl SearchParams {
    /// The typed request, or a message naming the bad parameter.
    pub fn to_request(&self, default_limit: usize) -> Result<SearchRequest, ParamError> {
        let section = match non_empty(&self.section) {
            None => None,
            Some(s) => Some(
                Section::parse(s)
                    .ok_or_else(|| {
                        bad(
                            "section",
                            "search-bad-section",
                            format!("section: unknown section {s:?}"),
                        )
                    })?
                    .slug()
                    .to_string(),
            ),
        };
        let sort = match non_empty(&self.sort) {
            None => Sort::Relevance,
            Some(s) => Sort::parse(s).ok_or_else(|| {
                bad(
                    "sort",
                    "search-bad-sort",
                    "sort: expected relevance or date".into(),
                )
            })?,
        };
        let from_ms = non_empty(&self.from)
            .map(|v| parse_time("from", v, false))
            .transpose()?;
        let to_ms = non_empty(&self.to)
            .map(|v| parse_time("to", v, true))
            .transpose()?;
        Ok(SearchRequest {
            q: self.q.clone().unwrap_or_default(),
            filters: Filters {
                section,
                source: non_empty(&self.source).map(String::from),
                from_ms,
                to_ms,
            },
            sort,
            limit: parse_count("limit", non_empty(&self.limit), default_limit)?.clamp(1, MAX_LIMIT),
            offset: parse_count("offset", non_empty(&self.offset), 0)?,
        })
    }
}

async fn run(state: &AppState, req: SearchRequest) -> anyhow::Result<SearchResults> {
    let search = state.search.clone();
    let started = std::time::Instant::now();
    let results = tokio::task::spawn_blocking(move || search.search(&req)).await?;
    state.metrics.record_search(started.elapsed());
    results
}

/// One hit of the JSON API (PRODUCT.md contract).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HitJson {
    pub id: String,
    pub source: String,
    pub title: String,
    pub score: f32,
    /// Plain-text excerpt around the matched words.
    pub snippet: String,
    /// The article page on this site.
    pub url: String,
}

/// `GET /api/v1/search` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchJson {
    /// Matching articles. Relevance-ranked searches count exactly up to 1,000 matches (or
    /// just past the page asked for, if deeper); beyond that `total` is that lower bound.
    /// The shape stays PRODUCT.md's `{"total","hits"}`.
    pub total: usize,
    pub hits: Vec<HitJson>,
}

/// `GET /api/v1/search?q=&limit=&offset=&section=&source=&from=&to=&sort=`.
pub async fn api_search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchJson>, ApiError> {
    let req = params
        .to_request(10)
        .map_err(|e| ApiError::BadRequest(e.message))?;
    let results = run(&state, req).await?;
    Ok(Json(SearchJson {
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|h| HitJson {
                url: article_href(&h.source, &h.id),
                snippet: snippet::plain(&h.snippet),
                id: h.id,
                source: h.source,
                title: h.title,
                score: h.score,
            })
            .collect(),
    }))
}

/// A hit prepared for the template.
pub struct HitView {
    pub href: String,
    pub title: String,
    pub source: String,
    pub date: String,
    pub snippet: Vec<Segment>,
    /// `ar` for a title in Arabic script.
    pub lang: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    q: String,
    source: String,
    from: String,
    to: String,
    by_date: bool,
    section: String,
    sections: Vec<(&'static str, String)>,
    error: Option<String>,
    relaxed: bool,
    /// «3 نتائج», or «1,000 نتيجة أو أكثر» when counting stopped early.
    count: String,
    hits: Vec<HitView>,
    prev: Option<String>,
    next: Option<String>,
}

/// The query string of another page of the same search.
fn page_href(p: &SearchParams, offset: usize) -> String {
    let pairs = [
        ("q", &p.q),
        ("section", &p.section),
        ("source", &p.source),
        ("from", &p.from),
        ("to", &p.to),
        ("sort", &p.sort),
    ];
    let mut s = String::from("/search?");
    for (k, v) in pairs {
        if let Some(v) = non_empty(v) {
            s.push_str(k);
            s.push('=');
            s.push_str(&super::pages::encode(v));
            s.push('&');
        }
    }
    s.push_str(&format!("offset={offset}"));
    s
}

/// `GET /search?q=…`: the search page (a bad parameter is shown on the page, status 400).
pub async fn page(
    State(state): State<AppState>,
    Page { t, chrome }: Page,
    Query(params): Query<SearchParams>,
) -> Result<(axum::http::StatusCode, Html<String>), PageError> {
    const PER_PAGE: usize = 20;
    let mut status = axum::http::StatusCode::OK;
    let (mut error, mut results, mut offset) = (None, SearchResults::default(), 0);
    match params.to_request(PER_PAGE) {
        Ok(mut req) => {
            req.limit = PER_PAGE;
            offset = req.offset;
            results = run(&state, req).await?;
        }
        Err(e) => {
            status = axum::http::StatusCode::BAD_REQUEST;
            error = Some(t.arg(e.key, "param", e.param).into_owned());
        }
    }
    let q = params.q.clone().unwrap_or_default();
    let more = offset + results.hits.len() < results.total;
    let page = SearchPage {
        title: if q.trim().is_empty() {
            t.get("search-heading").into_owned()
        } else {
            t.arg("search-title-q", "q", &q).into_owned()
        },
        source: params.source.clone().unwrap_or_default(),
        from: params.from.clone().unwrap_or_default(),
        to: params.to.clone().unwrap_or_default(),
        by_date: params.sort.as_deref() == Some("date"),
        section: params
            .section
            .as_deref()
            .and_then(Section::parse)
            .map(|s| s.slug().to_string())
            .unwrap_or_default(),
        sections: Section::ALL
            .iter()
            .map(|s| (s.slug(), t.section(s).into_owned()))
            .collect(),
        error,
        count: if results.total_exact {
            t.n("search-results", results.total).into_owned()
        } else {
            t.n("search-results-at-least", results.total).into_owned()
        },
        relaxed: results.relaxed,
        prev: (offset > 0).then(|| page_href(&params, offset.saturating_sub(PER_PAGE))),
        next: more.then(|| page_href(&params, offset + PER_PAGE)),
        hits: results
            .hits
            .into_iter()
            .map(|h| HitView {
                href: article_href(&h.source, &h.id),
                date: t.date(crate::store::from_millis(h.time)),
                lang: super::pages::text_lang(&h.title),
                title: h.title,
                source: h.source,
                snippet: h.snippet,
            })
            .collect(),
        q,
        t,
        chrome,
    };
    let html = page
        .render()
        .map_err(|e| PageError::Internal(anyhow::anyhow!("rendering the search page: {e}")))?;
    Ok((status, Html(html)))
}
