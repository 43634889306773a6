//! Search: the fixture article by word and by phrase, deletes and updates reflected at once,
//! bad queries, the API shape, and an index repaired from the store on start-up; on SQLite
//! and PostgreSQL.

use sahifa::ingest::Incoming;
use serde_json::Value;

use crate::helpers::{TestApp, databases, stored_article};

const FIXTURE_ID: &str = "libya-benghazi-haftar";

async fn api(app: &TestApp, query: &str) -> (u16, Value) {
    let r = app.get(&format!("/api/v1/search?{query}")).await;
    let status = r.status().as_u16();
    let body = r.text().await.expect("body");
    let v = serde_json::from_str(&body).unwrap_or_else(|e| {
        panic!("{query}: answered {status} with a body that is not JSON ({e}): {body}")
    });
    (status, v)
}

/// The ids of a search answer's hits; an answer without hits (an error) fails the test.
fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("no hits in the answer: {v}"))
        .iter()
        .map(|h| h["id"].as_str().expect("a hit has an id").to_string())
        .collect()
}

fn q(s: &str) -> String {
    sahifa::web::pages::encode(s)
}

fn record(id: &str, title: &str, body: &str) -> Incoming {
    Incoming {
        id: Some(id.into()),
        title: Some(title.into()),
        body: body.into(),
        category: Some("economy".into()),
        ..Incoming::default()
    }
}

