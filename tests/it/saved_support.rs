//! Support for the saved-articles tests: members with API tokens, records, API calls.

use sahifa::ingest::Incoming;
use serde_json::{Value, json};

use crate::accounts_support::client;
use crate::helpers::TestApp;

/// A member of the app with a bearer token and a cookie client (signed in on the pages).
pub struct Member {
    pub token: String,
    pub web: reqwest::Client,
}

impl Member {
    /// Signs a new member up through the API, takes a token, and signs the web client in.
    pub async fn new(app: &TestApp, email: &str) -> Member {
        let http = client();
        let password = "saved password 1";
        let r = http
            .post(format!("{}/api/v1/accounts", app.addr))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("POST accounts");
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
        let r = http
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(&json!({"email": email, "password": password, "name": "test"}))
            .send()
            .await
            .expect("POST tokens");
        assert_eq!(r.status(), 201);
        let t: Value = r.json().await.expect("token json");
        let web = client();
        let (status, _, body) = crate::accounts_support::sign_in(&web, app, email, password).await;
        assert_eq!(status, 303, "signed in: {body}");
        Member {
            token: t["token"].as_str().expect("token").to_string(),
            web,
        }
    }

    fn auth(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        r.header("authorization", format!("Bearer {}", self.token))
    }

    /// `PUT /api/v1/saved/{source}/{id}` with an optional note: (status, body).
    pub async fn save(
        &self,
        app: &TestApp,
        source: &str,
        id: &str,
        note: Option<&str>,
    ) -> (u16, Value) {
        let mut r = self.auth(client().put(format!("{}/api/v1/saved/{source}/{id}", app.addr)));
        if let Some(n) = note {
            r = r.json(&json!({ "note": n }));
        }
        let r = r.send().await.expect("PUT saved");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A GET of the JSON API as this member: (status, body).
    pub async fn api(&self, app: &TestApp, path: &str) -> (u16, Value) {
        let r = self
            .auth(client().get(format!("{}{path}", app.addr)))
            .send()
            .await
            .expect("GET api");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A GET returning raw text (exports) as this member: (status, content type, body).
    pub async fn raw(&self, app: &TestApp, path: &str) -> (u16, String, String) {
        let r = self
            .auth(client().get(format!("{}{path}", app.addr)))
            .send()
            .await
            .expect("GET");
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, ctype, r.text().await.expect("body"))
    }

    /// `/api/v1/saved?…`: the list.
    pub async fn list(&self, app: &TestApp, query: &str) -> Value {
        let (status, v) = self.api(app, &format!("/api/v1/saved?{query}")).await;
        assert_eq!(status, 200, "{v}");
        v
    }

    /// A page as this member (cookie session): (status, body).
    pub async fn page(&self, app: &TestApp, path: &str) -> (u16, String) {
        crate::accounts_support::get(&self.web, app, path).await
    }

    /// `POST /api/v1/saved/import` with `body`: (status, report).
    pub async fn import(&self, app: &TestApp, body: String) -> (u16, Value) {
        let r = self
            .auth(client().post(format!("{}/api/v1/saved/import", app.addr)))
            .header("content-type", "application/x-ndjson")
            .body(body)
            .send()
            .await
            .expect("POST import");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

/// An article record of `source` with `body` (paragraphs split on `\n`).
pub fn article(source: &str, id: &str, title: &str, body: &str) -> Incoming {
    Incoming {
        id: Some(id.into()),
        source: Some(source.into()),
        title: Some(title.into()),
        body: body.into(),
        category: Some("middleEast".into()),
        published: sahifa::ingest::jsonl::parse_time("2026-11-29T09:00:00+03:00"),
        ..Incoming::default()
    }
}

/// The (source, id) pairs of a saved list.
pub fn keys(list: &Value) -> Vec<(String, String)> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["source"].as_str().unwrap_or("").to_string(),
                i["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}
