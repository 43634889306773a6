//! What every answer shares, in one middleware: under `/api/v1/` a body sent with
//! `POST`/`PUT`/`PATCH` must be `application/json` (415 otherwise), every error is JSON
//! `{"error","message"}` ([`super::error::api_error_response`]) whoever made it (a handler,
//! an extractor's rejection, the router's 404 and 405, the body limit's 413), and answers
//! that may carry a secret or personal data are `Cache-Control: no-store`. Elsewhere an
//! error that has no body of its own (the router's 405, a timeout) gets the localized error
//! page.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::error::{api_error_response, status_code_name};

/// The prefix of the JSON API.
const API: &str = "/api/v1/";
/// The one route whose body is JSON Lines rather than one JSON document.
const IMPORT: &str = "/api/v1/saved/import";
/// Bytes of a non-JSON error body read to become the JSON error's message.
const MAX_MESSAGE_BYTES: usize = 4096;

/// Whether the request carries a body (a length above zero, or a chunked one).
fn has_body(headers: &HeaderMap) -> bool {
    match headers.get(header::CONTENT_LENGTH) {
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_none_or(|n| n > 0),
        None => headers.contains_key(header::TRANSFER_ENCODING),
    }
}

/// Whether `Content-Type` is `application/json` (any letter case, optionally with
/// `charset=utf-8`); on the import route the JSON Lines types too.
pub fn is_json_type(headers: &HeaderMap, path: &str) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';').map(|p| p.trim().to_ascii_lowercase());
    let essence = parts.next().unwrap_or_default();
    let charset_ok = parts.all(|p| match p.split_once('=') {
        Some((k, v)) if k.trim() == "charset" => {
            matches!(v.trim().trim_matches('"'), "utf-8" | "utf8")
        }
        _ => true,
    });
    let json = essence == "application/json"
        || (path == IMPORT
            && matches!(
                essence.as_str(),
                "application/x-ndjson" | "application/jsonl" | "application/json-lines"
            ));
    json && charset_ok
}

/// Whether an answer to this request may hold a secret or personal data: any write (a new
/// token, an account), anything asked with credentials, the member's own resources.
fn personal(method: &Method, headers: &HeaderMap, path: &str) -> bool {
    let own = [
        "/api/v1/me",
        "/api/v1/saved",
        "/api/v1/feed",
        "/api/v1/follows",
    ];
    !matches!(*method, Method::GET | Method::HEAD)
        || headers.contains_key(header::AUTHORIZATION)
        || headers.contains_key(header::COOKIE)
        || own.iter().any(|p| path.starts_with(p))
}

/// The middleware (see the module documentation).
pub async fn api_layer(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !path.starts_with(API) {
        let resp = next.run(req).await;
        return page_error(resp);
    }
    let method = req.method().clone();
    let no_store = personal(&method, req.headers(), &path);
    if matches!(method, Method::POST | Method::PUT | Method::PATCH)
        && has_body(req.headers())
        && !is_json_type(req.headers(), &path)
    {
        let message = if path == IMPORT {
            "send the JSON Lines export as application/x-ndjson"
        } else {
            "the body must be sent as Content-Type: application/json"
        };
        return api_error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
        );
    }
    let mut resp = json_error(next.run(req).await).await;
    if no_store {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// An error answer that is not JSON yet, as JSON: the plain-text explanation an extractor
/// gave becomes the message, any other body (the router's HTML 404) a sentence for its
/// status. Headers such as `Allow` and `Retry-After` are kept.
async fn json_error(resp: Response) -> Response {
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if status.as_u16() < 400 || content_type.starts_with("application/json") {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let plain = content_type.starts_with("text/plain")
        && !parts.headers.contains_key(header::CONTENT_ENCODING);
    let text = if plain {
        axum::body::to_bytes(body, MAX_MESSAGE_BYTES)
            .await
            .ok()
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .filter(|t| !t.is_empty())
    } else {
        None
    };
    let message = text.unwrap_or_else(|| default_message(status).to_string());
    let mut out = api_error_response(status, status_code_name(status), &message);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

/// What an error with `status` and no explanation of its own says.
fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "no such resource under /api/v1/ (see /api/v1/openapi.json)",
        405 => "this method is not allowed here (see the Allow header)",
        408 => "the request took too long",
        413 => "the body is too large",
        _ if status.is_server_error() => "internal error",
        _ => "the request was refused",
    }
}

/// A page error with no body of its own (the router's 405, a timeout) as the localized
/// error page.
fn page_error(resp: Response) -> Response {
    if resp.status().as_u16() < 400 || resp.headers().contains_key(header::CONTENT_TYPE) {
        return resp;
    }
    let (parts, _) = resp.into_parts();
    let mut out = super::session::error_page(parts.status, None);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_type(t: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(t).expect("header"),
        );
        h
    }

    #[test]
    fn only_json_types_pass() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
        ] {
            assert!(is_json_type(&with_type(ok), "/api/v1/accounts"), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin1",
            "application/jsonx",
        ] {
            assert!(!is_json_type(&with_type(bad), "/api/v1/accounts"), "{bad}");
        }
        assert!(!is_json_type(&HeaderMap::new(), "/api/v1/accounts"));
        assert!(is_json_type(&with_type("application/x-ndjson"), IMPORT));
        assert!(!is_json_type(
            &with_type("application/x-ndjson"),
            "/api/v1/tokens"
        ));
    }
}
