//! Polls as jobs: the elected scheduler enqueues `feed_polls_due`, which claims the due
//! sources and enqueues one `feed_poll` job each; the job fetches (conditional GET),
//! stores the entries and plans the next check. Against a real feed server on loopback,
//! through the app's own job runner, on SQLite and PostgreSQL.

use std::time::Duration;

use crate::accounts_support::spawn_with;
use crate::feed_server::{FeedServer, entries};
use crate::helpers::{TestApp, databases};
use crate::sources::row;
use sahifa::ingest::sources::{self, SourceSpec};

/// Waits (up to 30 s) until the source has been checked `n` times by jobs.
async fn wait_for_checks(app: &TestApp, name: &str, n: i64) -> sahifa::store::sources::SourceRow {
    for _ in 0..300 {
        let done: i64 = app
            .state
            .store
            .job_counts()
            .await
            .expect("counts")
            .into_iter()
            .filter(|(kind, state, _)| kind == "feed_poll" && state == "done")
            .map(|(_, _, c)| c)
            .sum();
        if done >= n {
            return row(app, name).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name}: fewer than {n} feed_poll jobs done in 30 s");
}

/// Makes the source due now (as if its interval had passed).
async fn make_due(app: &TestApp, name: &str) {
    sqlx::query("UPDATE sources SET next_check = 0 WHERE name = $1")
        .bind(name)
        .execute(app.state.store.pool())
        .await
        .expect("update");
}

#[tokio::test(flavor = "multi_thread")]
async fn due_sources_are_polled_by_jobs_with_304s_backoff_and_recovery() {
    let server = FeedServer::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_with(&db.url, "", |c| {
            c.poll_every_secs = 1;
            c.fetch_allow = vec!["127.0.0.1".into()];
        })
        .await;
        let feed = format!("jobs-{}", db.name);
        server.set_entries(&feed, entries(&feed, 3));
        let path = format!("/rss/{feed}");
        let spec = SourceSpec::parse(
            "wire",
            &server.url(&path),
            sources::DEFAULT_EVERY,
            None,
            false,
        )
        .expect("spec");
        sources::add(&app.state.store, &spec).await.expect("add");

        let s = wait_for_checks(&app, "wire", 1).await;
        assert_eq!(s.last_status.as_deref(), Some("200"), "{}: {s:?}", db.name);
        assert!(
            app.state
                .store
                .article("wire", &format!("{feed}-0"))
                .await
                .expect("read")
                .is_some(),
            "{}: the entries are stored",
            db.name
        );
        assert!(
            s.next_check > chrono::Utc::now().timestamp_millis() + 60_000,
            "{s:?}"
        );

        make_due(&app, "wire").await;
        let s = wait_for_checks(&app, "wire", 2).await;
        assert_eq!(s.last_status.as_deref(), Some("304"), "{}: {s:?}", db.name);
        assert_eq!(server.seen(&path), (2, 1), "{}: a conditional GET", db.name);

        server.set_down(&feed, true);
        make_due(&app, "wire").await;
        let s = wait_for_checks(&app, "wire", 3).await;
        assert_eq!(s.failures, 1, "{}: {s:?}", db.name);
        assert!(s.last_error.is_some(), "{s:?}");
        let wait = s.next_check - s.last_checked.unwrap_or(0);
        assert!(
            wait >= 1_000 * 60 * 10,
            "{}: backoff from the interval: {wait} ms",
            db.name
        );

        server.set_down(&feed, false);
        make_due(&app, "wire").await;
        let s = wait_for_checks(&app, "wire", 4).await;
        assert_eq!(
            (s.failures, s.last_error.as_deref()),
            (0, None),
            "{}: recovered",
            db.name
        );
        db.drop_schema().await;
    }
}
