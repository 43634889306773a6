//! Jobs across real processes on SQLite and PostgreSQL: a sign-up whose `serve` is
//! SIGKILLed before its mail left gets exactly one mail after the restart; a job whose
//! worker is SIGKILLed mid-run runs again once its lease expires; SIGTERM releases what a
//! worker holds; `serve --no-jobs` leaves jobs to `sahifa worker`; `sahifa jobs --json`
//! shows a failed job with its error after its last attempt.

use std::time::Duration;

use sahifa::accounts::AccountMail;
use sahifa::jobs::{Queue, QueueSettings};
use sahifa::store::Store;
use serde_json::{Value, json};

use crate::accounts_support::{SmtpSink, free_port, jobs_settled};
use crate::helpers::{databases, sahifa, stdout};
use crate::jobs_support::{Proc, Tarpit, first_job, header, wait_job};

const PASSWORD: &str = "a long enough password";
const KIND: &str = "account_mail";

async fn sign_up(serve: &Proc, email: &str) {
    let r = crate::accounts_support::client()
        .post(format!("http://{}/api/v1/accounts", serve.addr))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("POST /api/v1/accounts");
    assert_eq!(r.status(), 201, "{}", serve.log());
}

fn jobs_json(data: &std::path::Path, url: &str) -> Value {
    let out = sahifa(data, Some(url), &["jobs", "--json"]);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_str(stdout(&out).trim()).expect("sahifa jobs --json prints one object")
}

#[tokio::test]
async fn a_signup_whose_serve_is_killed_before_its_mail_left_gets_one_mail_after_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("data");
        // Nothing listens on the SMTP port yet: the mail cannot leave before the kill.
        let port = free_port();
        let smtp = format!("smtp://127.0.0.1:{port}");
        let mut serve = Proc::start(data.path(), &db.url, &smtp, &["serve"]);
        serve.ready().await;
        sign_up(&serve, "crash@example.com").await;
        let store = Store::connect(&db.url).await.expect("store");
        let id = first_job(&store, KIND).await;
        // serve tried (and the SMTP server refused), so the job is in the middle of its life.
        wait_job(&store, id, "was tried", |j| {
            j.attempts >= 1 && j.last_error.is_some()
        })
        .await;
        serve.kill();
        let sink = SmtpSink::start_on(port).expect("SMTP sink on the mail port");
        let serve = Proc::start(data.path(), &db.url, &smtp, &["serve"]);
        serve.ready().await;
        sink.wait_for("crash@example.com", 1).await;
        let job = wait_job(&store, id, "finished", |j| j.state == "done").await;
        jobs_settled(&store).await;
        let mails: Vec<_> = sink
            .messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == "crash@example.com"))
            .collect();
        assert_eq!(mails.len(), 1, "{}: exactly one mail", db.name);
        assert!(
            mails[0].link("/verify?token=").is_some(),
            "{}",
            mails[0].text()
        );
        assert_eq!(
            header(&mails[0], "Message-ID"),
            Some(format!("<account-mail.{id}@sahifa.test>").as_str()),
            "{}: the Message-ID is the job's",
            db.name
        );
        assert!(job.attempts >= 2, "{}: {job:?}", db.name);
        drop(serve);
        store.close().await;
        db.drop_schema().await;
    }
}

async fn mail_job(store: &Store, to: &str, attempts: u32) -> i64 {
    let queue = Queue::new(store.clone(), QueueSettings::default());
    let mail = AccountMail::AlreadyRegistered {
        to: to.into(),
        locale: "ar".into(),
    };
    queue
        .enqueue(mail.job().attempts(attempts))
        .await
        .expect("enqueue")
        .expect("id")
}

