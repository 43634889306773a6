//! CSRF protection for every state-changing form. A form's hidden `csrf` field must hold the
//! token of its request: an HMAC-SHA256, with the site's secret, of the session cookie when
//! there is one, or else of a random pre-session cookie (HttpOnly, SameSite=Lax) that the
//! first page sets. A POST whose field is not that token is refused with 403 before its
//! handler runs, so nothing changes. A cookie and field planted with the same value do not
//! pass (the field would have to be the MAC of the cookie), and signing in or out changes
//! the session and sets a new pre-session cookie, so a token from before is dead after.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::session::{CSRF_COOKIE, SESSION_COOKIE, cookie, error_page};
use crate::accounts::tokens::constant_eq;
use crate::app::AppState;

/// Largest form body accepted (the desk's article form is the biggest).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// Shortest pre-session cookie accepted (ours are 43 characters).
pub const MIN_PRE_SESSION: usize = 32;

/// The token for a request with session cookie `session`, or else pre-session cookie `pre`.
pub fn token_for(secret: &[u8], session: Option<&str>, pre: &str) -> String {
    let binding = match session {
        Some(s) => format!("session:{s}"),
        None => format!("pre-session:{pre}"),
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        // HMAC takes a key of any length.
        return String::new();
    };
    mac.update(binding.as_bytes());
    BASE64_URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..])
}

/// The token the forms of a request with `headers` must carry, if it can have one.
fn expected(secret: &[u8], headers: &HeaderMap) -> Option<String> {
    match cookie(headers, SESSION_COOKIE) {
        Some(s) => Some(token_for(secret, Some(&s), "")),
        None => cookie(headers, CSRF_COOKIE)
            .filter(|p| p.len() >= MIN_PRE_SESSION)
            .map(|p| token_for(secret, None, &p)),
    }
}

/// A url-encoded form whose `csrf` field is the request's token.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let expected = expected(&state.csrf_secret, req.headers());
        let body = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                error_page(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Some(&*crate::locale::Tr::new(crate::locale::current()).get("form-too-large")),
                )
            })?;
        if !csrf_matches(expected.as_deref(), &body) {
            return Err(error_page(
                StatusCode::FORBIDDEN,
                Some(&*crate::locale::Tr::new(crate::locale::current()).get("form-expired")),
            ));
        }
        serde_urlencoded::from_bytes::<T>(&body)
            .map(CsrfForm)
            .map_err(|_| {
                error_page(
                    StatusCode::BAD_REQUEST,
                    Some(&*crate::locale::Tr::new(crate::locale::current()).get("form-invalid")),
                )
            })
    }
}

/// Whether the form's `csrf` field equals the request's token.
fn csrf_matches(expected: Option<&str>, body: &Bytes) -> bool {
    let Some(expected) = expected else {
        return false;
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .is_some_and(|(_, v)| expected.len() >= 32 && constant_eq(v, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_the_session_or_pre_session() {
        let pre = "p".repeat(43);
        let anonymous = token_for(b"k", None, &pre);
        assert_ne!(anonymous, pre, "a planted cookie is not its own token");
        assert_ne!(token_for(b"other", None, &pre), anonymous);
        assert_ne!(token_for(b"k", Some("s1"), &pre), anonymous);
        assert_ne!(
            token_for(b"k", Some("s1"), ""),
            token_for(b"k", Some("s2"), "")
        );
        assert_eq!(anonymous.len(), 43);
    }

    #[test]
    fn only_a_matching_token_passes() {
        let t = "a".repeat(43);
        let body = Bytes::from(format!("x=1&csrf={t}"));
        assert!(csrf_matches(Some(&t), &body));
        assert!(!csrf_matches(None, &body));
        assert!(!csrf_matches(Some(&"b".repeat(43)), &body));
        assert!(!csrf_matches(Some(&t), &Bytes::from("x=1")));
        assert!(!csrf_matches(Some(""), &Bytes::from("csrf=")));
    }
}
