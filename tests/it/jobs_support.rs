//! Support for the job tests that run the real binary: `sahifa serve` and `sahifa worker`
//! processes that a test can SIGKILL or SIGTERM, an SMTP "tarpit" that accepts connections
//! and never answers (so a mail job stays in mid-run), and reading jobs from the store.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sahifa::store::Store;
use sahifa::store::jobs::JobRow;

use crate::accounts_support::free_port;

/// A running `sahifa` process; SIGKILLed when dropped.
pub struct Proc {
    child: Child,
    log: PathBuf,
    pub addr: String,
}

impl Proc {
    /// Starts `sahifa ARGS` on `data` and `database_url`, mail to `smtp_url`, with quick
    /// job settings (50 ms polls, a 1.5 s lease, retries from 20 ms).
    pub fn start(data: &Path, database_url: &str, smtp_url: &str, args: &[&str]) -> Proc {
        Proc::start_with(data, database_url, smtp_url, args, &[])
    }

    /// Like [`Proc::start`], with more environment variables.
    pub fn start_with(
        data: &Path,
        database_url: &str,
        smtp_url: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Proc {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let log = data.join(format!("{}-{port}.log", args.first().unwrap_or(&"sahifa")));
        let err = std::fs::File::create(&log).expect("log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sahifa"));
        cmd.arg("--data")
            .arg(data)
            .args(args)
            .env("SAHIFA_DATABASE_URL", database_url)
            .env("SAHIFA_ADDR", &addr)
            .env("SAHIFA_BASE_URL", format!("http://{addr}"))
            .env("SAHIFA_SMTP_URL", smtp_url)
            .env("SAHIFA_MAIL_FROM", "sahifa <no-reply@sahifa.test>")
            .env("SAHIFA_SECURE_COOKIES", "false")
            .env("SAHIFA_PASSWORD_MEMORY_KIB", "256")
            .env("SAHIFA_PASSWORD_ITERATIONS", "1")
            .env("SAHIFA_JOBS_POLL_MS", "50")
            .env("SAHIFA_JOBS_LEASE_MS", "1500")
            .env("SAHIFA_JOBS_RETRY_BASE_MS", "20")
            .env("SAHIFA_JOBS_GRACE_MS", "300")
            .env_remove("SAHIFA_JOBS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start sahifa");
        Proc { child, log, addr }
    }

    /// What the process logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `/healthz` answers 200 (30 s at most).
    pub async fn ready(&self) {
        let url = format!("http://{}/healthz", self.addr);
        let client = crate::accounts_support::client();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Ok(r) = client.get(&url).send().await
                && r.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("sahifa never became ready:\n{}", self.log());
    }

    /// SIGKILL: no chance to finish or release anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit (10 s at most); returns whether it exited with 0.
    pub fn terminate(&mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("sahifa did not stop on SIGTERM:\n{}", self.log());
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An SMTP server that accepts connections and never says a word: a mail job sending to it
/// stays in mid-run until its SMTP timeout.
pub struct Tarpit {
    pub port: u16,
}

impl Tarpit {
    pub fn start() -> Tarpit {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming().flatten() {
                held.push(conn);
            }
        });
        Tarpit { port }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }
}

/// The jobs of `kind`, oldest first.
pub async fn jobs_of(store: &Store, kind: &str) -> Vec<JobRow> {
    store.jobs_of_kind(kind, 100).await.expect("read jobs")
}

/// Waits (20 s at most) until `check` holds for the job `id`, and returns it.
pub async fn wait_job(
    store: &Store,
    id: i64,
    what: &str,
    check: impl Fn(&JobRow) -> bool,
) -> JobRow {
    let start = Instant::now();
    loop {
        let job = store.job(id).await.expect("read job");
        if let Some(j) = job.as_ref().filter(|j| check(j)) {
            return j.clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "job {id} never {what}: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits (20 s at most) for the first job of `kind` to exist, and returns its id.
pub async fn first_job(store: &Store, kind: &str) -> i64 {
    let start = Instant::now();
    loop {
        if let Some(j) = jobs_of(store, kind).await.first() {
            return j.id;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no {kind} job");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The value of header `name` in a received message.
pub fn header<'a>(m: &'a crate::accounts_support::Received, name: &str) -> Option<&'a str> {
    m.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
