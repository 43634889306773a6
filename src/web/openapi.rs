//! `GET /api/v1/openapi.json`: the JSON API described with utoipa. Endpoints implemented
//! elsewhere are described here by documentation-only functions with the same paths and
//! shapes (PRODUCT.md contracts).

use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use super::api_accounts::{AccountCreated, Me, NewAccount, NewToken, TokenCreated};

/// An article (`GET /api/v1/articles/{source}/{id}`).
#[derive(Serialize, ToSchema)]
pub struct ArticleDoc {
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
}

/// One search hit.
#[derive(Serialize, ToSchema)]
pub struct SearchHitDoc {
    pub id: String,
    pub source: String,
    pub title: String,
    pub score: f32,
    /// Highlighted excerpt.
    pub snippet: String,
    /// The article page on this site.
    pub url: String,
}

/// Search results.
#[derive(Serialize, ToSchema)]
pub struct SearchResultsDoc {
    pub total: u64,
    pub hits: Vec<SearchHitDoc>,
}

/// Paging of the article list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    /// Default 0.
    pub offset: Option<i64>,
}

/// Search parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query, in Arabic or English.
    pub q: String,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Section slug.
    pub section: Option<String>,
    /// Source name.
    pub source: Option<String>,
    /// Earliest publication date (RFC 3339 or YYYY-MM-DD).
    pub from: Option<String>,
    /// Latest publication date (RFC 3339 or YYYY-MM-DD).
    pub to: Option<String>,
    /// `relevance` (default) or `date`.
    pub sort: Option<String>,
}

/// Lists published articles, newest first.
#[utoipa::path(get, path = "/api/v1/articles", tag = "articles", params(PageParams),
    responses((status = 200, description = "Articles, newest first", body = [ArticleDoc]),
              (status = 400, description = "Bad paging parameters")))]
pub fn doc_list_articles() {}

/// One article by its identity.
#[utoipa::path(get, path = "/api/v1/articles/{source}/{id}", tag = "articles",
    params(("source" = String, Path, description = "Source name"),
           ("id" = String, Path, description = "The source's id")),
    responses((status = 200, description = "The article", body = ArticleDoc),
              (status = 404, description = "No such article")))]
pub fn doc_get_article() {}

/// Full-text search with filters.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "Ranked hits", body = SearchResultsDoc),
              (status = 400, description = "Bad parameters")))]
pub fn doc_search() {}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "sahifa API", description = "The JSON API of sahifa, an Arabic-first news platform."),
    paths(
        doc_list_articles,
        doc_get_article,
        doc_search,
        super::api_accounts::create_account,
        super::api_accounts::create_token,
        super::api_accounts::me,
    ),
    components(schemas(ArticleDoc, SearchHitDoc, SearchResultsDoc, NewAccount, AccountCreated,
        NewToken, TokenCreated, Me)),
    modifiers(&BearerAuth),
    tags((name = "articles"), (name = "search"), (name = "accounts"))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
