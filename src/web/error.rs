//! Errors of web handlers: pages get a localized HTML page, the API gets JSON. Causes of
//! 5xx answers are logged with their chain; readers never see them.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::pages::render_error_page;

/// What a 503 asks the client to wait, in seconds.
pub const RETRY_AFTER_SECS: &str = "2";

/// An error answered with an HTML page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    /// The article was removed: 410 Gone.
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            PageError::NotFound => (StatusCode::NOT_FOUND, None),
            PageError::Gone => (StatusCode::GONE, None),
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, Some(m.clone())),
            PageError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        (status, Html(render_error_page(status, message.as_deref()))).into_response()
    }
}

/// An error of the JSON API, answered as [`ErrorJson`] with its status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    /// The article was removed: 410 Gone.
    #[error("the article was removed")]
    Gone,
    #[error("{0}")]
    BadRequest(String),
    /// The body is not JSON at all (a syntax error, a cut-off body).
    #[error("{0}")]
    InvalidJson(String),
    /// The body is JSON of the wrong shape (a field missing or of the wrong type).
    #[error("{0}")]
    InvalidBody(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// 415: the body is not `application/json`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// 503 with `Retry-After`: a bounded resource (password hashing) is full.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The body of every error under `/api/v1/`: a stable code for programs and a sentence for
/// people.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorJson {
    /// `bad_request`, `invalid_json`, `invalid_body`, `unauthorized`, `forbidden`,
    /// `not_found`, `method_not_allowed`, `conflict`, `gone`, `payload_too_large`,
    /// `unsupported_media_type`, `too_many_requests`, `internal`, `unavailable`, …
    pub error: String,
    /// What went wrong, in English.
    pub message: String,
}

/// The code of an error answer with `status` and no more precise cause.
pub fn status_code_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        409 => "conflict",
        410 => "gone",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "invalid_body",
        429 => "too_many_requests",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "error",
    }
}

/// The one way an API error answer is made: `status` with `{"error": code, "message"}`,
/// never stored by a cache.
pub fn api_error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(ErrorJson {
            error: code.to_string(),
            message: message.to_string(),
        }),
    )
        .into_response()
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Gone => StatusCode::GONE,
            ApiError::BadRequest(_) | ApiError::InvalidJson(_) | ApiError::InvalidBody(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = match &self {
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::InvalidBody(_) => "invalid_body",
            _ => status_code_name(status),
        };
        let message = match &self {
            ApiError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "internal error".to_string()
            }
            ApiError::NotFound => "no such resource".to_string(),
            other => other.to_string(),
        };
        let mut resp = api_error_response(status, code, &message);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        resp
    }
}

/// Reads a JSON request body of `shape` (e.g. `{"email","password"}`), a UTF-8 byte-order
/// mark before it allowed. The error never quotes the body (it may hold a password): a
/// syntax error gives its position, a wrong shape the field at fault.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], shape: &str) -> Result<T, ApiError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    serde_json::from_slice(body).map_err(|e| {
        use serde_json::error::Category;
        let at = format!("line {} column {}", e.line(), e.column());
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::InvalidJson(format!(
                "the body is not valid JSON ({at}); expected an object {shape}"
            )),
            Category::Data => {
                let text = e.to_string();
                let missing = text
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split('`').next());
                ApiError::InvalidBody(match missing {
                    Some(field) => {
                        format!("field `{field}` is missing; expected an object {shape}")
                    }
                    None => {
                        format!("a field has the wrong type ({at}); expected an object {shape}")
                    }
                })
            }
        }
    })
}
