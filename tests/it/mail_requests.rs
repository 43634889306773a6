//! Issue 17, point 8: `/reset` and `/signin/email` do the same work for a known and an
//! unknown address. The request only enqueues an `account_mail` job for the address, in
//! both cases, and answers; the job decides whether a mail goes out. Checked on both
//! databases with a real SMTP server: identical answers, one job per request either way,
//! mail to the known address only.

use crate::accounts_support::{SmtpSink, client, csrf_of, get, spawn_app, submit};
use crate::helpers::{TestApp, databases};

async fn mail_jobs(app: &TestApp) -> usize {
    app.state
        .store
        .jobs_of_kind(sahifa::jobs::account_mail::KIND, 10_000)
        .await
        .expect("jobs")
        .len()
}

/// Submits `email` to `action` from a fresh browser: (status, body with the address and
/// this browser's CSRF token masked), and how many mail jobs the request added.
async fn ask(app: &TestApp, page: &str, action: &str, email: &str) -> ((u16, String), usize) {
    let before = mail_jobs(app).await;
    let c = client();
    let (status, _, body) = submit(&c, app, page, action, &[("email", email)]).await;
    let added = mail_jobs(app).await - before;
    let (_, p) = get(&c, app, page).await;
    let body = body.replace(email, "EMAIL").replace(&csrf_of(&p), "CSRF");
    ((status, body), added)
}

#[tokio::test]
async fn known_and_unknown_addresses_cost_the_same_and_only_the_known_one_gets_mail() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_app(&db.url, &sink.url()).await;
        let known = format!("known-{}@example.com", db.name);
        app.state
            .accounts
            .add_user(
                &known,
                "a long password",
                sahifa::accounts::Role::Reader,
                true,
            )
            .await
            .expect("member");
        for (n, (page, action, link)) in [
            ("/signin", "/signin/email", "/signin/link?token="),
            ("/reset", "/reset", "/reset/confirm?token="),
        ]
        .into_iter()
        .enumerate()
        {
            let unknown = format!("unknown{n}-{}@example.com", db.name);
            let (k, k_jobs) = ask(&app, page, action, &known).await;
            let (u, u_jobs) = ask(&app, page, action, &unknown).await;
            assert_eq!(k.0, 200, "{}: {action}: {}", db.name, k.1);
            assert_eq!(k, u, "{}: {action} must not tell the two apart", db.name);
            assert_eq!(
                (k_jobs, u_jobs),
                (1, 1),
                "{}: {action} enqueues one job for either address",
                db.name
            );
            let mail = sink.next_for(&known, n).await;
            assert!(mail.link(link).is_some(), "{}: {}", db.name, mail.text());
            assert_eq!(sink.count_for(&app, &unknown).await, 0, "{}", db.name);
        }
        // Every job ended without error: the unknown addresses' ones sent nothing.
        let jobs = app
            .state
            .store
            .jobs_of_kind(sahifa::jobs::account_mail::KIND, 100)
            .await
            .expect("jobs");
        assert_eq!(jobs.len(), 4, "{}", db.name);
        assert!(
            jobs.iter().all(|j| j.state == "done"),
            "{}: {jobs:?}",
            db.name
        );
        assert_eq!(sink.count_for(&app, &known).await, 2, "{}", db.name);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}
