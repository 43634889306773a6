//! `/metrics`: Prometheus text with what was served and how large the site is.

use sahifa::ingest::Incoming;

use crate::helpers::TestApp;

#[tokio::test]
async fn metrics_count_searches_responses_and_articles() {
    let app = TestApp::spawn().await;
    let records = vec![Incoming {
        id: Some("m1".into()),
        title: Some("قمة الرياض".into()),
        body: "انعقدت القمة في الرياض".into(),
        ..Incoming::default()
    }];
    app.state
        .newsroom
        .ingest_records(records, "wire", "test")
        .await
        .expect("ingest");
    // The import waits a few seconds at most for the index to follow it; a loaded machine
    // can take longer, so wait for the index itself (this is no request: nothing counted).
    let start = std::time::Instant::now();
    while app.state.search.num_docs() != 1 {
        assert!(
            start.elapsed().as_secs() < 60,
            "the index never showed the article"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let r = app
        .get("/api/v1/search?q=%D8%A7%D9%84%D9%82%D9%85%D8%A9")
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let hits: serde_json::Value = r.json().await.expect("json");
    assert_eq!(hits["hits"][0]["id"], "m1", "{hits}");
    assert_eq!(app.get("/no/such/page").await.status().as_u16(), 404);

    let r = app.get("/metrics").await;
    assert_eq!(r.status().as_u16(), 200);
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = r.text().await.expect("body");
    for line in [
        "sahifa_search_duration_seconds_count 1",
        "sahifa_http_responses_total{class=\"2xx\"} 1",
        "sahifa_http_responses_total{class=\"4xx\"} 1",
        "sahifa_articles 1",
        "sahifa_articles_published 1",
        "sahifa_search_index_documents 1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
    }
}
