//! The accounts JSON API contracts (PRODUCT.md) and `/api/v1/openapi.json`.

use serde_json::{Value, json};

use crate::accounts_support::{SmtpSink, client, spawn_app, spawn_with};
use crate::helpers::databases;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn accounts_tokens_and_me_keep_their_exact_shapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_app(&db.url, &sink.url()).await;
        let http = client();
        let email = format!("api-{}@example.com", db.name);
        let r = http
            .post(format!("{}/api/v1/accounts", app.addr))
            .json(&json!({"email": email.to_uppercase(), "password": "a long password"}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 201);
        let created: Value = r.json().await.expect("json");
        assert_eq!(keys(&created), ["email", "id"]);
        assert_eq!(created["email"], email.as_str());
        let mail = sink.next_for(&email, 0).await;
        assert!(
            mail.link("/verify?token=").is_some(),
            "the verification e-mail"
        );
        assert!(
            mail.headers
                .iter()
                .any(|(k, v)| k == "Content-Type" && v.contains("multipart/alternative")),
            "{:?}",
            mail.headers
        );
        assert!(mail.headers.iter().any(|(k, v)| k == "To" && v == &email));

        let r = http
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(&json!({"email": email, "password": "a long password", "name": "app"}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 201);
        let t: Value = r.json().await.expect("json");
        assert_eq!(keys(&t), ["token"]);
        let r = http
            .get(format!("{}/api/v1/me", app.addr))
            .header(
                "authorization",
                format!("Bearer {}", t["token"].as_str().expect("token")),
            )
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 200);
        let me: Value = r.json().await.expect("json");
        assert_eq!(keys(&me), ["email", "id", "role", "verified"]);
        assert_eq!(me["id"], created["id"]);
        assert_eq!(me["role"], "reader");
        assert_eq!(me["verified"], false);

        // Errors are JSON and name the problem.
        for (body, status) in [
            (
                json!({"email": "not-an-address", "password": "a long password"}),
                400,
            ),
            (json!({"email": "x@example.com", "password": "short"}), 400),
            (json!({"email": "x@example.com"}), 400),
        ] {
            let r = http
                .post(format!("{}/api/v1/accounts", app.addr))
                .json(&body)
                .send()
                .await
                .expect("POST");
            assert_eq!(r.status().as_u16(), status, "{body}");
            let e: Value = r.json().await.expect("json error");
            assert!(e["error"].as_str().is_some_and(|m| !m.is_empty()));
        }
        for auth in [None, Some("Bearer nope"), Some("Basic abc")] {
            let mut req = http.get(format!("{}/api/v1/me", app.addr));
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            assert_eq!(req.send().await.expect("GET").status(), 401, "{auth:?}");
        }
        let r = http
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(&json!({"email": email, "password": "wrong password", "name": "app"}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 401);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn a_required_verified_address_gates_api_tokens() {
    let sink = SmtpSink::start();
    let app = spawn_with("", &sink.url(), |c| c.require_verified_email = true).await;
    let http = client();
    let new_token = || {
        http.post(format!("{}/api/v1/tokens", app.addr))
            .json(
                &json!({"email": "strict@example.com", "password": "a long password", "name": "x"}),
            )
            .send()
    };
    let r = http
        .post(format!("{}/api/v1/accounts", app.addr))
        .json(&json!({"email": "strict@example.com", "password": "a long password"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    assert_eq!(new_token().await.expect("POST").status(), 403);
    let mail = sink.next_for("strict@example.com", 0).await;
    let link = mail.link("/verify?token=").expect("link");
    assert_eq!(http.get(&link).send().await.expect("GET").status(), 200);
    assert_eq!(new_token().await.expect("POST").status(), 201);
}

#[tokio::test]
async fn openapi_describes_every_endpoint() {
    let app = spawn_app("", "").await;
    let r = client()
        .get(format!("{}/api/v1/openapi.json", app.addr))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/v1/articles", "get"),
        ("/api/v1/articles/{source}/{id}", "get"),
        ("/api/v1/search", "get"),
        ("/api/v1/accounts", "post"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/me", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    let params: Vec<&str> = paths["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .expect("search parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for p in [
        "q", "limit", "offset", "section", "source", "from", "to", "sort",
    ] {
        assert!(params.contains(&p), "search parameter {p}: {params:?}");
    }
    let schemas = &doc["components"]["schemas"];
    let hit: Vec<&str> = schemas["HitJson"]["properties"]
        .as_object()
        .expect("hit properties")
        .keys()
        .map(String::as_str)
        .collect();
    for f in ["id", "source", "title", "score", "snippet", "url"] {
        assert!(hit.contains(&f), "search hit field {f}");
    }
    assert!(schemas["SearchJson"]["properties"]["total"].is_object());
    assert!(schemas["AccountCreated"]["properties"]["id"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