#[tokio::test]
async fn fixture_is_found_by_word_and_phrase_on_both_backends() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("tempdir");
        let app = TestApp::spawn_on(data, &db.url).await;
        sahifa::demo::load(&app.state.newsroom).await.expect("demo");
        // Both words of the phrase, never next to each other.
        app.ingest(vec![record(
            "apart",
            "الليبي يتحدث",
            "قال المواطن الليبي إن الجيش لم يصل بعد إلى ليبيا",
        )])
        .await;

        let (status, v) = api(&app, &format!("q={}", q("ليبيا"))).await;
        assert_eq!(status, 200, "{}", db.name);
        assert!(
            ids(&v).contains(&FIXTURE_ID.to_string()),
            "{}: {v}",
            db.name
        );
        // Another spelling of the same word (nisba, tashkeel) finds it too.
        let (_, v) = api(&app, &format!("q={}", q("اللِّيبيّة"))).await;
        assert!(
            ids(&v).contains(&FIXTURE_ID.to_string()),
            "{}: {v}",
            db.name
        );

        let (_, v) = api(&app, &format!("q={}", q("\"الجيش الليبي\""))).await;
        assert!(
            ids(&v).contains(&FIXTURE_ID.to_string()),
            "{}: {v}",
            db.name
        );
        assert!(
            !ids(&v).contains(&"apart".to_string()),
            "{}: not a phrase match: {v}",
            db.name
        );
        let (_, v) = api(&app, &format!("q={}", q("الجيش الليبي"))).await;
        assert!(
            ids(&v).contains(&"apart".to_string()),
            "{}: free words match: {v}",
            db.name
        );
        // Exclusion removes it, and only the articles holding the excluded word.
        let (status, v) = api(&app, &format!("q={}", q("ليبيا -بنغازي"))).await;
        assert_eq!(status, 200, "{}: {v}", db.name);
        let found = ids(&v);
        assert!(!found.contains(&FIXTURE_ID.to_string()), "{}: {v}", db.name);
        assert!(found.contains(&"apart".to_string()), "{}: {v}", db.name);

        let page = app.get(&format!("/search?q={}", q("ليبيا"))).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("<mark>"), "no highlight on the page");
        assert!(html.contains(&format!("/articles/asharq-alawsat/{FIXTURE_ID}")));
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn deletes_and_updates_are_reflected_at_once_on_both_backends() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("tempdir");
        let app = TestApp::spawn_on(data, &db.url).await;
        app.ingest(vec![
            record("quake", "زلزال يضرب المدينة", "شعر السكان بالزلزال القوي"),
            record("other", "أسعار النفط", "ارتفعت أسعار النفط اليوم"),
        ])
        .await;
        let (_, v) = api(&app, &format!("q={}", q("زلزال"))).await;
        assert_eq!(ids(&v), vec!["quake"], "{}", db.name);

        // Update: the same identity with new content replaces the old document.
        app.ingest(vec![record(
            "quake",
            "بركان يثور",
            "ثار البركان صباح اليوم",
        )])
        .await;
        let (_, v) = api(&app, &format!("q={}", q("زلزال"))).await;
        assert_eq!(v["total"], 0, "{}: stale text still found: {v}", db.name);
        let (_, v) = api(&app, &format!("q={}", q("البركان"))).await;
        assert_eq!(ids(&v), vec!["quake"], "{}", db.name);

        // Delete.
        let removed = app
            .state
            .newsroom
            .remove("test", Some(&["quake".to_string()]))
            .await
            .expect("remove");
        assert_eq!(removed, 1, "{}", db.name);
        let (_, v) = api(&app, &format!("q={}", q("بركان"))).await;
        assert_eq!(v["total"], 0, "{}: deleted article still found", db.name);
        let (_, v) = api(&app, &format!("q={}", q("النفط"))).await;
        assert_eq!(ids(&v), vec!["other"], "{}", db.name);
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn bad_queries_never_fail() {
    let app = TestApp::spawn().await;
    app.ingest(vec![record("a", "عنوان عربي", "نص عربي عن title والأسواق")])
        .await;
    let long = "ب".repeat(10_000);
    let queries = [
        "",
        "   ",
        "؟!…،",
        "\"",
        "\"الجيش",
        "«عربي",
        "title:عربي",
        "*",
        "(عربي OR",
        "عربي AND -",
        "-",
        "--عربي",
        "-عربي",
        "mixed عربي English",
        "\u{200f}\u{202e}",
        "a:b:c ^2 ~3 [1 TO 2] {x} \\",
        long.as_str(),
    ];
    for query in queries {
        for path in ["/api/v1/search?q=", "/search?q="] {
            let r = app.get(&format!("{path}{}", q(query))).await;
            assert_eq!(r.status(), 200, "{path} {query:?}");
        }
    }
    // Text from articles and queries is escaped on the page; only our <mark> is markup.
    app.ingest(vec![record(
        "x",
        "<b>خبر</b> مهم",
        "<img src=x onerror=alert(1)> خبر عاجل",
    )])
    .await;
    let html = app
        .get(&format!("/search?q={}", q("خبر <script>alert(1)</script>")))
        .await
        .text()
        .await
        .expect("html");
    assert!(!html.contains("<script>alert(1)") && !html.contains("<img src=x"));
    assert!(!html.contains("<b>خبر"));
    assert!(html.contains("<mark>خبر</mark>"));
    let (_, v) = api(&app, &format!("q={}", q("title:عربي"))).await;
    assert_eq!(ids(&v), vec!["a"], "syntax characters are just text");
    let (_, v) = api(&app, &format!("q={}", q(&long))).await;
    assert_eq!(v["total"], 0);
    // Bad parameters are a 400 naming the parameter.
    for (query, name) in [
        ("q=x&limit=abc", "limit"),
        ("q=x&offset=-1", "offset"),
        ("q=x&section=politics", "section"),
        ("q=x&from=yesterday", "from"),
        ("q=x&sort=random", "sort"),
    ] {
        let (status, v) = api(&app, query).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            v["message"].as_str().unwrap_or("").contains(name),
            "{query}: {v}"
        );
    }
}

