//! Support for the newsletter tests: articles to send, a newsletter with subscribers from a
//! CSV import, and waiting for an edition's ledger to settle.

use std::time::Duration;

use sahifa::ingest::Incoming;
use sahifa::store::DeliveryCounts;

use crate::helpers::TestApp;

/// `n` published articles; those whose index is in `libya` are about ليبيا.
pub fn articles(n: usize, libya: &[usize]) -> Vec<Incoming> {
    (0..n)
        .map(|i| {
            let about = if libya.contains(&i) {
                "ليبيا وطرابلس وبنغازي: المجلس الرئاسي الليبي يبحث الانتخابات في ليبيا"
            } else {
                "الاقتصاد والأسواق: البنك المركزي يرفع أسعار الفائدة وتراجع التضخم"
            };
            Incoming {
                id: Some(format!("n{i}")),
                source: Some("wire".into()),
                title: Some(format!("خبر رقم {i}: {about}")),
                subtitle: Some(format!("تفاصيل الخبر {i}")),
                body: format!("{about}.\nفقرة ثانية عن الخبر {i} بتفاصيل كافية للقراءة."),
                category: Some(
                    if libya.contains(&i) {
                        "middleEast"
                    } else {
                        "economy"
                    }
                    .into(),
                ),
                url: None,
                warnings: Vec::new(),
                published: Some(
                    chrono::DateTime::parse_from_rfc3339("2026-11-20T08:00:00Z")
                        .expect("time")
                        .with_timezone(&chrono::Utc)
                        + chrono::Duration::minutes(i as i64),
                ),
            }
        })
        .collect()
}

/// Writes a CSV of `n` addresses `user{i}@example.com` (with an optional time zone column
/// value) and imports it into `slug`.
pub async fn import_subscribers(app: &TestApp, slug: &str, emails: &[String], tz: &str) {
    let path = app._dir.path().join(format!("{slug}.csv"));
    let mut text = String::from("email,name,time_zone\n");
    for e in emails {
        text.push_str(&format!("{e},,{tz}\n"));
    }
    std::fs::write(&path, text).expect("write csv");
    let r = app
        .state
        .newsletters
        .import_subscribers(slug, &path)
        .await
        .expect("import");
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
}

/// Waits until edition `id` has nothing queued (30 s at most) and returns its figures.
pub async fn settled(app: &TestApp, id: i64) -> DeliveryCounts {
    let mut c = DeliveryCounts::default();
    for _ in 0..600 {
        c = app.state.store.delivery_counts(id).await.expect("counts");
        if c.queued == 0 && c.recipients > 0 {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("edition {id} did not settle: {c:?}");
}

/// The value of header `name` of a received message.
pub fn header<'a>(m: &'a crate::accounts_support::Received, name: &str) -> Option<&'a str> {
    m.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A state with no job runner (the test drives sending, or starts workers) holding `n`
/// published articles and a brief (no schedule) whose subscribers are `emails`, imported
/// from a CSV written in `dir`.
pub async fn brief_without_runner(
    config: sahifa::config::Config,
    n: usize,
    emails: &[String],
    dir: &std::path::Path,
) -> sahifa::app::AppState {
    let state = sahifa::app::AppState::build(config).await.expect("state");
    let r = state
        .newsroom
        .ingest_records(articles(n, &[]), "test", "test")
        .await
        .expect("ingest");
    assert_eq!(r.rejected(), 0);
    let nl = &state.newsletters;
    nl.add("brief", "الموجز", "brief", None, Some(""), "", None)
        .await
        .expect("add");
    let csv = dir.join("list.csv");
    let mut text = String::from("email\n");
    for e in emails {
        text.push_str(&format!("{e}\n"));
    }
    std::fs::write(&csv, text).expect("csv");
    let rep = nl.import_subscribers("brief", &csv).await.expect("import");
    assert_eq!(rep.imported, emails.len());
    state
}

/// A verified member with `role` (password "a long enough password").
pub async fn add_member(
    state: &sahifa::app::AppState,
    email: &str,
    role: sahifa::accounts::Role,
) -> sahifa::accounts::User {
    state
        .accounts
        .add_user(email, "a long enough password", role, true)
        .await
        .expect("member")
}
