//! The delivery ledger under crashes, with the real binary and a real SMTP server: an
//! edition to 2,000 subscribers whose `sahifa worker` is SIGKILLed at three random moments
//! and restarted reaches every recipient at most once, every row ends sent, failed or
//! uncertain, and no more rows are uncertain than batches were in flight at the kills; two
//! workers on PostgreSQL sending one edition give no one two copies.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::Rng;
use sahifa::app::AppState;
use sahifa::store::DeliveryCounts;

use crate::accounts_support::{SmtpSink, test_config};
use crate::helpers::databases;
use crate::jobs_support::Proc;
use crate::newsletters_support::brief_without_runner;

const RECIPIENTS: usize = 2000;
/// Sender jobs per edition (each has at most one batch, and one SMTP transaction, in flight).
/// Must match `sahifa::newsletter::deliver::SENDERS`.
const SENDERS: u64 = 2;

/// An edition of RECIPIENTS queued in `url`'s database (made by this process, sent by none).
async fn queued_edition(url: &str, smtp: &str) -> (AppState, i64, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = test_config(dir.path(), url, "http://127.0.0.1:9", smtp);
    let emails: Vec<String> = (0..RECIPIENTS)
        .map(|i| format!("r{i}@example.com"))
        .collect();
    let state = brief_without_runner(config, 8, &emails, dir.path()).await;
    let nl = &state.newsletters;
    let n = nl.by_slug("brief").await.expect("q").expect("brief");
    let (edition, count) = nl.send_now(&n).await.expect("send");
    assert_eq!(count as usize, RECIPIENTS);
    (state, edition.pk, dir)
}

fn worker(data: &std::path::Path, url: &str, smtp: &str) -> Proc {
    Proc::start_with(
        data,
        url,
        smtp,
        &["worker"],
        &[
            ("SAHIFA_NEWSLETTER_LEASE_SECS", "2"),
            ("SAHIFA_NEWSLETTER_BATCH", "10"),
            ("SAHIFA_JOBS_LEASE_MS", "1500"),
        ],
    )
}

/// Copies received per recipient.
fn copies(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for msg in sink.messages() {
        for to in msg.to {
            *m.entry(to).or_insert(0) += 1;
        }
    }
    m
}

async fn until_settled(state: &AppState, id: i64, limit: Duration) -> DeliveryCounts {
    let start = Instant::now();
    loop {
        let c = state.store.delivery_counts(id).await.expect("counts");
        if c.queued == 0 || start.elapsed() > limit {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The ledger keys of edition `id` in `state`.
async fn rows_in(state: &AppState, id: i64, st: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT pk FROM deliveries WHERE edition_pk = $1 AND state = $2")
            .bind(id)
            .bind(st)
            .fetch_all(state.store.pool())
            .await
            .expect("ledger rows");
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn a_worker_killed_three_times_never_sends_anyone_two_copies() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let (state, edition, _keep) = queued_edition(&db.url, &sink.url()).await;
        let data = tempfile::tempdir().expect("data");
        let mut kills = Vec::new();
        {
            let mut rng = rand::rng();
            for k in 0..3 {
                // Somewhere in each third of the way.
                let lo = RECIPIENTS * k / 3 + 50;
                kills.push(rng.random_range(lo..lo + RECIPIENTS / 3 - 100));
            }
        }
        let mut in_flight = Vec::new();
        let mut w = worker(data.path(), &db.url, &sink.url());
        for &at in &kills {
            let start = Instant::now();
            while sink.count() < at {
                assert!(
                    start.elapsed() < Duration::from_secs(120),
                    "{}: stuck at {}\n{}",
                    db.name,
                    sink.count(),
                    w.log()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            w.kill();
            // What the dead worker had in flight: its rows in `sending` (not those an
            // earlier kill left there, which no sweep has reached yet).
            let mut flying = rows_in(&state, edition, "sending").await;
            flying.retain(|pk| !in_flight.contains(pk));
            assert!(
                flying.len() as u64 <= SENDERS,
                "{}: {} rows in flight at a kill, with {SENDERS} senders: {flying:?}",
                db.name,
                flying.len()
            );
            in_flight.extend(flying);
            w = worker(data.path(), &db.url, &sink.url());
        }
        let c = until_settled(&state, edition, Duration::from_secs(180)).await;
        w.kill();
        let counts = copies(&sink);
        let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{}: two copies to {twice:?}", db.name);
        assert_eq!(c.queued, 0, "{}: {c:?}", db.name);
        assert_eq!(
            (c.sent + c.uncertain + c.failed) as usize,
            RECIPIENTS,
            "{}: {c:?}",
            db.name
        );
        // Only what was in flight at a kill may be uncertain (no mail of a living worker).
        let uncertain = rows_in(&state, edition, "uncertain").await;
        assert!(
            uncertain.iter().all(|pk| in_flight.contains(pk)),
            "{}: uncertain {uncertain:?}, in flight at the kills {in_flight:?}\n{}",
            db.name,
            w.log()
        );
        assert_eq!(c.uncertain as usize, uncertain.len());
        assert!(
            c.sent as usize <= counts.len(),
            "{}: every sent row reached the server",
            db.name
        );
        eprintln!(
            "{}: kills at {kills:?}, in flight {in_flight:?}: {c:?}",
            db.name
        );
        state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn two_workers_on_postgres_send_one_edition_without_doubles() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        if db.name != "postgres" {
            continue;
        }
        let sink = SmtpSink::start();
        let (state, edition, _keep) = queued_edition(&db.url, &sink.url()).await;
        let (a, b) = (
            tempfile::tempdir().expect("a"),
            tempfile::tempdir().expect("b"),
        );
        let mut one = worker(a.path(), &db.url, &sink.url());
        let mut two = worker(b.path(), &db.url, &sink.url());
        let c = until_settled(&state, edition, Duration::from_secs(180)).await;
        one.kill();
        two.kill();
        let counts = copies(&sink);
        assert!(counts.values().all(|n| *n == 1), "two copies to someone");
        assert_eq!(counts.len(), RECIPIENTS);
        assert_eq!(
            (c.sent, c.queued, c.uncertain),
            (RECIPIENTS as i64, 0, 0),
            "{c:?}"
        );
        state.store.close().await;
        db.drop_schema().await;
    }
}