#[tokio::test]
async fn api_shape_filters_sort_and_pages() {
    let app = TestApp::spawn().await;
    let rec = |id: &str, cat: &str, when: &str| Incoming {
        id: Some(id.into()),
        title: Some(format!("مباراة كرة القدم {id}")),
        body: "فاز الفريق في المباراة".into(),
        category: Some(cat.into()),
        published: sahifa::ingest::jsonl::parse_time(when),
        ..Incoming::default()
    };
    app.ingest(vec![
        rec("s1", "sport", "2026-01-10T00:00:00Z"),
        rec("s2", "sport", "2026-03-10T00:00:00Z"),
        rec("e1", "economy", "2026-02-10T00:00:00Z"),
    ])
    .await;
    let (status, v) = api(&app, &format!("q={}&limit=2", q("المباراة"))).await;
    assert_eq!(status, 200);
    let mut keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["hits", "total"]);
    assert_eq!(v["total"], 3);
    assert_eq!(v["hits"].as_array().expect("hits").len(), 2);
    let hit = &v["hits"][0];
    let mut keys: Vec<&String> = hit.as_object().expect("hit").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["id", "score", "snippet", "source", "title", "url"]
    );
    assert_eq!(
        hit["url"],
        format!("/articles/test/{}", hit["id"].as_str().expect("id"))
    );
    assert!(hit["score"].as_f64().expect("score") > 0.0);

    let (_, v) = api(&app, &format!("q={}&sort=date", q("المباراة"))).await;
    assert_eq!(ids(&v), vec!["s2", "e1", "s1"]);
    let (_, v) = api(
        &app,
        &format!("q={}&sort=date&offset=1&limit=1", q("المباراة")),
    )
    .await;
    assert_eq!(ids(&v), vec!["e1"]);
    let (_, v) = api(
        &app,
        &format!("q={}&section=sport&sort=date", q("المباراة")),
    )
    .await;
    assert_eq!(ids(&v), vec!["s2", "s1"]);
    let (_, v) = api(
        &app,
        &format!("q={}&from=2026-02-01&to=2026-02-28", q("المباراة")),
    )
    .await;
    assert_eq!(ids(&v), vec!["e1"]);
    let (_, v) = api(&app, &format!("q={}&source=elsewhere", q("المباراة"))).await;
    assert_eq!(v["total"], 0);
}

/// A data folder with its SQLite store, for tests that restart the application.
fn sqlite_config(dir: &std::path::Path) -> sahifa::config::Config {
    sahifa::config::Config {
        data_dir: dir.to_path_buf(),
        database_url: format!("sqlite://{}", dir.join("app.db").display()),
        ..sahifa::config::Config::default()
    }
}

/// How many articles a search for `word` finds.
fn found(state: &sahifa::app::AppState, word: &str) -> usize {
    let req = sahifa::search::SearchRequest {
        q: word.into(),
        limit: 10,
        ..Default::default()
    };
    state.search.search(&req).expect("search").total
}

#[tokio::test]
async fn a_missing_stale_or_corrupt_index_is_rebuilt_on_start() {
    let data = tempfile::tempdir().expect("tempdir");
    let index_dir = data.path().join("index");
    let config = || sqlite_config(data.path());
    {
        let state = sahifa::app::AppState::build(config()).await.expect("state");
        state
            .newsroom
            .ingest_records(vec![record("a", "قمة الرياض", "انعقدت القمة")], "test", "t")
            .await
            .expect("ingest");
        // As if the process died mid-import: stored, never indexed nor committed.
        let mut orphan = state
            .pipeline
            .prepare(record("b", "معرض الكتاب", "افتتح المعرض"), "test")
            .expect("prepare");
        orphan.content_hash = orphan.compute_hash();
        state
            .store
            .upsert_articles(&mut [orphan])
            .await
            .expect("store");
        assert_eq!(found(&state, "معرض"), 0);
    }
    let state = sahifa::app::AppState::build(config()).await.expect("state");
    assert_eq!(found(&state, "معرض"), 1, "stale index not repaired");
    drop(state);

    // Corrupt: garbage metadata.
    std::fs::write(index_dir.join("meta.json"), b"{ not json").expect("write");
    let state = sahifa::app::AppState::build(config()).await.expect("state");
    assert_eq!(found(&state, "القمة"), 1, "corrupt index not rebuilt");
    drop(state);

    // Missing: the folder is gone.
    std::fs::remove_dir_all(&index_dir).expect("rm");
    let state = sahifa::app::AppState::build(config()).await.expect("state");
    assert_eq!(found(&state, "الكتاب"), 1, "missing index not rebuilt");
}

