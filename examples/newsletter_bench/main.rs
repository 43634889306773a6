//! Newsletter benchmarks over a database that already holds a corpus (`sahifa import` it
//! first). Three phases:
//!
//! - `setup`: only the members of `digest` below (so that `digest`, run next in a process of
//!   its own, measures its own memory); `digest` sets them up itself when it finds none.
//! - `digest`: adds N members (verified, each following one to three of the corpus's
//!   sections and most used tags, every `--signals-every`-th with ten opened articles, all
//!   subscribed to a weekly digest) with plain SQL (not timed), then times composing and
//!   queuing one personalized digest per member (each member's For-you ranking with its
//!   reasons, stored in their ledger row); then building every one of those mails (MJML
//!   to HTML, text part, headers) without sending; then sending them through the real
//!   ledger to a mailer that drops them. It runs on the store, the reader and the
//!   newsletter service only, or on the whole application state with `--state full`; it
//!   prints its memory after each step.
//! - `send`: adds N visitor subscribers to a brief, queues one edition, and times W job
//!   runners (each with its own pool, as W worker processes would have) sending it to the
//!   SMTP server at `--smtp` (e.g. `tests/support/smtp_sink.py PORT DIR --discard`).
//!
//! ```sh
//! target/release/examples/newsletter_bench --data D --phase setup --members 100000 \
//!     [--signals-every 10]
//! target/release/examples/newsletter_bench --data D --phase digest [--state full]
//! target/release/examples/newsletter_bench --data D --phase send --members 20000 \
//!     --smtp smtp://127.0.0.1:2525 --workers 2
//! ```
//! Peak RSS: run it under `/usr/bin/time -f "%e s %M KiB"`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sahifa::app::AppState;
use sahifa::config::Config;
use sahifa::mail::{Mailer, OutgoingMail, SendFuture};
use sahifa::newsletter::Newsletters;
use sahifa::reader::Reader;
use sahifa::store::Store;
use setup::{add_signals, memory, populate};

mod setup;

