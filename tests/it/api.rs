//! The articles JSON API (PRODUCT.md shapes).

use sahifa::ingest::Incoming;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn articles_list_newest_first_and_single_article_shape() {
    let app = TestApp::spawn().await;
    let rec = |id: &str, when: &str| Incoming {
        id: Some(id.into()),
        title: Some(format!("عنوان {id}")),
        body: "فقرة\nفقرة أخرى".into(),
        category: Some("economy".into()),
        url: Some(format!("https://example.com/{id}")),
        published: sahifa::ingest::jsonl::parse_time(when),
        ..Incoming::default()
    };
    app.ingest(vec![
        rec("old", "2026-01-01T00:00:00Z"),
        rec("new", "2026-03-01T00:00:00Z"),
        rec("mid", "2026-02-01T00:00:00Z"),
    ])
    .await;

    let list: Vec<Value> = app
        .get("/api/v1/articles?limit=2")
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = list.iter().map(|a| a["id"].as_str().expect("id")).collect();
    assert_eq!(ids, vec!["new", "mid"]);
    let list: Vec<Value> = app
        .get("/api/v1/articles?limit=2&offset=2")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], "old");

    let r = app.get("/api/v1/articles/test/mid").await;
    assert_eq!(r.status(), 200);
    let a: Value = r.json().await.expect("json");
    let mut keys: Vec<&str> = a
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "body",
            "id",
            "published",
            "section",
            "source",
            "story",
            "subtitle",
            "tags",
            "title",
            "url"
        ]
    );
    assert_eq!(a["story"], Value::Null, "alone in its story");
    assert_eq!(a["body"], serde_json::json!(["فقرة", "فقرة أخرى"]));
    assert_eq!(a["section"], "economy");
    assert_eq!(a["published"], "2026-02-01T00:00:00Z");
    assert!(a["tags"].is_array());

    let r = app.get("/api/v1/articles/test/none").await;
    assert_eq!(r.status(), 404);
    let r = app.get("/api/v1/articles?limit=abc").await;
    assert_eq!(r.status(), 400);
}
