//! Newsletter benchmarks over a database that already holds a corpus (`sahifa import` it
//! first). Two phases:
//!
//! - `digest`: adds N members (verified, each following one to three of the corpus's
//!   sections and most used tags, all subscribed to a weekly digest) with plain SQL (not
//!   timed), then times composing and queuing one personalized digest per member (each
//!   member's For-you ranking with its reasons, stored in their ledger row), and then
//!   rendering every one of those mails (MJML to HTML, text part, headers) into a mailer
//!   that drops them, through the real ledger.
//! - `send`: adds N visitor subscribers to a brief, queues one edition, and times W job
//!   runners (each with its own pool, as W worker processes would have) sending it to the
//!   SMTP server at `--smtp` (e.g. `tests/support/smtp_sink.py PORT DIR --discard`).
//!
//! ```sh
//! target/release/examples/newsletter_bench --data D --phase digest --members 100000
//! target/release/examples/newsletter_bench --data D --phase send --members 20000 \
//!     --smtp smtp://127.0.0.1:2525 --workers 2
//! ```
//! Peak RSS: run it under `/usr/bin/time -f "%e s %M KiB"`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sahifa::app::AppState;
use sahifa::config::Config;
use sahifa::mail::{Mailer, OutgoingMail, SendFuture};

struct Args {
    data: std::path::PathBuf,
    phase: String,
    members: usize,
    smtp: String,
    workers: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        data: std::path::PathBuf::new(),
        phase: "digest".into(),
        members: 100_000,
        smtp: String::new(),
        workers: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--data" => a.data = value.into(),
            "--phase" => a.phase = value,
            "--members" => a.members = value.parse()?,
            "--smtp" => a.smtp = value,
            "--workers" => a.workers = value.parse()?,
            _ => anyhow::bail!("unknown option {flag}"),
        }
    }
    anyhow::ensure!(!a.data.as_os_str().is_empty(), "--data is required");
    Ok(a)
}

/// Drops every mail (what is measured is composing, rendering and the ledger).
struct Drop;

impl Mailer for Drop {
    fn send<'a>(&'a self, _: &'a lettre::message::Mailbox, _: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(async { Ok(()) })
    }
    fn name(&self) -> &'static str {
        "drop"
    }
    fn send_message<'a>(&'a self, m: &'a lettre::Message) -> SendFuture<'a> {
        Box::pin(async move {
            std::hint::black_box(m.formatted());
            Ok(())
        })
    }
}

/// The configuration of `--data` (and `SAHIFA_*` variables, e.g. a PostgreSQL URL).
fn config(a: &Args, smtp: &str) -> anyhow::Result<Config> {
    let mut c = Config::load(None, std::env::vars())?;
    c.data_dir = a.data.clone();
    c.smtp_url = smtp.to_string();
    c.mail_from = "sahifa <no-reply@bench.test>".into();
    c.newsletter_batch = 50;
    Ok(c)
}

async fn exec(state: &AppState, sql: String) -> anyhow::Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(state.store.pool())
        .await?;
    Ok(())
}