#[tokio::test]
async fn a_job_whose_worker_is_killed_mid_run_runs_again_after_its_lease_expires() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("data");
        let store = Store::connect(&db.url).await.expect("store");
        let id = mail_job(&store, "twice@example.com", 5).await;
        let tarpit = Tarpit::start();
        let mut first = Proc::start(data.path(), &db.url, &tarpit.url(), &["worker"]);
        let held = wait_job(&store, id, "started", |j| j.state == "running").await;
        assert_eq!(held.attempts, 1);
        // Past a whole lease (1.5 s) the heartbeat still keeps the job on its worker.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let still = store.job(id).await.expect("read").expect("job");
        assert_eq!(
            (still.state.as_str(), still.attempts),
            ("running", 1),
            "{}: a job in hand keeps its lease\n{}",
            db.name,
            first.log()
        );
        first.kill();
        let sink = SmtpSink::start();
        let _second = Proc::start(data.path(), &db.url, &sink.url(), &["worker"]);
        sink.wait_for("twice@example.com", 1).await;
        let job = wait_job(&store, id, "finished", |j| j.state == "done").await;
        assert_eq!(job.attempts, 2, "{}: run again, once", db.name);
        let err = job.last_error.unwrap_or_default();
        assert!(err.contains("lease expired"), "{}: {err}", db.name);
        jobs_settled(&store).await;
        assert_eq!(sink.messages().len(), 1, "{}", db.name);
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn sigterm_stops_a_worker_and_gives_back_the_job_it_holds() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("data");
        let store = Store::connect(&db.url).await.expect("store");
        let id = mail_job(&store, "later@example.com", 5).await;
        let tarpit = Tarpit::start();
        let mut worker = Proc::start(data.path(), &db.url, &tarpit.url(), &["worker"]);
        wait_job(&store, id, "started", |j| j.state == "running").await;
        assert!(worker.terminate(), "{}: exit 0\n{}", db.name, worker.log());
        let job = store.job(id).await.expect("read").expect("job");
        assert_eq!(
            (job.state.as_str(), job.attempts),
            ("queued", 0),
            "{}: released at once, the attempt not counted\n{}",
            db.name,
            worker.log()
        );
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn serve_without_jobs_leaves_the_mail_to_a_worker() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("data");
        let sink = SmtpSink::start();
        let serve = Proc::start(data.path(), &db.url, &sink.url(), &["serve", "--no-jobs"]);
        serve.ready().await;
        sign_up(&serve, "split@example.com").await;
        let store = Store::connect(&db.url).await.expect("store");
        let id = first_job(&store, KIND).await;
        // Ten of serve's poll periods: nothing may take the job.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let job = store.job(id).await.expect("read").expect("job");
        assert_eq!(
            (job.state.as_str(), job.attempts),
            ("queued", 0),
            "{}",
            db.name
        );
        let _worker = Proc::start(data.path(), &db.url, &sink.url(), &["worker"]);
        let mail = sink.next_for("split@example.com", 0).await;
        assert!(mail.link("/verify?token=").is_some());
        wait_job(&store, id, "finished", |j| j.state == "done").await;
        store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn sahifa_jobs_shows_a_failed_mail_with_its_error_after_the_last_attempt() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("data");
        // The SMTP server stays down for all eight attempts (retries from 20 ms: ~5 s).
        let smtp = format!("smtp://127.0.0.1:{}", free_port());
        let serve = Proc::start(data.path(), &db.url, &smtp, &["serve"]);
        serve.ready().await;
        sign_up(&serve, "lost@example.com").await;
        let store = Store::connect(&db.url).await.expect("store");
        let id = first_job(&store, KIND).await;
        wait_job(&store, id, "failed", |j| j.state == "failed").await;
        let shown = jobs_json(data.path(), &db.url);
        assert_eq!(shown["counts"][KIND]["failed"], 1, "{}: {shown}", db.name);
        assert_eq!(shown["counts"][KIND]["queued"], 0, "{}: {shown}", db.name);
        let err = &shown["errors"][0];
        assert_eq!(err["id"], id, "{shown}");
        assert_eq!(err["state"], "failed");
        assert_eq!(
            (err["attempts"].as_i64(), err["max_attempts"].as_i64()),
            (Some(8), Some(8))
        );
        let text = err["error"].as_str().unwrap_or("");
        assert!(
            text.contains("attempt 8/8") && text.contains("SMTP"),
            "{}: {text}",
            db.name
        );
        let plain = stdout(&sahifa(data.path(), Some(&db.url), &["jobs"]));
        assert!(
            plain.contains(KIND) && plain.contains("failed at") && plain.contains("SMTP"),
            "{plain}"
        );
        drop(serve);
        store.close().await;
        db.drop_schema().await;
    }
}