#[tokio::test]
async fn cli_search_json_and_reindex() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("in.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"n1\",\"title\":\"انتخابات في ليبيا\",\"body\":\"صوّت الليبيون اليوم\"}\n\
         {\"id\":\"n2\",\"title\":\"أسعار النفط\",\"body\":\"ارتفعت الأسعار\"}\n",
    )
    .expect("write");
    let o = crate::helpers::sahifa(data.path(), None, &["import", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", crate::helpers::stderr(&o));
    let o = crate::helpers::sahifa(
        data.path(),
        None,
        &["search", "--json", "--limit", "5", "ليبيا"],
    );
    assert!(o.status.success(), "{}", crate::helpers::stderr(&o));
    let lines: Vec<Value> = crate::helpers::stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 1);
    let mut keys: Vec<&String> = lines[0].as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["id", "score", "snippet", "source", "title"]);
    assert_eq!(lines[0]["id"], "n1");
    assert!(
        lines[0]["snippet"]
            .as_str()
            .expect("snippet")
            .contains("الليبيون")
    );

    std::fs::remove_dir_all(data.path().join("index")).expect("rm index");
    let o = crate::helpers::sahifa(data.path(), None, &["reindex"]);
    assert!(o.status.success(), "{}", crate::helpers::stderr(&o));
    assert!(crate::helpers::stdout(&o).contains("indexed 2 articles"));
    let o = crate::helpers::sahifa(data.path(), None, &["search", "--json", "النفط"]);
    assert!(crate::helpers::stdout(&o).contains("\"n2\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn search_command_works_beside_a_server_that_writes_the_index() {
    let app = crate::helpers::TestApp::spawn().await;
    app.ingest(vec![sahifa::ingest::Incoming {
        id: Some("x1".into()),
        title: Some("معارك في بنغازي".into()),
        body: "اشتباكات عنيفة في شرق بنغازي الليبية.".into(),
        ..Default::default()
    }])
    .await;
    // This process now holds tantivy's writer lock; a second process must still search.
    let data = app._dir.path().to_path_buf();
    let db = format!("sqlite://{}", data.join("app.db").display());
    let out = tokio::task::spawn_blocking(move || {
        crate::helpers::sahifa(&data, Some(&db), &["search", "--json", "بنغازي"])
    })
    .await
    .expect("join");
    assert!(out.status.success(), "{}", crate::helpers::stderr(&out));
    assert!(
        crate::helpers::stdout(&out).contains("\"id\":\"x1\""),
        "{}",
        crate::helpers::stdout(&out)
    );
}

#[tokio::test]
async fn a_withdrawn_article_stays_out_of_search_after_a_restart_and_a_changed_reimport() {
    let data = tempfile::tempdir().expect("tempdir");
    let config = || sqlite_config(data.path());
    {
        let state = sahifa::app::AppState::build(config()).await.expect("state");
        let records = vec![
            record("a", "قمة الرياض", "انعقدت القمة"),
            record("b", "معرض الكتاب", "افتتح المعرض"),
        ];
        state
            .newsroom
            .ingest_records(records, "test", "t")
            .await
            .expect("ingest");
        // Withdrawn as the editor's desk does it.
        assert!(
            state
                .newsroom
                .set_status("test", "b", sahifa::newsroom::Publish::Draft)
                .await
                .expect("status")
        );
        assert_eq!(found(&state, "معرض"), 0);
    }
    let state = sahifa::app::AppState::build(config()).await.expect("state");
    assert_eq!(found(&state, "معرض"), 0, "a restart brought the draft back");
    assert_eq!(found(&state, "القمة"), 1);
    // Its source sends a changed version: stored, still withdrawn, still not searchable.
    state
        .newsroom
        .ingest_records(
            vec![record("b", "معرض الكتاب", "افتتح المعرض الدولي")],
            "test",
            "t",
        )
        .await
        .expect("reimport");
    assert_eq!(
        found(&state, "معرض"),
        0,
        "a changed re-import published the draft"
    );
    let stored = stored_article(&state.store, "test", "b").await;
    assert!(stored.body.join(" ").contains("الدولي"));
    drop(state);
    let state = sahifa::app::AppState::build(config()).await.expect("state");
    assert_eq!(found(&state, "معرض"), 0);
    assert_eq!(found(&state, "القمة"), 1);
}
