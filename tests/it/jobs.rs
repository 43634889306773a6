//! The job queue in-process on SQLite and PostgreSQL: jobs commit with their transaction,
//! unique keys, retries with backoff ending `failed`, two workers sharing 500 jobs with
//! each run exactly once, and singleton leadership.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sahifa::jobs::{
    JobRef, Leadership, NewJob, Permanent, Queue, QueueSettings, Registry, Runner, Shutdown,
};
use sahifa::store::Store;

use crate::helpers::databases;

fn fast() -> QueueSettings {
    QueueSettings {
        concurrency: 4,
        poll: Duration::from_millis(10),
        lease: Duration::from_secs(30),
        retry_base: Duration::from_millis(40),
        grace: Duration::from_secs(5),
    }
}

/// Each run of a job: when, and on which worker.
type Runs = HashMap<i64, Vec<(Instant, String)>>;

/// What the test handlers saw: runs per job, attempt times, and overlapping runs.
#[derive(Clone, Default)]
struct Seen {
    runs: Arc<Mutex<Runs>>,
    running: Arc<Mutex<HashSet<i64>>>,
    overlaps: Arc<Mutex<Vec<i64>>>,
    worker: String,
}

impl Seen {
    fn as_worker(&self, name: &str) -> Seen {
        Seen {
            worker: name.to_string(),
            ..self.clone()
        }
    }
    fn enter(&self, id: i64) {
        let fresh = self.running.lock().expect("lock").insert(id);
        if !fresh {
            self.overlaps.lock().expect("lock").push(id);
        }
        self.runs
            .lock()
            .expect("lock")
            .entry(id)
            .or_default()
            .push((Instant::now(), self.worker.clone()));
    }
    fn leave(&self, id: i64) {
        self.running.lock().expect("lock").remove(&id);
    }
    fn runs_of(&self, id: i64) -> Vec<(Instant, String)> {
        self.runs
            .lock()
            .expect("lock")
            .get(&id)
            .cloned()
            .unwrap_or_default()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Work {
    fail: String,
}

fn registry() -> Arc<Registry<Seen>> {
    let mut r = Registry::new();
    r.register("work", |seen: Seen, job: JobRef, w: Work| async move {
        seen.enter(job.id);
        // A little work, so that runs of two workers interleave.
        tokio::time::sleep(Duration::from_millis(
            u64::try_from(job.id % 3).unwrap_or(0),
        ))
        .await;
        seen.leave(job.id);
        match w.fail.as_str() {
            "always" => anyhow::bail!("boom on attempt {}", job.attempt),
            "permanent" => Err(Permanent::new(anyhow::anyhow!("cannot ever work")).into()),
            _ => Ok(()),
        }
    });
    Arc::new(r)
}

fn work(fail: &str) -> NewJob {
    NewJob::new(
        "work",
        &Work {
            fail: fail.to_string(),
        },
    )
}

async fn wait_for_state(store: &Store, id: i64, state: &str) -> sahifa::store::jobs::JobRow {
    let start = Instant::now();
    loop {
        let row = store.job(id).await.expect("read job").expect("job exists");
        if row.state == state {
            return row;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "job {id} never became {state}: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn start(queue: &Queue, seen: Seen, shutdown: &Shutdown) -> tokio::task::JoinHandle<()> {
    let runner = Runner::new(queue.clone(), registry(), seen, queue.settings().clone());
    tokio::spawn(runner.run(shutdown.clone()))
}

#[tokio::test]
async fn a_job_exists_exactly_when_its_transaction_commits() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("store");
        let queue = Queue::new(store.clone(), fast());
        let mut tx = store.pool().begin().await.expect("begin");
        let rolled = queue
            .enqueue_in(&mut tx, work("no"))
            .await
            .expect("enqueue")
            .expect("an id");
        tx.rollback().await.expect("rollback");
        assert!(
            store.job(rolled).await.expect("read").is_none(),
            "{}",
            db.name
        );
        let mut tx = store.pool().begin().await.expect("begin");
        let kept = queue
            .enqueue_in(&mut tx, work("no").unique("once"))
            .await
            .expect("enqueue")
            .expect("an id");
        tx.commit().await.expect("commit");
        assert_eq!(
            queue
                .enqueue(work("no").unique("once"))
                .await
                .expect("again"),
            None,
            "{}: a unique key is enqueued once",
            db.name
        );

        let seen = Seen::default();
        let stop = Shutdown::new();
        let task = start(&queue, seen.clone(), &stop);
        let row = wait_for_state(&store, kept, "done").await;
        assert_eq!((row.attempts, row.last_error), (1, None), "{}", db.name);
        assert_eq!(seen.runs_of(kept).len(), 1, "{}", db.name);
        stop.trigger();
        task.await.expect("runner stops");
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn a_failing_job_backs_off_and_ends_failed_with_its_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let store = Store::connect(&db.url).await.expect("store");
        let queue = Queue::new(store.clone(), fast());
        let seen = Seen::default();
        let stop = Shutdown::new();
        let task = start(&queue, seen.clone(), &stop);
        let id = queue
            .enqueue(work("always").attempts(4))
            .await
            .expect("enqueue")
            .expect("id");
        let hopeless = queue
            .enqueue(work("permanent"))
            .await
            .expect("enqueue")
            .expect("id");
        let row = wait_for_state(&store, id, "failed").await;
        assert_eq!(row.attempts, 4, "{}", db.name);
        let err = row.last_error.unwrap_or_default();
        assert!(
            err.contains("attempt 4/4") && err.contains("boom on attempt 4"),
            "{err}"
        );
        let runs = seen.runs_of(id);
        assert_eq!(runs.len(), 4, "{}: every attempt ran once", db.name);
        // Each wait is at least half of 40 ms · 2^(n-1): 20, 40, 80 ms.
        for (n, pair) in runs.windows(2).enumerate() {
            let gap = pair[1].0 - pair[0].0;
            let least = Duration::from_millis(20 << n);
            assert!(gap >= least, "{}: retry {n} after {gap:?}", db.name);
        }
        let row = wait_for_state(&store, hopeless, "failed").await;
        assert_eq!(
            row.attempts, 1,
            "{}: a permanent error is not retried",
            db.name
        );
        assert!(
            row.last_error
                .unwrap_or_default()
                .contains("cannot ever work")
        );
        stop.trigger();
        task.await.expect("runner stops");
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn two_workers_run_500_jobs_each_exactly_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        // Two workers as two processes would be: each with its own connection pool.
        let one = Queue::new(Store::connect(&db.url).await.expect("store"), fast());
        let two = Queue::new(Store::connect(&db.url).await.expect("store"), fast());
        let seen = Seen::default();
        let stop = Shutdown::new();
        let a = start(&one, seen.as_worker("one"), &stop);
        let b = start(&two, seen.as_worker("two"), &stop);
        let mut ids = Vec::new();
        for _ in 0..500 {
            ids.push(one.enqueue(work("no")).await.expect("enqueue").expect("id"));
        }
        let store = one.store();
        let started = Instant::now();
        loop {
            let counts = store.job_counts().await.expect("counts");
            let done: i64 = counts
                .iter()
                .filter(|(_, s, _)| s == "done")
                .map(|c| c.2)
                .sum();
            if done == 500 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{}: {counts:?}",
                db.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.trigger();
        a.await.expect("runner one");
        b.await.expect("runner two");
        let mut by_worker: HashMap<String, usize> = HashMap::new();
        for id in &ids {
            let runs = seen.runs_of(*id);
            assert_eq!(
                runs.len(),
                1,
                "{}: job {id} ran {} times",
                db.name,
                runs.len()
            );
            *by_worker.entry(runs[0].1.clone()).or_default() += 1;
            assert_eq!(
                store.job(*id).await.expect("read").expect("row").attempts,
                1
            );
        }
        assert!(
            seen.overlaps.lock().expect("lock").is_empty(),
            "{}",
            db.name
        );
        assert_eq!(
            by_worker.len(),
            2,
            "{}: both workers took jobs: {by_worker:?}",
            db.name
        );
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn one_leader_at_a_time_and_the_next_takes_over_when_it_resigns() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let a_store = Store::connect(&db.url).await.expect("store");
        let b_store = Store::connect(&db.url).await.expect("store");
        let mut a = Leadership::new(a_store, "scheduler", "node-a");
        let mut b = Leadership::new(b_store, "scheduler", "node-b");
        assert!(a.check().await, "{}", db.name);
        assert!(!b.check().await, "{}: only one leads", db.name);
        assert!(a.check().await, "{}: the leader keeps it", db.name);
        a.resign().await;
        assert!(b.check().await, "{}: the other takes over", db.name);
        assert!(!a.check().await, "{}", db.name);
        b.resign().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn a_periodic_job_is_enqueued_once_per_period_with_two_schedulers() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let mut r: Registry<Seen> = Registry::new();
        r.register(
            "tick",
            |seen: Seen, job: JobRef, _: serde_json::Value| async move {
                seen.enter(job.id);
                seen.leave(job.id);
                Ok(())
            },
        );
        r.every("tick", Duration::from_secs(1));
        let r = Arc::new(r);
        let stop = Shutdown::new();
        let seen = Seen::default();
        let mut tasks = Vec::new();
        let mut store = None;
        for _ in 0..2 {
            let s = Store::connect(&db.url).await.expect("store");
            let q = Queue::new(s.clone(), fast());
            let sched = sahifa::jobs::Scheduler::new(s.clone(), q.clone(), r.clone());
            let runner = Runner::new(q, r.clone(), seen.clone(), fast());
            tasks.push(runner.spawn_with(sched, &stop));
            store = Some(s);
        }
        tokio::time::sleep(Duration::from_millis(3500)).await;
        stop.trigger();
        for t in tasks {
            t.stopped().await;
        }
        let store = store.expect("a store");
        let counts = store.job_counts().await.expect("counts");
        let ticks: i64 = counts.iter().filter(|c| c.0 == "tick").map(|c| c.2).sum();
        // 3.5 s of one-second periods: 3 or 4 periods, one job each.
        assert!((3..=5).contains(&ticks), "{}: {counts:?}", db.name);
        assert_eq!(
            seen.runs.lock().expect("lock").len(),
            usize::try_from(ticks).unwrap_or(0),
            "{}: each ran once",
            db.name
        );
        db.drop_schema().await;
    }
}
