//! The accounts JSON API: `POST /api/v1/accounts`, `POST /api/v1/tokens`, `GET /api/v1/me`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, json_body};
use super::session::{ApiUser, ClientIp};
use crate::accounts::AccountError;
use crate::app::AppState;
use crate::mail::Locale;

/// `POST /api/v1/accounts` body.
#[derive(Deserialize, ToSchema)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
}

/// `POST /api/v1/accounts` answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AccountCreated {
    pub id: String,
    pub email: String,
}

/// `POST /api/v1/tokens` body.
#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    pub email: String,
    pub password: String,
    pub name: String,
}

/// `POST /api/v1/tokens` answer: the secret, shown once.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    pub token: String,
}

/// `GET /api/v1/me` answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    /// `reader`, `editor` or `admin`.
    pub role: String,
    pub verified: bool,
}

fn api_error(e: AccountError) -> ApiError {
    match e {
        AccountError::Invalid(m) => ApiError::BadRequest(m),
        AccountError::BadCredentials => ApiError::Unauthorized(e.to_string()),
        AccountError::RateLimited => ApiError::TooManyRequests(e.to_string()),
        AccountError::Unverified | AccountError::Forbidden => ApiError::Forbidden(e.to_string()),
        AccountError::BadToken => ApiError::BadRequest(e.to_string()),
        AccountError::Busy => ApiError::Unavailable(e.to_string()),
        AccountError::Internal(e) => ApiError::Internal(e),
    }
}

/// Creates an account and sends the verification e-mail. A known address gets the same
/// answer (no enumeration).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = NewAccount,
    responses(
        (status = 201, description = "Account created; a verification e-mail is on its way", body = AccountCreated),
        (status = 400, description = "Invalid e-mail address or password too short"),
        (status = 429, description = "Too many sign-ups from this address")))]
pub async fn create_account(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<(StatusCode, Json<AccountCreated>), ApiError> {
    let req: NewAccount = json_body(&body, r#"{"email","password"}"#)?;
    let done = state
        .accounts
        .sign_up(&req.email, &req.password, &ip, Locale::Ar)
        .await
        .map_err(api_error)?;
    Ok((
        StatusCode::CREATED,
        Json(AccountCreated {
            id: done.uid,
            email: done.email.to_string(),
        }),
    ))
}

/// Creates a personal API token from an e-mail address and password.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts",
    request_body = NewToken,
    responses(
        (status = 201, description = "Token created; send it as Authorization: Bearer …", body = TokenCreated),
        (status = 401, description = "Wrong e-mail address or password"),
        (status = 403, description = "The e-mail address must be verified first"),
        (status = 429, description = "Too many attempts")))]
pub async fn create_token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    let req: NewToken = json_body(&body, r#"{"email","password","name"}"#)?;
    let user = state
        .accounts
        .sign_in(&req.email, &req.password, &ip)
        .await
        .map_err(api_error)?;
    let token = state
        .accounts
        .create_api_token(&user, &req.name)
        .await
        .map_err(api_error)?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token })))
}

/// The member the bearer token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member", body = Me),
        (status = 401, description = "Missing, unknown or revoked token")))]
pub async fn me(ApiUser(user): ApiUser) -> Json<Me> {
    Json(Me {
        id: user.uid,
        email: user.email,
        role: user.role.as_str().to_string(),
        verified: user.verified,
    })
}
