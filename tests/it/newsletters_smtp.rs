//! The SMTP answers of a newsletter send, against the real sink told to refuse chosen
//! recipients: a 4xx is retried after its backoff and then delivered once; a 5xx fails the
//! row at once, counts a hard bounce, stops the address (limit 1 here), and the member is
//! told on `/account` and `/account/newsletters`; the next edition leaves them out.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sahifa::app::AppState;
use sahifa::newsletter::deliver::Drain;
use sahifa::newsletter::{Clock, Newsletters};

use crate::accounts_support::{SmtpSink, test_config};
use crate::helpers::databases;
use crate::newsletters_support::{add_member, articles, brief_without_runner};

fn fixed(t: DateTime<Utc>) -> Clock {
    Arc::new(move || t)
}

fn copies(sink: &SmtpSink, to: &str) -> usize {
    sink.messages()
        .iter()
        .filter(|m| m.to.iter().any(|x| x == to))
        .count()
}

fn refusals(sink: &SmtpSink, to: &str) -> usize {
    sink.refusals().iter().filter(|(t, _)| t == to).count()
}

/// A state with no job runner (the test drives the ledger itself) and a brief with three
/// subscribers: ok@ and soft@ by import, the member hard@.
async fn setup(url: &str, smtp: &str, dir: &std::path::Path) -> (AppState, i64) {
    let mut config = test_config(dir, url, "http://127.0.0.1:9", smtp);
    config.newsletter_bounce_limit = 1;
    let emails = ["ok@example.com".to_string(), "soft@example.com".to_string()];
    let state = brief_without_runner(config, 16, &emails, dir).await;
    let nl = &state.newsletters;
    let user = add_member(&state, "hard@example.com", sahifa::accounts::Role::Reader).await;
    nl.member_subscribe(&user, "brief")
        .await
        .expect("subscribe");
    (state, user.pk)
}

async fn drain(nl: &Newsletters, edition: i64) -> Drain {
    nl.drain(edition, "test-sender", Duration::from_secs(60))
        .await
        .expect("drain")
}

