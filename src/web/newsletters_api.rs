//! The newsletter JSON API: the list (with `subscribed` for a bearer), a member's
//! subscription, a visitor's sign-up (202 whatever the address), and `PUT /api/v1/me` for
//! the member's time zone.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, json_body};
use super::session::{ApiUser, ClientIp};
use crate::accounts::Email;
use crate::app::AppState;
use crate::newsletter::parse_time_zone;

/// One newsletter in `GET /api/v1/newsletters`.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewsletterJson {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// `brief`, `breaking`, `section`, `digest` or `manual`.
    pub kind: String,
    /// `daily 07:00`, `weekly friday 07:00` (the reader's local time) or empty.
    pub schedule: String,
    /// Present when the request carries a member's bearer token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscribed: Option<bool>,
}

/// `GET /api/v1/newsletters` answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewsletterList {
    pub newsletters: Vec<NewsletterJson>,
}

/// `POST /api/v1/newsletters/{slug}/signups` body.
#[derive(Deserialize, ToSchema)]
pub struct Signup {
    pub email: String,
}

/// `PUT /api/v1/me` body.
#[derive(Deserialize, ToSchema)]
pub struct MeUpdate {
    /// An IANA time zone name (`Africa/Cairo`); null clears it.
    pub time_zone: Option<String>,
}

/// `PUT /api/v1/me` answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct MeTimeZone {
    pub time_zone: Option<String>,
}

/// The bearer's member when a token is sent, else none; a bad token is still refused.
pub struct MaybeApiUser(pub Option<crate::accounts::User>);

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .is_none()
        {
            return Ok(MaybeApiUser(None));
        }
        Ok(MaybeApiUser(Some(
            ApiUser::from_request_parts(parts, state).await?.0,
        )))
    }
}

/// Every newsletter.
#[utoipa::path(get, path = "/api/v1/newsletters", tag = "newsletters",
    responses((status = 200, description = "The newsletters; `subscribed` with a bearer token", body = NewsletterList)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
) -> Result<Json<NewsletterList>, ApiError> {
    let mine = match &user {
        Some(u) => Some(state.newsletters.member_subscriptions(u).await?),
        None => None,
    };
    let newsletters = state
        .newsletters
        .list()
        .await?
        .into_iter()
        .map(|n| NewsletterJson {
            subscribed: mine.as_ref().map(|m| m.contains(&n.pk)),
            slug: n.slug,
            name: n.name,
            description: n.description,
            kind: n.kind.as_str().to_string(),
            schedule: n.schedule.as_string(),
        })
        .collect();
    Ok(Json(NewsletterList { newsletters }))
}

/// Subscribes the member (one click; no confirmation mail).
#[utoipa::path(put, path = "/api/v1/newsletters/{slug}/subscription", tag = "newsletters",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Subscribed"),
        (status = 401, description = "Missing or unknown token"),
        (status = 404, description = "No such newsletter")))]
pub async fn subscribe(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .newsletters
        .member_subscribe(&user, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(serde_json::json!({"slug": slug, "subscribed": true})))
}

/// Ends the member's subscription.
#[utoipa::path(delete, path = "/api/v1/newsletters/{slug}/subscription", tag = "newsletters",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Not subscribed (any more)"),
        (status = 401, description = "Missing or unknown token"),
        (status = 404, description = "No such newsletter")))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .newsletters
        .member_unsubscribe(&user, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A visitor asks to subscribe; a confirmation link is mailed. 202 for every well-formed
/// request, whatever the address (known, unknown, subscribed already, over its limit, not
/// an address at all) and whatever the slug, so the answer tells nothing about either.
#[utoipa::path(post, path = "/api/v1/newsletters/{slug}/signups", tag = "newsletters",
    request_body = Signup,
    responses(
        (status = 202, description = "Accepted; if the newsletter exists and the address can be subscribed, a confirmation link is on its way"),
        (status = 400, description = "The body is not a JSON object {\"email\": string}")))]
pub async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let locale = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(crate::locale::Locale::from_accept_language)
        .unwrap_or_default();
    let req: Signup = json_body(&body, r#"{"email"}"#)?;
    match Email::parse(&req.email) {
        Ok(email) => {
            if !state
                .newsletters
                .visitor_signup(&slug, &email, &ip, locale)
                .await?
            {
                tracing::info!("newsletter sign-up for an unknown newsletter; answered 202");
            }
        }
        Err(_) => tracing::info!("newsletter sign-up with a malformed address; answered 202"),
    }
    Ok(StatusCode::ACCEPTED)
}

/// Sets the member's time zone (scheduled newsletters follow it).
#[utoipa::path(put, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    request_body = MeUpdate,
    responses(
        (status = 200, description = "Stored", body = MeTimeZone),
        (status = 400, description = "Not an IANA time zone name"),
        (status = 401, description = "Missing or unknown token")))]
pub async fn put_me(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> Result<Json<MeTimeZone>, ApiError> {
    let req: MeUpdate = json_body(&body, r#"{"time_zone"}"#)?;
    let tz = match req.time_zone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(
            parse_time_zone(t)
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "{t:?} is not an IANA time zone such as Africa/Cairo"
                    ))
                })?
                .name()
                .to_string(),
        ),
    };
    state
        .store
        .set_user_time_zone(user.pk, tz.as_deref())
        .await?;
    Ok(Json(MeTimeZone { time_zone: tz }))
}
