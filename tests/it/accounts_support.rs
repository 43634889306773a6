//! Support for the accounts tests: a real SMTP server (aiosmtpd, `tests/support/smtp_sink.py`)
//! started per test, an app wired to it, and small helpers for forms and mail.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sahifa::app::AppState;
use sahifa::config::Config;
use serde::Deserialize;

use crate::helpers::TestApp;

/// One message as the SMTP server received it, decoded by Python's `email` package.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub text: Option<String>,
    pub html: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Received {
    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or("")
    }

    /// The first link into the app whose path starts with `path`.
    pub fn link(&self, path: &str) -> Option<String> {
        self.text()
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(path))
            .map(String::from)
    }

    /// The six-digit code, if any.
    pub fn code(&self) -> Option<String> {
        self.text()
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .map(String::from)
    }
}

/// A running SMTP sink; stops when dropped.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    folder: tempfile::TempDir,
}

fn python() -> &'static str {
    // Debian's interpreter has python3-aiosmtpd; a pyenv shim on PATH may not.
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        for _ in 0..5 {
            if let Some(sink) = SmtpSink::start_on(free_port()) {
                return sink;
            }
        }
        panic!("the SMTP sink did not start (is python3-aiosmtpd installed?)");
    }

    /// Starts the sink on `port`; `None` when it could not listen there.
    pub fn start_on(port: u16) -> Option<SmtpSink> {
        let folder = tempfile::tempdir().expect("tempdir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(&script)
            .arg(port.to_string())
            .arg(folder.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink (needs python3-aiosmtpd)");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        if line.trim() == "READY" {
            return Some(SmtpSink {
                child,
                port,
                folder,
            });
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Refuses RCPT TO `to` with `reply` (e.g. `550 5.1.1 No such mailbox`), `times` times
    /// (always when None), then accepts it; takes effect at the next RCPT.
    pub fn refuse(&self, to: &str, reply: &str, times: Option<u32>) {
        let path = self.folder.path().join("replies.json");
        let mut rules: serde_json::Map<String, serde_json::Value> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        rules.insert(
            to.to_string(),
            serde_json::json!({"reply": reply, "times": times}),
        );
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::Value::Object(rules).to_string()).expect("write rules");
        std::fs::rename(&tmp, &path).expect("install rules");
    }

    /// Every refusal so far: (recipient, reply).
    pub fn refusals(&self) -> Vec<(String, String)> {
        std::fs::read_to_string(self.folder.path().join("refused.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| {
                (
                    v["to"].as_str().unwrap_or("").to_string(),
                    v["reply"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// How many messages arrived so far (without reading them).
    pub fn count(&self) -> usize {
        std::fs::read_dir(self.folder.path())
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .expect("read sink folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| {
                p.file_stem()
                    .is_some_and(|s| s.to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
            })
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("read message");
                serde_json::from_str(&text).expect("message json")
            })
            .collect()
    }

    /// Messages to `to`, waiting until there are at least `n` (60 s at most, for loaded
    /// machines).
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<Received> {
        for _ in 0..1200 {
            let got: Vec<Received> = self
                .messages()
                .into_iter()
                .filter(|m| m.to.iter().any(|t| t == to))
                .collect();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {n} message(s) to {to}; the sink has {:?}",
            self.messages()
                .iter()
                .map(|m| (&m.to, &m.subject))
                .collect::<Vec<_>>()
        );
    }

    /// Waits for the newest message to `to` after `seen` earlier ones.
    pub async fn next_for(&self, to: &str, seen: usize) -> Received {
        self.wait_for(to, seen + 1).await.pop().expect("a message")
    }

    /// How many messages went to `to`, once every account-mail job of `app` has finished
    /// (a job is done only after the SMTP server accepted its message, and this sink
    /// writes a message before it accepts it) and then nothing more arrived, and no new
    /// mail job appeared, for a quiet half second.
    pub async fn count_for(&self, app: &TestApp, to: &str) -> usize {
        let count = || {
            self.messages()
                .iter()
                .filter(|m| m.to.iter().any(|t| t == to))
                .count()
        };
        loop {
            let jobs = mail_jobs_finished(&app.state.store).await;
            let n = count();
            let quiet = Instant::now();
            let mut changed = false;
            while quiet.elapsed() < Duration::from_millis(500) {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let now = app
                    .state
                    .store
                    .jobs_of_kind(MAIL_KIND, 100_000)
                    .await
                    .expect("jobs");
                if now.len() != jobs || count() != n {
                    changed = true;
                    break;
                }
            }
            if !changed {
                return n;
            }
        }
    }
}

/// The account-mail job kind.
const MAIL_KIND: &str = sahifa::jobs::account_mail::KIND;

/// Waits (60 s at most) until every account-mail job is done or failed, and says how many
/// there are.
pub async fn mail_jobs_finished(store: &sahifa::store::Store) -> usize {
    let start = Instant::now();
    loop {
        let jobs = store.jobs_of_kind(MAIL_KIND, 100_000).await.expect("jobs");
        if jobs
            .iter()
            .all(|j| j.state == "done" || j.state == "failed")
        {
            return jobs.len();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the mail jobs did not finish: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until no job is due or running (60 s at most, for loaded machines); jobs
/// scheduled for later do not count.
pub async fn jobs_settled(store: &sahifa::store::Store) {
    for _ in 0..1200 {
        let now = chrono::Utc::now().timestamp_millis();
        if store.jobs_in_flight(now).await.expect("jobs in flight") == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the job queue did not settle: {:?}",
        store.job_counts().await.expect("job counts")
    );
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A config for account tests: cheap argon2, plain-HTTP cookies, mail to `smtp_url`.
pub fn test_config(data: &Path, database_url: &str, base_url: &str, smtp_url: &str) -> Config {
    Config {
        data_dir: data.to_path_buf(),
        database_url: database_url.to_string(),
        base_url: base_url.to_string(),
        secure_cookies: false,
        smtp_url: smtp_url.to_string(),
        mail_from: "sahifa <no-reply@sahifa.test>".into(),
        password_memory_kib: 256,
        password_iterations: 1,
        // Tests drive polls themselves (or switch this on, tests/it/sources_jobs.rs).
        poll_every_secs: 0,
        ..Config::default()
    }
}

/// Spawns the real router on `database_url` with mail going to `smtp_url` ("" = files).
pub async fn spawn_app(database_url: &str, smtp_url: &str) -> TestApp {
    spawn_with(database_url, smtp_url, |_| {}).await
}

/// Like [`spawn_app`], with a last change to the configuration.
pub async fn spawn_with(
    database_url: &str,
    smtp_url: &str,
    tweak: impl FnOnce(&mut Config),
) -> TestApp {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = format!("http://{}", listener.local_addr().expect("addr"));
    let database_url = if database_url.is_empty() {
        format!("sqlite://{}", dir.path().join("app.db").display())
    } else {
        database_url.to_string()
    };
    let mut config = test_config(dir.path(), &database_url, &addr, smtp_url);
    tweak(&mut config);
    let state = AppState::build(config).await.expect("app state");
    // The job runner (account mail goes through the queue), as `serve` runs it.
    drop(sahifa::jobs::start(&state, &sahifa::jobs::Shutdown::new()));
    let router = sahifa::web::router(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    TestApp {
        addr,
        state,
        client: client(),
        _dir: dir,
    }
}

/// A browser-like client: cookies kept, redirects not followed.
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// The value of the hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    let end = html[start..].find('"').expect("end of csrf") + start;
    html[start..end].to_string()
}

/// GETs `path` with `c` and returns (status, body).
pub async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let url = if path.starts_with("http") {
        path.to_string()
    } else {
        format!("{}{}", app.addr, path)
    };
    let r = c.get(url).send().await.expect("GET");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

/// Loads `page` to get a CSRF token, then POSTs `fields` (plus the token) to `action`.
/// Returns (status, Location header, body).
pub async fn submit(
    c: &reqwest::Client,
    app: &TestApp,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let (_, html) = get(c, app, page).await;
    let token = csrf_of(&html);
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &token));
    post_form(c, app, action, &form).await
}

/// A verified member of `role` (password "a long enough password"), signed in through the
/// form: their cookie client.
pub async fn signed_in(
    app: &TestApp,
    email: &str,
    role: sahifa::accounts::Role,
) -> reqwest::Client {
    let password = "a long enough password";
    app.state
        .accounts
        .add_user(email, password, role, true)
        .await
        .expect("add user");
    let c = client();
    assert_eq!(
        sign_in(&c, app, email, password).await.0,
        303,
        "sign-in of {email}"
    );
    c
}

/// Signs in with a password through the sign-in form. Returns (status, Location, body).
pub async fn sign_in(
    c: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> (u16, Option<String>, String) {
    submit(
        c,
        app,
        "/signin",
        "/signin",
        &[("email", email), ("password", password)],
    )
    .await
}

/// POSTs a form as is (no CSRF token added).
pub async fn post_form(
    c: &reqwest::Client,
    app: &TestApp,
    action: &str,
    form: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let r = c
        .post(format!("{}{}", app.addr, action))
        .form(form)
        .send()
        .await
        .expect("POST");
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    (status, location, r.text().await.expect("body"))
}

/// Path and query of an absolute link into the app.
pub fn path_of(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.addr).unwrap_or(link).to_string()
}

/// The `token` query value of a link.
pub fn token_of(link: &str) -> String {
    link.split("token=")
        .nth(1)
        .expect("token in link")
        .split('&')
        .next()
        .unwrap_or("")
        .to_string()
}
