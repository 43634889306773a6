//! Issue 17, point 7: under `/api/v1/` every error is JSON `{"error","message"}` with the
//! right status, whoever makes it (a handler, an extractor, the router, the body limit);
//! paging is refused or clamped the same way by every list; answers with secrets or
//! personal data are `no-store`; pages keep their localized error page; the API
//! description has the error schema and the 415s.

use serde_json::{Value, json};

use crate::accounts_support::spawn_app;
use crate::helpers::{TestApp, databases};
use crate::saved_support::Member;

/// Sends `req`; checks the answer is a JSON error with `status` and returns its code.
async fn error_of(req: reqwest::RequestBuilder, status: u16, case: &str) -> String {
    let r = req.send().await.expect("send");
    assert_eq!(r.status().as_u16(), status, "{case}");
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ctype.starts_with("application/json"), "{case}: {ctype}");
    let v: Value = r.json().await.unwrap_or(Value::Null);
    let keys: Vec<&String> = v
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["error", "message"], "{case}: {v}");
    assert!(
        v["message"].as_str().is_some_and(|m| m.len() > 5),
        "{case}: {v}"
    );
    v["error"].as_str().unwrap_or("").to_string()
}

fn cache_control(r: &reqwest::Response) -> String {
    r.headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn walk(app: &TestApp, name: &str) {
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", app.addr);
    let json_post = |p: &str, body: Vec<u8>| {
        http.post(url(p))
            .header("content-type", "application/json")
            .body(body)
    };
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        (
            "list limit=abc",
            http.get(url("/api/v1/articles?limit=abc")),
            400,
            "bad_request",
        ),
        (
            "list limit=-1",
            http.get(url("/api/v1/articles?limit=-1")),
            400,
            "bad_request",
        ),
        (
            "list limit=%ZZ",
            http.get(url("/api/v1/articles?limit=%ZZ")),
            400,
            "bad_request",
        ),
        (
            "search limit=abc",
            http.get(url("/api/v1/search?q=x&limit=abc")),
            400,
            "bad_request",
        ),
        (
            "search limit=-1",
            http.get(url("/api/v1/search?q=x&limit=-1")),
            400,
            "bad_request",
        ),
        (
            "bad percent-encoding in the path",
            http.get(url("/api/v1/articles/%FF/x")),
            400,
            "bad_request",
        ),
        (
            "unknown article",
            http.get(url("/api/v1/articles/none/none")),
            404,
            "not_found",
        ),
        (
            "unknown route",
            http.get(url("/api/v1/no-such-thing")),
            404,
            "not_found",
        ),
        (
            "unknown route, deeper",
            http.get(url("/api/v1/articles/a/b/c")),
            404,
            "not_found",
        ),
        (
            "wrong method",
            http.delete(url("/api/v1/articles")),
            405,
            "method_not_allowed",
        ),
        ("no token", http.get(url("/api/v1/me")), 401, "unauthorized"),
        (
            "body too large",
            json_post("/api/v1/accounts", vec![b' '; 3 * 1024 * 1024]),
            413,
            "payload_too_large",
        ),
        (
            "JSON syntax error",
            json_post("/api/v1/accounts", br#"{"email":"#.to_vec()),
            400,
            "invalid_json",
        ),
        (
            "empty body",
            json_post("/api/v1/accounts", Vec::new()),
            400,
            "invalid_json",
        ),
        (
            "missing field",
            json_post("/api/v1/accounts", br#"{"email":"m@example.com"}"#.to_vec()),
            400,
            "invalid_body",
        ),
        (
            "byte-order mark before a syntax error",
            json_post("/api/v1/accounts", b"\xEF\xBB\xBF{".to_vec()),
            400,
            "invalid_json",
        ),
        (
            "not JSON",
            http.post(url("/api/v1/accounts"))
                .header("content-type", "text/plain")
                .body("{}"),
            415,
            "unsupported_media_type",
        ),
    ];
    for (case, req, status, code) in cases {
        assert_eq!(error_of(req, status, case).await, code, "{name}: {case}");
    }
    // The missing field is named; the 405 says what is allowed.
    let r = json_post("/api/v1/accounts", br#"{"email":"m@example.com"}"#.to_vec())
        .send()
        .await
        .expect("POST");
    let v: Value = r.json().await.expect("json");
    assert!(
        v["message"].as_str().unwrap_or("").contains("`password`"),
        "{v}"
    );
    let r = http
        .delete(url("/api/v1/articles"))
        .send()
        .await
        .expect("DELETE");
    assert!(r.headers().contains_key("allow"), "{name}: 405 keeps Allow");
    let v: Value = http
        .get(url("/api/v1/articles?limit=abc"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert!(v["message"].as_str().unwrap_or("").contains("limit"), "{v}");

    // Paging: the same rule everywhere, a limit out of range is clamped.
    for path in ["/api/v1/articles?limit=0", "/api/v1/articles?limit=100000"] {
        let r = http.get(url(path)).send().await.expect("GET");
        assert_eq!(r.status(), 200, "{name}: {path}");
    }
    for path in [
        "/api/v1/search?q=x&limit=0",
        "/api/v1/search?q=x&limit=100000",
    ] {
        let r = http.get(url(path)).send().await.expect("GET");
        assert_eq!(r.status(), 200, "{name}: {path}");
    }
}

#[tokio::test]
async fn every_api_error_is_json_and_personal_answers_are_not_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        walk(&app, db.name).await;

        // A member's answers are no-store: the new token, /me, saved, feed, follows.
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{}/api/v1/accounts", app.addr))
            .json(&json!({"email": "cache@example.com", "password": "a long password"}))
            .send()
            .await
            .expect("POST");
        assert_eq!(cache_control(&r), "no-store", "{}: accounts", db.name);
        let r = http
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(
                &json!({"email": "cache@example.com", "password": "a long password", "name": "t"}),
            )
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 201);
        assert_eq!(cache_control(&r), "no-store", "{}: tokens", db.name);
        let m = Member::new(&app, "cached@example.com").await;
        for path in [
            "/api/v1/me",
            "/api/v1/saved",
            "/api/v1/feed",
            "/api/v1/follows",
            "/api/v1/newsletters",
        ] {
            let r = http
                .get(format!("{}{path}", app.addr))
                .header("authorization", format!("Bearer {}", m.token))
                .send()
                .await
                .expect("GET");
            assert_eq!(r.status(), 200, "{}: {path}", db.name);
            assert_eq!(cache_control(&r), "no-store", "{}: {path}", db.name);
        }
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn pages_keep_the_localized_error_page_and_the_description_has_the_errors() {
    let app = spawn_app("", "").await;
    let http = reqwest::Client::new();
    for (lang, heading) in [("ar", "الصفحة غير موجودة"), ("en", "Page not found")] {
        let r = http
            .get(format!("{}/no-such-page", app.addr))
            .header("accept-language", lang)
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 404);
        let html = r.text().await.expect("page");
        assert!(html.contains(heading), "{lang}: {html}");
    }
    for (lang, heading) in [("ar", "طريقة غير مسموحة"), ("en", "Not allowed this way")]
    {
        let r = http
            .delete(format!("{}/signin", app.addr))
            .header("accept-language", lang)
            .send()
            .await
            .expect("DELETE");
        assert_eq!(r.status(), 405);
        let html = r.text().await.expect("page");
        assert!(html.contains(heading), "{lang}: a 405 page: {html}");
    }
    let doc: Value = http
        .get(format!("{}/api/v1/openapi.json", app.addr))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let schema = &doc["components"]["schemas"]["ErrorJson"];
    assert!(
        schema["properties"]["error"].is_object() && schema["properties"]["message"].is_object()
    );
    let accounts = &doc["paths"]["/api/v1/accounts"]["post"]["responses"];
    assert!(accounts["415"].is_object(), "{accounts}");
    for code in ["400", "415", "429"] {
        assert_eq!(
            accounts[code]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorJson",
            "{code}: {accounts}"
        );
    }
}
