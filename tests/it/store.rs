//! The store suite, run on SQLite and on PostgreSQL alike.

use chrono::{Duration, Utc};
use sahifa::model::{Article, LabelOrigin, Section, Tag};
use sahifa::store::{Backend, Store, Upsert};

use crate::helpers::{databases, stored_article};

fn article(source: &str, id: &str, title: &str, minutes_ago: i64) -> Article {
    let mut a = Article {
        source: source.into(),
        id: id.into(),
        title: title.into(),
        subtitle: Some("عنوان فرعي".into()),
        body: vec!["الفقرة الأولى".into(), "الفقرة الثانية".into()],
        section: Some(Section::Sport),
        section_confidence: Some(1.0),
        section_origin: LabelOrigin::Source,
        tags: vec![Tag {
            slug: "ليبيا".into(),
            name: "ليبيا".into(),
            kind: "place".into(),
            origin: LabelOrigin::Model,
            score: 0.9,
        }],
        url: Some(format!("https://example.com/{id}")),
        published: Some(Utc::now() - Duration::minutes(minutes_ago)),
        imported: Utc::now(),
        language: "ar".into(),
        content_hash: String::new(),
    };
    a.content_hash = a.compute_hash();
    a
}

#[tokio::test]
async fn upsert_is_idempotent_and_updates_changed_content_on_every_backend() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("connect");
        let a = article("src", "1", "عنوان أول", 10);
        let b = article("src", "2", "عنوان ثان", 5);
        let got = store
            .upsert_articles(&mut [a.clone(), b.clone()])
            .await
            .expect("insert");
        assert_eq!(got, vec![Upsert::Inserted, Upsert::Inserted], "{}", db.name);
        let got = store
            .upsert_articles(&mut [a.clone(), b.clone()])
            .await
            .expect("again");
        assert_eq!(
            got,
            vec![Upsert::Unchanged, Upsert::Unchanged],
            "{}",
            db.name
        );

        let mut changed = a.clone();
        changed.body.push("فقرة جديدة".into());
        changed.content_hash = changed.compute_hash();
        let got = store
            .upsert_articles(&mut [changed.clone()])
            .await
            .expect("update");
        assert_eq!(got, vec![Upsert::Updated], "{}", db.name);
        assert_eq!(
            store.count_articles().await.expect("count"),
            2,
            "{}",
            db.name
        );

        let stored = stored_article(&store, "src", "1").await;
        assert_eq!(stored.body.len(), 3, "{}", db.name);
        assert_eq!(stored.subtitle.as_deref(), Some("عنوان فرعي"));
        assert_eq!(stored.section, Some(Section::Sport));
        assert_eq!(stored.tags.len(), 1);
        assert_eq!(stored.tags[0].name, "ليبيا");
        assert_eq!(
            stored.published.map(|t| t.timestamp_millis()),
            a.published.map(|t| t.timestamp_millis())
        );

        // Newest first.
        let latest = store.latest(10, 0).await.expect("latest");
        assert_eq!(
            latest.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            vec!["2", "1"],
            "{}",
            db.name
        );
        assert_eq!(store.latest(10, 1).await.expect("offset").len(), 1);
        assert_eq!(
            store
                .latest_in_section(Section::Sport, 10, 0)
                .await
                .expect("s")
                .len(),
            2
        );
        assert!(
            store
                .latest_in_section(Section::Economy, 10, 0)
                .await
                .expect("s")
                .is_empty()
        );
        assert_eq!(
            store
                .latest_with_tag("ليبيا", 10, 0)
                .await
                .expect("tag")
                .len(),
            2
        );

        // Withdrawn articles leave public lists but stay readable by id.
        assert!(store.set_status("src", "2", "draft").await.expect("status"));
        assert_eq!(store.latest(10, 0).await.expect("latest").len(), 1);

        assert!(store.delete_article("src", "1").await.expect("delete"));
        assert!(
            !store
                .delete_article("src", "1")
                .await
                .expect("delete twice")
        );
        assert!(store.article("src", "1").await.expect("read").is_none());
        assert!(
            store
                .latest_with_tag("ليبيا", 10, 0)
                .await
                .expect("tag")
                .is_empty()
        );
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn same_identity_in_two_sources_is_two_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("connect");
        let got = store
            .upsert_articles(&mut [article("a", "1", "عنوان", 1), article("b", "1", "عنوان", 1)])
            .await
            .expect("insert");
        assert_eq!(got, vec![Upsert::Inserted, Upsert::Inserted], "{}", db.name);
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn both_backends_keep_migrations_at_the_same_versions() {
    let sqlite: Vec<i64> = Store::known_migrations(Backend::Sqlite)
        .iter()
        .map(|m| m.0)
        .collect();
    let postgres: Vec<i64> = Store::known_migrations(Backend::Postgres)
        .iter()
        .map(|m| m.0)
        .collect();
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres diverge"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("connect");
        assert_eq!(
            store.applied_migrations().await.expect("applied"),
            sqlite,
            "{}",
            db.name
        );
        store.close().await;
        db.drop_schema().await;
    }
}