#[tokio::test]
async fn a_4xx_is_retried_after_its_backoff_and_a_5xx_fails_as_a_bounce() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let name = db.name;
        let sink = SmtpSink::start();
        let data = tempfile::tempdir().expect("data");
        let (state, member) = setup(&db.url, &sink.url(), data.path()).await;
        sink.refuse("hard@example.com", "550 5.1.1 No such mailbox here", None);
        sink.refuse(
            "soft@example.com",
            "451 4.7.1 Greylisted, come back later",
            Some(1),
        );
        let t0 = Utc::now();
        let nl = state.newsletters.with_clock(fixed(t0));
        let brief = nl.by_slug("brief").await.expect("q").expect("brief");
        let (edition, n) = nl.send_now(&brief).await.expect("send");
        assert_eq!(n, 3, "{name}");

        let later = match drain(&nl, edition.pk).await {
            Drain::Later(at) => at,
            other => panic!("{name}: the 4xx row should wait for its retry, got {other:?}"),
        };
        assert!(
            later >= t0 + chrono::Duration::seconds(59),
            "{name}: retried at {later}, sent at {t0}"
        );
        let c = state.store.delivery_counts(edition.pk).await.expect("c");
        assert_eq!(
            (c.sent, c.failed, c.queued, c.uncertain),
            (1, 1, 1, 0),
            "{name}"
        );
        assert_eq!(copies(&sink, "ok@example.com"), 1, "{name}");
        assert_eq!(copies(&sink, "soft@example.com"), 0, "{name}");
        assert_eq!(copies(&sink, "hard@example.com"), 0, "{name}");
        assert_eq!(refusals(&sink, "soft@example.com"), 1, "{name}");
        assert_eq!(refusals(&sink, "hard@example.com"), 1, "{name}");
        let (err,): (Option<String>,) = sqlx::query_as(
            "SELECT last_error FROM deliveries WHERE edition_pk = $1 AND email = $2",
        )
        .bind(edition.pk)
        .bind("hard@example.com")
        .fetch_one(state.store.pool())
        .await
        .expect("row");
        assert!(
            err.as_deref().is_some_and(|e| e.contains("550")),
            "{name}: {err:?}"
        );

        // Before its time nothing is retried; after it, the mail goes once.
        let early = state
            .newsletters
            .with_clock(fixed(later - chrono::Duration::seconds(5)));
        let r = early
            .send_batch(edition.pk, "test-sender")
            .await
            .expect("batch");
        assert_eq!(r.claimed, 0, "{name}: retried before its backoff");
        let after = state
            .newsletters
            .with_clock(fixed(later + chrono::Duration::seconds(1)));
        assert_eq!(drain(&after, edition.pk).await, Drain::Done, "{name}");
        let c = state.store.delivery_counts(edition.pk).await.expect("c");
        assert_eq!(
            (c.recipients, c.sent, c.failed, c.uncertain, c.queued),
            (3, 2, 1, 0, 0),
            "{name}"
        );
        assert_eq!(copies(&sink, "soft@example.com"), 1, "{name}");
        assert_eq!(copies(&sink, "ok@example.com"), 1, "{name}");
        assert_eq!(
            refusals(&sink, "hard@example.com"),
            1,
            "{name}: a 5xx is not retried"
        );

        // The hard bounce stopped the member's newsletters, and they are told.
        let b = state.store.member_bounces(member).await.expect("bounces");
        assert!(b.stopped && b.hard_bounces == 1, "{name}: {b:?}");
        let (e2, n2) = after.send_now(&brief).await.expect("second edition");
        assert_eq!(n2, 2, "{name}: the stopped address is left out");
        assert_eq!(drain(&after, e2.pk).await, Drain::Done, "{name}");
        assert_eq!(refusals(&sink, "hard@example.com"), 1, "{name}");
        state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn the_member_whose_mail_bounced_is_told_where_they_see_their_newsletters() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let name = db.name;
        let sink = SmtpSink::start();
        let app = crate::accounts_support::spawn_with(&db.url, &sink.url(), |c| {
            c.newsletter_bounce_limit = 1;
        })
        .await;
        let nl = &app.state.newsletters;
        app.ingest(articles(8, &[])).await;
        nl.add("brief", "الموجز", "brief", None, Some(""), "", None)
            .await
            .expect("add");
        let c = crate::accounts_support::client();
        let email = "bounced@example.com";
        let user = add_member(&app.state, email, sahifa::accounts::Role::Reader).await;
        let (s, _, _) =
            crate::accounts_support::sign_in(&c, &app, email, "a long enough password").await;
        assert_eq!(s, 303, "{name}: sign-in");
        nl.member_subscribe(&user, "brief")
            .await
            .expect("subscribe");
        for path in ["/account", "/account/newsletters"] {
            let (s, body) = crate::accounts_support::get(&c, &app, path).await;
            assert_eq!(s, 200, "{name} {path}");
            assert!(
                !body.contains("bounce-alert"),
                "{name} {path}: alert before any bounce"
            );
        }
        sink.refuse(email, "550 5.1.1 User unknown", None);
        let brief = nl.by_slug("brief").await.expect("q").expect("brief");
        let (edition, _) = nl.send_now(&brief).await.expect("send");
        let counts = crate::newsletters_support::settled(&app, edition.pk).await;
        assert_eq!((counts.failed, counts.sent), (1, 0), "{name}");
        for path in ["/account", "/account/newsletters"] {
            let (s, body) = crate::accounts_support::get(&c, &app, path).await;
            assert_eq!(s, 200, "{name} {path}");
            assert!(
                body.contains("id=\"bounce-alert\""),
                "{name} {path}: {body}"
            );
            assert!(body.contains(email), "{name} {path}: the address is named");
        }
        db.drop_schema().await;
    }
}
