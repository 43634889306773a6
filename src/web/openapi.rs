//! `GET /api/v1/openapi.json`: the JSON API described with utoipa. Endpoints implemented
//! elsewhere are described here by documentation-only functions; the response schemas are
//! the handlers' own types, so the document cannot drift from what is served.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

use super::api::ArticleJson;
use super::api_accounts::{AccountCreated, Me, NewAccount, NewToken, TokenCreated};
use super::search::{HitJson, SearchJson};

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
    responses((status = 200, description = "Articles, newest first", body = [ArticleJson]),
              (status = 400, description = "Bad paging parameters")))]
pub fn doc_list_articles() {}

/// One article by its identity.
#[utoipa::path(get, path = "/api/v1/articles/{source}/{id}", tag = "articles",
    params(("source" = String, Path, description = "Source name"),
           ("id" = String, Path, description = "The source's id")),
    responses((status = 200, description = "The article", body = ArticleJson),
              (status = 404, description = "No such article")))]
pub fn doc_get_article() {}

/// Full-text search with filters.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "Ranked hits", body = SearchJson),
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
        super::foryou_api::follow,
        super::foryou_api::unfollow,
        super::foryou_api::follows,
        super::foryou_api::event,
        super::foryou_api::feed,
    ),
    components(schemas(ArticleJson, HitJson, SearchJson, NewAccount, AccountCreated,
        NewToken, TokenCreated, Me, super::foryou_api::NewFollow, super::foryou_api::FollowJson,
        super::foryou_api::FollowsJson, super::foryou_api::EventJson,
        super::foryou_api::FeedItemJson, super::foryou_api::FeedJson)),
    modifiers(&BearerAuth),
    tags((name = "articles"), (name = "search"), (name = "accounts"), (name = "for you"))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
