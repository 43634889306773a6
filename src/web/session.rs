//! Who is asking: the session cookie (server-side sessions in the store), the CSRF cookie,
//! the client IP, and bearer tokens for the JSON API. Cookies are HttpOnly, SameSite=Lax,
//! and Secure unless `secure_cookies` is off (plain-HTTP local use).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::chrome::{Chrome, Member, request_tr};
use super::error::{ApiError, RETRY_AFTER_SECS};
use crate::accounts::{AccountError, User, tokens};
use crate::app::AppState;
use crate::locale::Tr;

pub const SESSION_COOKIE: &str = "sahifa_session";
pub const CSRF_COOKIE: &str = "sahifa_csrf";

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value; `max_age` None = until the browser closes, Some(0) = delete.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    // Names are ours and values are base64url, so the header is always valid.
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"))
}

/// The client's IP address as seen by this server.
pub fn client_ip(parts: &Parts) -> String {
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return "unknown".into();
    };
    match parts
        .extensions
        .get::<std::sync::Arc<super::proxy::TrustedProxies>>()
    {
        Some(trusted) => trusted.client(peer, &parts.headers).to_string(),
        None => peer.to_string(),
    }
}

/// The request's context for pages: the signed-in member, the CSRF token for forms, the
/// client IP. Responses built with [`Ctx::respond`] set the CSRF cookie when it is new.
pub struct Ctx {
    pub user: Option<User>,
    /// The reader's locale.
    pub t: Tr,
    /// The frame of base.html.
    pub chrome: Chrome,
    /// The token of this request's forms ([`super::csrf`]).
    pub csrf: String,
    pub ip: String,
    pub secure: bool,
    pub session: Option<String>,
    pub accept_language: String,
    /// The pre-session cookie, set on the answer when `new_csrf`.
    pre_session: String,
    new_csrf: bool,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = cookie(&parts.headers, SESSION_COOKIE);
        let known = parts.extensions.get::<Member>().map(|m| m.0.clone());
        let user = match (&session, known) {
            (_, Some(user)) => user,
            (Some(secret), None) => state
                .accounts
                .session_user(secret)
                .await
                .map_err(internal)?,
            (None, None) => None,
        };
        let t = request_tr(parts);
        let chrome = Chrome::new(t, user.as_ref(), parts.uri.path(), parts.uri.query());
        let (pre_session, new_csrf) = match cookie(&parts.headers, CSRF_COOKIE) {
            Some(t) if t.len() >= super::csrf::MIN_PRE_SESSION => (t, false),
            _ => (tokens::random_token(), true),
        };
        let csrf = super::csrf::token_for(&state.csrf_secret, session.as_deref(), &pre_session);
        let accept_language = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Ok(Ctx {
            user,
            t,
            chrome,
            csrf,
            ip: client_ip(parts),
            secure: state.config.secure_cookies,
            session,
            accept_language,
            pre_session,
            new_csrf,
        })
    }
}

impl Ctx {
    /// Adds the CSRF cookie to `resp` when this request made it.
    pub fn respond(&self, resp: impl IntoResponse) -> Response {
        let mut resp = resp.into_response();
        if self.new_csrf {
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(CSRF_COOKIE, &self.pre_session, None, self.secure),
            );
        }
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }

    /// The signed-in member, or a redirect to the sign-in page.
    #[expect(
        clippy::result_large_err,
        reason = "the error is the finished response, returned at once"
    )]
    pub fn require_user(&self) -> Result<&User, Response> {
        self.user.as_ref().ok_or_else(|| redirect("/signin"))
    }
}

/// A 303 redirect (after a form POST).
pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A new pre-session cookie: signing in or out rotates it, so no CSRF token from before
/// stays valid ([`super::csrf`]).
fn rotate_pre_session(resp: &mut Response, secure: bool) {
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(CSRF_COOKIE, &tokens::random_token(), None, secure),
    );
}

/// A redirect that also sets a new session cookie (and a new pre-session cookie).
pub fn redirect_signed_in(to: &str, secret: &str, secure: bool) -> Response {
    let mut resp = redirect(to);
    let max_age = crate::accounts::session_max_age();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, secret, Some(max_age), secure),
    );
    rotate_pre_session(&mut resp, secure);
    resp
}

/// A redirect that also deletes the session cookie (and sets a new pre-session cookie).
pub fn redirect_signed_out(to: &str, secure: bool) -> Response {
    let mut resp = redirect(to);
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), secure),
    );
    rotate_pre_session(&mut resp, secure);
    resp
}

/// An error page with `status` and a message.
pub fn error_page(status: StatusCode, message: Option<&str>) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Html(super::pages::render_error_page(status, message)),
    )
        .into_response()
}

/// Logs an internal error and answers 500.
pub fn internal(e: impl Into<anyhow::Error>) -> Response {
    let e: anyhow::Error = e.into();
    tracing::error!(error = ?e, "internal error");
    error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
}

/// The page for an account error that is not shown inside a form.
pub fn account_error_page(e: AccountError) -> Response {
    match e {
        AccountError::RateLimited => error_page(
            StatusCode::TOO_MANY_REQUESTS,
            Some(&*crate::locale::Tr::new(crate::locale::current()).get("acc-rate-limited")),
        ),
        AccountError::BadToken => error_page(
            StatusCode::BAD_REQUEST,
            Some(&*crate::locale::Tr::new(crate::locale::current()).get("acc-bad-token")),
        ),
        AccountError::Unverified => error_page(
            StatusCode::FORBIDDEN,
            Some(&*crate::locale::Tr::new(crate::locale::current()).get("acc-unverified-error")),
        ),
        AccountError::Forbidden => error_page(StatusCode::FORBIDDEN, None),
        AccountError::Busy => {
            let mut resp = error_page(StatusCode::SERVICE_UNAVAILABLE, None);
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            );
            resp
        }
        AccountError::BadCredentials => error_page(
            StatusCode::UNAUTHORIZED,
            Some(&*crate::locale::Tr::new(crate::locale::current()).get("acc-bad-credentials")),
        ),
        AccountError::Invalid(m) => error_page(StatusCode::BAD_REQUEST, Some(&m)),
        AccountError::Internal(e) => internal(e),
    }
}

/// The member of the `Authorization: Bearer …` token, for the JSON API.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::Unauthorized("missing Authorization: Bearer token".into()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("expected Authorization: Bearer token".into()))?;
        let user = state
            .accounts
            .token_user(token)
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?
            .ok_or_else(|| ApiError::Unauthorized("unknown or revoked token".into()))?;
        Ok(ApiUser(user))
    }
}

/// The client IP as an extractor (falls back to `unknown` without connection info).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}
