//! Feed sources polled against a real feed server on loopback (allowed through
//! `fetch_allow`), on SQLite and PostgreSQL: RSS, Atom and JSON Feed, 304s, new entries
//! within one interval, a failing feed retried later and recovering, refused addresses
//! with a clear error on the health page, and charsets.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sahifa::accounts::Role;
use sahifa::ingest::fetch::{AllowList, Fetcher};
use sahifa::ingest::poll::Poller;
use sahifa::ingest::sources::{self, SourceSpec};

use crate::accounts_support::{client, get, sign_in, spawn_app};
use crate::feed_server::{Entry, FeedServer, Table, entries};
use crate::helpers::{TestApp, databases, stored_article};

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

/// A poller of the app's store and pipeline whose fetcher allows `allow` and resolves
/// names with the test's table.
fn poller(app: &TestApp, allow: &[&str]) -> Poller {
    let table = Table(vec![
        ("news.example.com", ip("127.0.0.1")),
        ("intranet.example", ip("10.0.0.1")),
    ]);
    let fetcher = Fetcher::with_lookup(
        AllowList::parse(allow.iter().copied()).expect("allow list"),
        Arc::new(table),
    )
    .expect("fetcher");
    Poller::new(app.state.store.clone(), app.state.newsroom.clone(), fetcher)
}

async fn add(app: &TestApp, name: &str, url: &str) {
    let spec = SourceSpec::parse(name, url, sources::DEFAULT_EVERY, None, false).expect("spec");
    sources::add(&app.state.store, &spec).await.expect("add");
}

pub async fn row(app: &TestApp, name: &str) -> sahifa::store::sources::SourceRow {
    app.state
        .store
        .source(name)
        .await
        .expect("read")
        .unwrap_or_else(|| panic!("no source {name}"))
}

fn at(ms: i64) -> DateTime<Utc> {
    sahifa::store::from_millis(ms)
}

