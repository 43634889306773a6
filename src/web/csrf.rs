//! CSRF protection for every state-changing form: the double-submit pattern. A random token
//! lives in an HttpOnly, SameSite=Lax cookie and in a hidden `csrf` field of each form; a
//! POST whose field does not match the cookie is refused with 403 before its handler runs,
//! so nothing changes.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;

use super::session::{CSRF_COOKIE, cookie, error_page};
use crate::accounts::tokens::constant_eq;
use crate::app::AppState;

/// Largest form body accepted (the desk's article form is the biggest).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// A url-encoded form whose `csrf` field matched the CSRF cookie.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let expected = cookie(req.headers(), CSRF_COOKIE);
        let body = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                error_page(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Some(&*crate::locale::Tr::new(crate::locale::current()).get("form-too-large")),
                )
            })?;
        if !csrf_matches(expected.as_deref(), &body) {
            let _ = state;
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

/// Whether the form's `csrf` field equals the cookie's token.
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