struct Args {
    data: std::path::PathBuf,
    phase: String,
    members: usize,
    smtp: String,
    workers: usize,
    /// Every this many members also have reading signals (0: none do).
    signals_every: usize,
    /// Build the whole application state (as `serve` and the worker do), not only what a
    /// digest needs.
    full_state: bool,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        data: std::path::PathBuf::new(),
        phase: "digest".into(),
        members: 100_000,
        smtp: String::new(),
        workers: 1,
        signals_every: 0,
        full_state: false,
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
            "--signals-every" => a.signals_every = value.parse()?,
            "--state" => a.full_state = value == "full",
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

/// What the digest phase runs on: the whole application state, or only the store, the
/// reader's features and the newsletter service (what composing a digest needs).
async fn digest_service(
    a: &Args,
) -> anyhow::Result<(Store, Reader, Newsletters, Option<AppState>)> {
    if a.full_state {
        let state = AppState::build(config(a, "")?).await?;
        let parts = (
            state.store.clone(),
            state.reader.clone(),
            state.newsletters.clone(),
        );
        return Ok((parts.0, parts.1, parts.2, Some(state)));
    }
    let config = Arc::new(config(a, "")?);
    let store = Store::connect(&config.effective_database_url()).await?;
    let reader = Reader::new(store.clone());
    let nl = Newsletters::new(
        store.clone(),
        Arc::new(Drop),
        config,
        Arc::new(sahifa::accounts::RateLimiter::new()),
        None,
        sahifa::newsletter::system_clock(),
    )
    .await?
    .with_reader(reader.clone());
    Ok((store, reader, nl, None))
}

/// The slug of the bench's digest newsletter.
const DIGEST: &str = "bench-digest";

/// Adds the digest newsletter and its members (plain SQL, not timed).
async fn setup_digest(
    a: &Args,
    store: &Store,
    newsletters: &Newsletters,
) -> anyhow::Result<sahifa::newsletter::Newsletter> {
    let nl = newsletters
        .add(DIGEST, "ملخصك", "digest", None, Some(""), "", Some(1))
        .await?;
    let t = Instant::now();
    populate(store, nl.pk, a.members, true).await?;
    add_signals(store, a.members, a.signals_every).await?;
    println!(
        "setup: {} members ({} with signals) in {:.1} s; {}",
        a.members,
        if a.signals_every == 0 {
            0
        } else {
            a.members.div_ceil(a.signals_every)
        },
        t.elapsed().as_secs_f64(),
        memory()
    );
    Ok(nl)
}

/// `--phase setup`: the digest's members only, so that a later `--phase digest` (another
/// process) measures composing with its own memory, not the setup's.
async fn setup(a: &Args) -> anyhow::Result<()> {
    let (store, _reader, newsletters, _state) = digest_service(a).await?;
    anyhow::ensure!(
        newsletters.by_slug(DIGEST).await?.is_none(),
        "{DIGEST} is set up already in this database"
    );
    setup_digest(a, &store, &newsletters).await?;
    Ok(())
}

async fn digest(a: &Args) -> anyhow::Result<()> {
    // The whole state, when asked for, stays alive to the end: its memory counts.
    let (store, reader, newsletters, _state) = digest_service(a).await?;
    let nl = match newsletters.by_slug(DIGEST).await? {
        Some(nl) => {
            println!("setup: done by an earlier `--phase setup`; {}", memory());
            nl
        }
        None => setup_digest(a, &store, &newsletters).await?,
    };
    let t = Instant::now();
    reader.snapshot().await?;
    println!(
        "features: built in {:.1} s; {}",
        t.elapsed().as_secs_f64(),
        memory()
    );

    let t = Instant::now();
    let (edition, queued) = newsletters.send_now(&nl).await?;
    let queue_s = t.elapsed().as_secs_f64();
    println!(
        "digest: {queued} personalized rows composed and queued in {queue_s:.1} s ({:.0}/s); {}",
        queued as f64 / queue_s,
        memory()
    );

    let t = Instant::now();
    let mut bytes = 0usize;
    let built = newsletters
        .render_edition(edition.pk, |m| bytes += m.formatted().len())
        .await?;
    let build_s = t.elapsed().as_secs_f64();
    println!(
        "render: {built} mails built (MIME, {:.1} KiB on average), not sent, in {build_s:.1} s \
         ({:.0}/s); {}",
        bytes as f64 / 1024.0 / built.max(1) as f64,
        built as f64 / build_s,
        memory()
    );

    let rendering = Newsletters::new(
        store.clone(),
        Arc::new(Drop),
        newsletters.config.clone(),
        Arc::new(sahifa::accounts::RateLimiter::new()),
        None,
        sahifa::newsletter::system_clock(),
    )
    .await?
    .with_reader(reader.clone());
    let t = Instant::now();
    while rendering
        .drain(edition.pk, "bench", Duration::from_secs(3600))
        .await?
        != sahifa::newsletter::deliver::Drain::Done
    {}
    let render_s = t.elapsed().as_secs_f64();
    let c = store.delivery_counts(edition.pk).await?;
    println!(
        "ledger: {} mails rendered and sent through the ledger to a dropping mailer in {render_s:.1} s ({:.0}/s); {c:?}; {}",
        c.sent,
        c.sent as f64 / render_s,
        memory()
    );
    Ok(())
}

async fn send(a: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(!a.smtp.is_empty(), "--smtp is required for the send phase");
    let state = AppState::build(config(a, &a.smtp)?).await?;
    let store = state.store.clone();
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
    populate(&store, nl.pk, a.members, false).await?;
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
        "setup" => setup(&a).await,
        "digest" => digest(&a).await,
        "send" => send(&a).await,
        p => anyhow::bail!("--phase {p}: setup, digest or send"),
    }
}