#[tokio::test(flavor = "multi_thread")]
async fn rss_atom_and_json_feeds_are_polled_then_304_and_new_entries_come_within_one_interval() {
    let server = FeedServer::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let poll = poller(&app, &["127.0.0.1"]);
        let kinds = ["rss", "atom", "json"];
        for kind in kinds {
            let feed = format!("{kind}-{}", db.name);
            server.set_entries(&feed, entries(&feed, 4));
            add(&app, kind, &server.url(&format!("/{kind}/{feed}"))).await;
        }
        let t0 = Utc::now();
        let first = poll.poll_due(t0, false).await.expect("poll");
        assert_eq!(first.sources.len(), 3, "{first:?}");
        for p in &first.sources {
            assert_eq!((p.status.as_str(), p.imported), ("200", 4), "{p:?}");
        }
        for kind in kinds {
            let feed = format!("{kind}-{}", db.name);
            let id = if kind == "atom" {
                format!("urn:{feed}-0")
            } else {
                format!("{feed}-0")
            };
            let a = stored_article(&app.state.store, kind, &id).await;
            assert_eq!(a.title, format!("خبر {feed} رقم 0 عن ليبيا"), "{kind}");
            assert!(a.body[0].contains("طرابلس"), "{kind}: {:?}", a.body);
        }
        // Entries an hour apart: the interval adapts from 30 minutes to an hour.
        let rss = row(&app, "rss").await;
        assert_eq!(rss.interval_secs, 3600);
        assert!(
            poll.poll_due(t0 + chrono::Duration::minutes(5), false)
                .await
                .expect("poll")
                .sources
                .is_empty(),
            "nothing is due five minutes later"
        );
        // Due again: conditional GETs answered 304.
        let due = at(rss.next_check);
        let second = poll.poll_due(due, false).await.expect("poll");
        assert_eq!(second.not_modified(), 3, "{second:?}");
        for kind in kinds {
            let path = format!("/{kind}/{kind}-{}", db.name);
            assert_eq!(server.seen(&path), (2, 1), "{path}");
        }
        // A new entry is stored at the next check, one interval later.
        let feed = format!("rss-{}", db.name);
        server.push_entry(
            &feed,
            Entry {
                id: format!("{feed}-new"),
                title: "خبر جديد بعد الفحص".into(),
                body: "وصل هذا الخبر بعد الفحص الأول ويجب أن يظهر في الفحص التالي.".into(),
                age_minutes: -60,
            },
        );
        let rss = row(&app, "rss").await;
        assert_eq!(
            rss.next_check - rss.last_checked.expect("checked"),
            3600 * 1000
        );
        let third = poll
            .poll_due(at(rss.next_check), false)
            .await
            .expect("poll");
        let polled = third
            .sources
            .iter()
            .find(|p| p.name == "rss")
            .expect("rss polled");
        assert_eq!(
            (polled.status.as_str(), polled.imported),
            ("200", 1),
            "{third:?}"
        );
        let a = stored_article(&app.state.store, "rss", &format!("{feed}-new")).await;
        assert_eq!(a.title, "خبر جديد بعد الفحص");
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_failing_ten_times_is_still_retried_later_and_recovers() {
    let server = FeedServer::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let poll = poller(&app, &["127.0.0.1"]);
        let feed = format!("flaky-{}", db.name);
        server.set_entries(&feed, entries(&feed, 2));
        server.set_down(&feed, true);
        add(&app, "flaky", &server.url(&format!("/rss/{feed}"))).await;
        let mut now = Utc::now();
        let mut waits = Vec::new();
        for n in 1..=10 {
            let report = poll.poll_due(now, false).await.expect("poll");
            assert_eq!(report.failed(), 1, "poll {n} was due and failed");
            let s = row(&app, "flaky").await;
            assert_eq!(s.failures, n);
            assert_eq!(s.last_status.as_deref(), Some("503"));
            assert!(
                s.last_error
                    .as_deref()
                    .is_some_and(|e| e.contains("HTTP 503")),
                "{s:?}"
            );
            waits.push(s.next_check - s.last_checked.expect("checked"));
            now = at(s.next_check);
        }
        assert!(waits[9] > waits[0] * 4, "waits grow: {waits:?}");
        assert!(
            waits.iter().all(|w| *w <= 7 * 86_400_000 + 1),
            "at most 7 days: {waits:?}"
        );
        server.set_down(&feed, false);
        let report = poll.poll_due(now, false).await.expect("poll");
        assert_eq!(report.failed(), 0, "{report:?}");
        let s = row(&app, "flaky").await;
        assert_eq!(
            (s.failures, s.last_status.as_deref(), s.last_error),
            (0, Some("200"), None)
        );
        stored_article(&app.state.store, "flaky", &format!("{feed}-1")).await;
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn private_addresses_are_refused_with_a_clear_error_on_the_health_page_until_allowed() {
    let server = FeedServer::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        let feed = format!("guarded-{}", db.name);
        server.set_entries(&feed, entries(&feed, 2));
        let cases = [
            ("loopback", server.url(&format!("/rss/{feed}")), "loopback"),
            (
                "metadata",
                "http://169.254.169.254/latest/meta-data/".to_string(),
                "link-local",
            ),
            (
                "intranet",
                server.url_as("intranet.example", &format!("/rss/{feed}")),
                "private address (10.0.0.1)",
            ),
            (
                "redirected",
                server.url_as("news.example.com", &format!("/redirect/{feed}")),
                "loopback",
            ),
        ];
        for (name, url, _) in &cases {
            add(&app, name, url).await;
        }
        // news.example.com itself is allowed by name; where it redirects is not.
        let strict = poller(&app, &["news.example.com"]);
        let report = strict.poll_due(Utc::now(), true).await.expect("poll");
        assert_eq!(report.failed(), 4, "{report:?}");
        for (name, _, what) in &cases {
            let s = row(&app, name).await;
            assert_eq!(s.last_status.as_deref(), Some("refused"), "{name}");
            let e = s.last_error.unwrap_or_default();
            assert!(e.contains(what) && e.contains("fetch_allow"), "{name}: {e}");
        }
        assert_eq!(
            server.seen(&format!("/rss/{feed}")).0,
            0,
            "nothing reached the feed"
        );
        assert_eq!(
            server.seen(&format!("/redirect/{feed}")).0,
            0,
            "no redirect counter"
        );
        // The health page says so.
        app.state
            .accounts
            .add_user("admin@example.com", "admin password", Role::Admin, true)
            .await
            .expect("admin");
        let admin = client();
        sign_in(&admin, &app, "admin@example.com", "admin password").await;
        let (status, page) = get(&admin, &app, "/admin/sources").await;
        assert_eq!(status, 200);
        for (name, _, what) in &cases {
            let at = page.find(&format!("id=\"source-{name}\"")).expect("row");
            let row_html = &page[at..at + page[at..].find("</tr>").expect("end")];
            assert!(
                row_html.contains("refused") && row_html.contains(what),
                "{name}: {row_html}"
            );
        }
        assert_eq!(
            get(&client(), &app, "/admin/sources").await.0,
            303,
            "members only"
        );
        // Allowed once listed.
        let allowed = poller(&app, &["news.example.com", "127.0.0.1"]);
        for name in ["loopback", "redirected"] {
            assert!(allowed.poll_named(name, Utc::now()).await.expect("poll"));
            let s = row(&app, name).await;
            assert_eq!(
                s.last_status.as_deref(),
                Some("200"),
                "{name}: {:?}",
                s.last_error
            );
        }
        stored_article(&app.state.store, "redirected", &format!("{feed}-0")).await;
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn arabic_charsets_declared_in_the_header_or_the_document_read_right() {
    let server = FeedServer::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let app = spawn_app(&url, "").await;
    let poll = poller(&app, &["127.0.0.1"]);
    for (name, path) in [
        ("w1256-doc", "/fixture/rss-windows-1256.xml"),
        (
            "w1256-header",
            "/fixture/rss-windows-1256-undeclared.xml.as-windows-1256",
        ),
        ("iso-doc", "/fixture/rss-iso-8859-6.xml"),
        (
            "iso-header",
            "/fixture/rss-iso-8859-6-undeclared.xml.as-iso-8859-6",
        ),
    ] {
        add(&app, name, &server.url(path)).await;
    }
    let report = poll.poll_due(Utc::now(), true).await.expect("poll");
    assert_eq!(report.failed(), 0, "{report:?}");
    for name in ["w1256-doc", "w1256-header", "iso-doc", "iso-header"] {
        let a = stored_article(&app.state.store, name, "w1").await;
        assert_eq!(a.title, "حفتر يلتقي وفداً روسياً في بنغازي", "{name}");
        assert!(
            a.body[0].starts_with("التقى القائد العام للجيش الليبي"),
            "{name}: {:?}",
            a.body
        );
        assert_eq!(
            row(&app, name).await.title.as_deref(),
            Some("الوسط"),
            "{name}"
        );
    }
}
