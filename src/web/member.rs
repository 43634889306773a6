//! The member behind a JSON API call: `Authorization: Bearer …` or the session cookie.
//! Cookie calls that change something must come from this site (the session cookie is
//! SameSite=Lax, and an `Origin` header, when sent, must name this host).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};

use super::error::ApiError;
use super::session::{ApiUser, SESSION_COOKIE, cookie};
use crate::accounts::User;
use crate::app::AppState;

/// The signed-in member of an API request.
pub struct Member(pub User);

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
            return Ok(Member(user));
        }
        let secret = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(|| {
            ApiError::Unauthorized("sign in, or send Authorization: Bearer token".into())
        })?;
        if parts.method != Method::GET && parts.method != Method::HEAD && !same_origin(parts) {
            return Err(ApiError::Forbidden(
                "cross-site requests with the session cookie are refused".into(),
            ));
        }
        let user = state
            .accounts
            .session_user(&secret)
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?
            .ok_or_else(|| ApiError::Unauthorized("the session has ended; sign in again".into()))?;
        Ok(Member(user))
    }
}

/// No `Origin` header (same-site navigation, non-browser clients), or one naming the host.
fn same_origin(parts: &Parts) -> bool {
    let Some(origin) = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .trim_end_matches('/');
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}
