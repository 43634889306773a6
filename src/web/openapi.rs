//! `GET /api/v1/openapi.json`: the JSON API described with utoipa. Endpoints implemented
//! elsewhere are described here by documentation-only functions; the response schemas are
//! the handlers' own types, so the document cannot drift from what is served.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

use super::api::ArticleJson;
use super::api_accounts::{AccountCreated, Me, NewAccount, NewToken, TokenCreated};
use super::saved::api::{SavedArticleJson, SavedListItem, SavedListJson};
use super::search::{HitJson, SearchJson};
use crate::reader::saved::import::{ImportReport, LineProblem};

/// Paging of the article list. As in every list: a `limit` or `offset` that is not a
/// non-negative whole number is refused (400); a limit out of range is clamped.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Default 20; clamped to 1..=100.
    pub limit: Option<u64>,
    /// Default 0.
    pub offset: Option<u64>,
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

/// Saved-list parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SavedParams {
    /// Words to find in the saved copies (the site's Arabic analyzer; every word must occur).
    pub q: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Section slug.
    pub section: Option<String>,
    /// Tag slug.
    pub tag: Option<String>,
}

/// The body of `PUT /api/v1/saved/{source}/{id}` (optional).
#[derive(utoipa::ToSchema)]
pub struct SaveBody {
    /// A private note; `""` or null clears it, absent keeps it.
    pub note: Option<String>,
}

/// Saves an article for the member: a copy of it taken now.
#[utoipa::path(put, path = "/api/v1/saved/{source}/{id}", tag = "saved",
    params(("source" = String, Path), ("id" = String, Path)),
    request_body(content = SaveBody, content_type = "application/json"),
    responses((status = 201, description = "Saved", body = SavedArticleJson),
              (status = 200, description = "Already saved (the note updated if given)", body = SavedArticleJson),
              (status = 404, description = "No such published article"),
              (status = 410, description = "The article was removed"),
              (status = 415, description = "The body is not application/json")),
    security(("bearer" = [])))]
pub fn doc_save() {}

/// One saved copy: the article JSON shape plus `saved_at`, `note` and its state.
#[utoipa::path(get, path = "/api/v1/saved/{source}/{id}", tag = "saved",
    params(("source" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "The copy", body = SavedArticleJson),
              (status = 404, description = "Not saved by this member")),
    security(("bearer" = [])))]
pub fn doc_saved_one() {}

/// Deletes the member's copy (204 also when there was none).
#[utoipa::path(delete, path = "/api/v1/saved/{source}/{id}", tag = "saved",
    params(("source" = String, Path), ("id" = String, Path)),
    responses((status = 204, description = "Not saved any more")),
    security(("bearer" = [])))]
pub fn doc_unsave() {}

/// Replaces the copy with the live article as it is now (note and saved-at kept).
#[utoipa::path(post, path = "/api/v1/saved/{source}/{id}/refresh", tag = "saved",
    params(("source" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "The refreshed copy", body = SavedArticleJson),
              (status = 404, description = "No copy, or no live article")),
    security(("bearer" = [])))]
pub fn doc_saved_refresh() {}

/// The member's saved copies, newest saved first, searched and filtered.
#[utoipa::path(get, path = "/api/v1/saved", tag = "saved", params(SavedParams),
    responses((status = 200, description = "Copies", body = SavedListJson),
              (status = 400, description = "Unknown section")),
    security(("bearer" = [])))]
pub fn doc_saved_list() {}

/// Export parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `jsonl` (default; one `sahifa.saved/1` record a line), `md` (front matter per item)
    /// or `html` (one right-to-left page).
    pub format: Option<String>,
}

/// Every saved copy of the member, streamed.
#[utoipa::path(get, path = "/api/v1/saved/export", tag = "saved", params(ExportParams),
    responses((status = 200, description = "The export (application/x-ndjson, text/markdown or text/html)"),
              (status = 400, description = "Unknown format")),
    security(("bearer" = [])))]
pub fn doc_saved_export() {}

/// Imports a JSON Lines export into the member's copies, idempotently.
#[utoipa::path(post, path = "/api/v1/saved/import", tag = "saved",
    request_body(content = String, content_type = "application/x-ndjson",
        description = "The JSON Lines export, one sahifa.saved/1 record a line"),
    responses((status = 200, description = "What was imported; bad lines with line and field", body = ImportReport),
              (status = 415, description = "Not JSON Lines")),
    security(("bearer" = [])))]
pub fn doc_saved_import() {}

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

/// Every error answer of every operation is an [`ErrorJson`], and every operation with a
/// body can answer 415 (its body not `application/json`, see [`super::api_layer`]).
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                let responses = &mut op.responses.responses;
                if op.request_body.is_some() && !responses.contains_key("415") {
                    responses.insert(
                        "415".into(),
                        RefOr::T(
                            ResponseBuilder::new()
                                .description("The body is not application/json")
                                .build(),
                        ),
                    );
                }
                for (code, response) in responses.iter_mut() {
                    if let (true, RefOr::T(r)) = (code.starts_with(['4', '5']), response) {
                        r.content.insert(
                            "application/json".into(),
                            RefOr::T(
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorJson")))
                                    .build(),
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "sahifa API", description = "The JSON API of sahifa, an Arabic-first news platform."),
    paths(
        doc_list_articles,
        doc_get_article,
        doc_search,
        doc_save,
        doc_saved_one,
        doc_unsave,
        doc_saved_refresh,
        doc_saved_list,
        doc_saved_export,
        doc_saved_import,
        super::api_accounts::create_account,
        super::api_accounts::create_token,
        super::api_accounts::me,
        super::newsletters_api::put_me,
        super::newsletters_api::list,
        super::newsletters_api::subscribe,
        super::newsletters_api::unsubscribe,
        super::newsletters_api::signup,
        super::foryou_api::follow,
        super::foryou_api::unfollow,
        super::foryou_api::follows,
        super::foryou_api::event,
        super::foryou_api::feed,
        super::stories::api_list,
    ),
    components(schemas(ArticleJson, HitJson, SearchJson, NewAccount, AccountCreated,
        NewToken, TokenCreated, Me, SavedArticleJson, SavedListJson, SavedListItem, SaveBody,
        ImportReport, LineProblem, super::newsletters_api::NewsletterJson,
        super::newsletters_api::NewsletterList, super::newsletters_api::Signup,
        super::newsletters_api::MeUpdate, super::newsletters_api::MeTimeZone,
        super::foryou_api::NewFollow, super::foryou_api::FollowJson,
        super::foryou_api::FollowsJson, super::foryou_api::EventJson,
        super::foryou_api::FeedItemJson, super::foryou_api::FeedJson,
        super::stories::StoryRef, super::stories::StoryJson, super::stories::StoryArticleJson,
        super::stories::StoriesJson, super::error::ErrorJson)),
    modifiers(&BearerAuth, &ErrorResponses),
    tags((name = "articles"), (name = "search"), (name = "accounts"), (name = "saved"),
        (name = "for you"), (name = "newsletters"), (name = "stories"))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
