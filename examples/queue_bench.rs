//! Queue throughput: no-op jobs claimed and completed per second by W workers (each with
//! its own connection pool, as separate processes would have) through sahifa's real runner.
//!
//! ```sh
//! cargo run --release --example queue_bench -- --database-url sqlite:///tmp/q.db --jobs 20000
//! cargo run --release --example queue_bench -- --database-url postgres://…/db --workers 2
//! ```
//! Use a fresh database (or schema): the jobs table should hold only this run's jobs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sahifa::jobs::{JobRef, NewJob, Queue, QueueSettings, Registry, Runner, Shutdown};
use sahifa::store::Store;

struct Args {
    url: String,
    jobs: usize,
    workers: usize,
    concurrency: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        url: String::new(),
        jobs: 20_000,
        workers: 1,
        concurrency: 8,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--database-url" => a.url = value,
            "--jobs" => a.jobs = value.parse()?,
            "--workers" => a.workers = value.parse()?,
            "--concurrency" => a.concurrency = value.parse()?,
            _ => anyhow::bail!("unknown option {flag}"),
        }
    }
    anyhow::ensure!(!a.url.is_empty(), "--database-url is required");
    Ok(a)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = args()?;
    let settings = QueueSettings {
        concurrency: a.concurrency,
        poll: Duration::from_millis(50),
        ..QueueSettings::default()
    };
    let store = Store::connect(&a.url).await?;
    let queue = Queue::new(store.clone(), settings.clone());
    // Enqueue in batches of 1,000 per transaction (not what is measured).
    let t = Instant::now();
    for chunk in 0..a.jobs.div_ceil(1000) {
        let mut tx = store.pool().begin().await?;
        for _ in 0..1000.min(a.jobs - chunk * 1000) {
            queue
                .enqueue_in(&mut tx, NewJob::new("noop", &serde_json::json!({})))
                .await?;
        }
        tx.commit().await?;
    }
    eprintln!("enqueued {} jobs in {:.2?}", a.jobs, t.elapsed());

    let ran = Arc::new(AtomicUsize::new(0));
    let mut registry: Registry<Arc<AtomicUsize>> = Registry::new();
    registry.register(
        "noop",
        |ran: Arc<AtomicUsize>, _job: JobRef, _: serde_json::Value| async move {
            ran.fetch_add(1, Ordering::Relaxed);
            Ok(())
        },
    );
    let registry = Arc::new(registry);
    let stop = Shutdown::new();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.workers {
        let q = Queue::new(Store::connect(&a.url).await?, settings.clone());
        let runner = Runner::new(q, registry.clone(), ran.clone(), settings.clone());
        tasks.push(tokio::spawn(runner.run(stop.clone())));
    }
    while ran.load(Ordering::Relaxed) < a.jobs {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // The last completions are recorded just after their handlers return.
    loop {
        let done: i64 = store
            .job_counts()
            .await?
            .iter()
            .filter(|(k, s, _)| k == "noop" && s == "done")
            .map(|c| c.2)
            .sum();
        if usize::try_from(done).unwrap_or(0) >= a.jobs {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    stop.trigger();
    for t in tasks {
        let _ = t.await;
    }
    println!(
        "{} jobs, {} worker(s) x {} concurrent: {:.2} s, {:.0} jobs/s",
        a.jobs,
        a.workers,
        a.concurrency,
        secs,
        a.jobs as f64 / secs
    );
    Ok(())
}