fn tag(slug: &str) -> Tag {
    Tag {
        slug: slug.into(),
        name: slug.into(),
        kind: "topic".into(),
        origin: LabelOrigin::Model,
        score: 0.5,
    }
}

fn slugs(a: &Article) -> Vec<String> {
    let mut s: Vec<String> = a.tags.iter().map(|t| t.slug.clone()).collect();
    s.sort();
    s
}

#[tokio::test]
async fn tags_are_replaced_not_accumulated_in_large_batches_on_every_backend() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("connect");
        // Many more links than one multi-row statement holds; one tag shared by all.
        let mut batch: Vec<Article> = (0..300)
            .map(|i| {
                let mut a = article("src", &i.to_string(), "عنوان", i);
                a.tags = vec![tag("ليبيا"), tag(&format!("وسم{i}")), tag("ليبيا")];
                a
            })
            .collect();
        store.upsert_articles(&mut batch).await.expect("insert");
        let stored = stored_article(&store, "src", "250").await;
        assert_eq!(slugs(&stored), vec!["ليبيا", "وسم250"], "{}", db.name);
        let shared = store.latest_with_tag("ليبيا", 1000, 0).await.expect("tag");
        assert_eq!(shared.len(), 300, "{}", db.name);

        // Changed content: its tags become the new ones only. The same identity twice in
        // one batch: the later one wins.
        let mut changed = article("src", "7", "عنوان جديد", 7);
        changed.tags = vec![tag("بنغازي")];
        changed.content_hash = changed.compute_hash();
        let mut again = changed.clone();
        again.body.push("فقرة أخرى".into());
        again.tags = vec![tag("حفتر"), tag("بنغازي")];
        again.content_hash = again.compute_hash();
        store
            .upsert_articles(&mut [changed, again])
            .await
            .expect("update");
        let stored = stored_article(&store, "src", "7").await;
        assert_eq!(slugs(&stored), vec!["بنغازي", "حفتر"], "{}", db.name);
        assert_eq!(
            store
                .latest_with_tag("ليبيا", 1000, 0)
                .await
                .expect("tag")
                .len(),
            299,
            "{}",
            db.name
        );

        // An editor's correction replaces them too.
        assert!(
            store
                .set_article_tags("src", "7", &[tag("روسيا")])
                .await
                .expect("set")
        );
        let stored = stored_article(&store, "src", "7").await;
        assert_eq!(slugs(&stored), vec!["روسيا"], "{}", db.name);
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn an_editors_labels_survive_a_changed_reimport_on_every_backend() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("connect");
        let mut a = article("wire", "1", "عنوان", 1);
        a.section_origin = LabelOrigin::Model;
        store
            .upsert_articles(&mut [a.clone()])
            .await
            .expect("insert");
        assert!(
            store
                .set_labels_by_person("wire", "1", Some(Section::Economy), &[tag("النفط")])
                .await
                .expect("labels")
        );
        // The source sends a changed version with the model's labels again.
        let mut changed = a.clone();
        changed.body.push("فقرة جديدة".into());
        changed.content_hash = changed.compute_hash();
        let mut batch = [changed];
        let got = store.upsert_articles(&mut batch).await.expect("update");
        assert_eq!(got, vec![Upsert::Updated], "{}", db.name);
        assert_eq!(
            (batch[0].section, batch[0].section_origin),
            (Some(Section::Economy), LabelOrigin::Person),
            "what gets indexed is the editor's section ({})",
            db.name
        );
        let stored = stored_article(&store, "wire", "1").await;
        assert_eq!(stored.body.len(), 3, "{}", db.name);
        assert_eq!(
            (stored.section, stored.section_origin),
            (Some(Section::Economy), LabelOrigin::Person),
            "{}",
            db.name
        );
        assert_eq!(slugs(&stored), vec!["النفط"], "{}", db.name);
        assert_eq!(stored.tags[0].origin, LabelOrigin::Person, "{}", db.name);
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_kept_in_the_database_hold_across_nodes_on_every_backend() {
    use sahifa::accounts::RateLimiter;
    use sahifa::accounts::ratelimit::Limit;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        // Two nodes: two processes' worth of connections to one database.
        let node = |url: String| async move {
            RateLimiter::shared(Store::connect(&url).await.expect("connect"))
        };
        let (a, b) = (node(db.url.clone()).await, node(db.url.clone()).await);
        let limit = Limit::per_minute(3);
        assert!(a.allow("signin:192.0.2.1", limit).await, "{}", db.name);
        assert!(b.allow("signin:192.0.2.1", limit).await, "{}", db.name);
        assert!(a.allow("signin:192.0.2.1", limit).await, "{}", db.name);
        assert!(!b.allow("signin:192.0.2.1", limit).await, "{}", db.name);
        assert!(!a.allow("signin:192.0.2.1", limit).await, "{}", db.name);
        assert!(a.exhausted("signin:192.0.2.1", limit).await, "{}", db.name);
        assert!(b.allow("signin:192.0.2.2", limit).await, "another key");
        // Failures recorded on either node count for both.
        let failures = Limit::per_hour(2);
        a.record("signin-fail:7").await;
        assert!(!b.exhausted("signin-fail:7", failures).await, "{}", db.name);
        b.record("signin-fail:7").await;
        assert!(a.exhausted("signin-fail:7", failures).await, "{}", db.name);
        if db.name == "postgres" {
            // Racing for the last slots: exactly the limit gets through.
            let (a, b) = (std::sync::Arc::new(a), std::sync::Arc::new(b));
            let race = Limit::per_minute(50);
            // Open every pooled connection first, so that the tries really overlap.
            let warm = (0..32).map(|i| {
                let node = if i % 2 == 0 { a.clone() } else { b.clone() };
                tokio::spawn(async move { node.exhausted("warm", race).await })
            });
            for w in warm.collect::<Vec<_>>() {
                w.await.expect("task");
            }
            let tries = (0..200).map(|i| {
                let node = if i % 2 == 0 { a.clone() } else { b.clone() };
                tokio::spawn(async move { node.allow("signup:198.51.100.9", race).await })
            });
            let mut allowed = 0;
            for t in tries.collect::<Vec<_>>() {
                allowed += usize::from(t.await.expect("task"));
            }
            assert_eq!(allowed, 50);
        }
        db.drop_schema().await;
    }
}