/// Adds `n` verified members with follows and a subscription to newsletter `nl_pk`, or
/// `n` visitor addresses when `members` is false (500 rows per statement).
async fn populate(state: &AppState, nl_pk: i64, n: usize, members: bool) -> anyhow::Result<()> {
    let tags: Vec<(String,)> = sqlx::query_as(
        "SELECT t.slug FROM article_tags x JOIN tags t ON t.pk = x.tag_pk \
         GROUP BY t.slug ORDER BY COUNT(*) DESC LIMIT 40",
    )
    .fetch_all(state.store.pool())
    .await
    .unwrap_or_default();
    let sections = [
        "middleEast",
        "internationalNews",
        "economy",
        "sport",
        "culture",
        "technology",
    ];
    let now = chrono::Utc::now().timestamp_millis();
    for start in (0..n).step_by(500) {
        let end = (start + 500).min(n);
        let ids: Vec<usize> = (start..end).collect();
        if members {
            let users = ids
                .iter()
                .map(|i| format!("('u_bench{i}', 'm{i}@bench.test', 'ar', {now}, {now})"))
                .collect::<Vec<_>>()
                .join(",");
            exec(
                state,
                format!(
                    "INSERT INTO users (uid, email, locale, verified_at, created) VALUES {users}"
                ),
            )
            .await?;
            let mut follows = Vec::new();
            for i in &ids {
                let pk = format!("(SELECT pk FROM users WHERE uid = 'u_bench{i}')");
                follows.push(format!(
                    "({pk}, 'section', '{}', {now})",
                    sections[i % sections.len()]
                ));
                if !tags.is_empty() {
                    follows.push(format!(
                        "({pk}, 'tag', '{}', {now})",
                        tags[i % tags.len()].0
                    ));
                    if i % 3 == 0 {
                        follows.push(format!(
                            "({pk}, 'tag', '{}', {now})",
                            tags[(i / 3 + 7) % tags.len()].0
                        ));
                    }
                }
            }
            exec(
                state,
                format!(
                    "INSERT INTO follows (user_pk, kind, value, created) VALUES {}",
                    follows.join(",")
                ),
            )
            .await?;
            exec(
                state,
                format!(
                    "INSERT INTO subscribers (user_pk, created) SELECT pk, {now} FROM users \
                 WHERE uid IN ({})",
                    ids.iter()
                        .map(|i| format!("'u_bench{i}'"))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            )
            .await?;
        } else {
            let subs = ids
                .iter()
                .map(|i| format!("('v{i}@bench.test', {now})"))
                .collect::<Vec<_>>()
                .join(",");
            exec(
                state,
                format!("INSERT INTO subscribers (email, created) VALUES {subs}"),
            )
            .await?;
        }
    }
    exec(
        state,
        format!(
            "INSERT INTO subscriptions (newsletter_pk, subscriber_pk, state, created) \
             SELECT {nl_pk}, pk, 'active', {now} FROM subscribers"
        ),
    )
    .await
}

async fn digest(a: &Args) -> anyhow::Result<()> {
    let mut state = AppState::build(config(a, "")?).await?;
    let nl = state
        .newsletters
        .add(
            "bench-digest",
            "ملخصك",
            "digest",
            None,
            Some(""),
            "",
            Some(1),
        )
        .await?;
    let t = Instant::now();
    populate(&state, nl.pk, a.members, true).await?;
    println!(
        "setup: {} members in {:.1} s",
        a.members,
        t.elapsed().as_secs_f64()
    );
    state.reader.refresh().await?;

    let t = Instant::now();
    let (edition, queued) = state.newsletters.send_now(&nl).await?;
    let queue_s = t.elapsed().as_secs_f64();
    println!(
        "digest: {queued} personalized rows composed and queued in {queue_s:.1} s ({:.0}/s)",
        queued as f64 / queue_s
    );

    let drop: Arc<dyn Mailer> = Arc::new(Drop);
    state.mailer = drop.clone();
    let rendering = sahifa::newsletter::Newsletters::new(
        state.store.clone(),
        drop,
        state.config.clone(),
        state.limiter.clone(),
        None,
        sahifa::newsletter::system_clock(),
    )
    .await?
    .with_reader(state.reader.clone());
    let t = Instant::now();
    while rendering
        .drain(edition.pk, "bench", Duration::from_secs(3600))
        .await?
        != sahifa::newsletter::deliver::Drain::Done
    {}
    let render_s = t.elapsed().as_secs_f64();
    let c = state.store.delivery_counts(edition.pk).await?;
    println!(
        "render: {} mails rendered through the ledger in {render_s:.1} s ({:.0}/s); {c:?}",
        c.sent,
        c.sent as f64 / render_s
    );
    Ok(())
}

async fn send(a: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(!a.smtp.is_empty(), "--smtp is required for the send phase");
    let state = AppState::build(config(a, &a.smtp)?).await?;
    let nl = state
        .newsletters
        .add(
            "bench-brief",
            "الموجز",
            "brief",
            None,
            Some(""),
            "",
            Some(1),
        )
        .await?;
    populate(&state, nl.pk, a.members, false).await?;
    let (edition, queued) = state.newsletters.send_now(&nl).await?;
    let t = Instant::now();
    let stop = sahifa::jobs::Shutdown::new();
    let mut runners = Vec::new();
    for _ in 0..a.workers {
        let s = AppState::build(config(a, &a.smtp)?).await?;
        runners.push(sahifa::jobs::start(&s, &stop));
    }
    loop {
        let c = state.store.delivery_counts(edition.pk).await?;
        if c.queued == 0 {
            let s = t.elapsed().as_secs_f64();
            println!(
                "send: {queued} mails, {} workers, {s:.1} s, {:.0} mails/s; {c:?}",
                a.workers,
                c.sent as f64 / s
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.trigger();
    for r in runners {
        r.stopped().await;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let a = args()?;
    match a.phase.as_str() {
        "digest" => digest(&a).await,
        "send" => send(&a).await,
        p => anyhow::bail!("--phase {p}: digest or send"),
    }
}