/// The newest-first lists (home, section, source pages and the article list API) read their
/// order from an index. With only `articles_status_updated` (0013) SQLite's planner filtered
/// by status through that index and sorted every published row for each request (0.4 s on
/// the 67k corpus), and 64 connections on an expired home page stalled the server. The
/// queries below have the shape of `store/articles.rs` and `store/reader_articles.rs`;
/// without statistics the planner's choice does not depend on how many rows there are.
#[tokio::test]
async fn newest_first_lists_read_their_order_from_an_index_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/plan.db", dir.path().display());
    Store::connect(&url).await.expect("connect and migrate");
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .connect(&url)
        .await
        .expect("pool");
    let order = "ORDER BY sort_time DESC, pk DESC LIMIT 20 OFFSET 40";
    for (list, filter) in [
        ("latest", "status = 'published'"),
        ("section", "status = 'published' AND section = 'sport'"),
        ("source", "source = 'src' AND status = 'published'"),
    ] {
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT pk, title, body FROM articles WHERE {filter} {order}"
        );
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&pool)
            .await
            .expect("plan");
        let plan: Vec<String> = plan.into_iter().map(|r| r.3).collect();
        assert!(
            !plan.iter().any(|step| step.contains("TEMP B-TREE")),
            "the {list} list sorts its rows per request: {plan:?}"
        );
    }
}
