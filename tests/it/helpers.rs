//! Test support: databases on both backends, a spawned app, the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sahifa::app::AppState;
use sahifa::config::Config;

/// The repository's test fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `../shared` when present (benchmark and evaluation data); tests that need it say so.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.join("data").is_dir().then_some(p)
}

/// A database for one test: an SQLite file in a temporary folder, or a fresh schema in the
/// PostgreSQL named by `SAHIFA_TEST_DATABASE_URL`.
pub struct TestDb {
    pub url: String,
    pub name: &'static str,
    schema: Option<(String, String)>,
}

impl TestDb {
    pub async fn drop_schema(&self) {
        if let Some((base, schema)) = &self.schema {
            admin(base, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await;
        }
    }
}

/// Runs one statement on the PostgreSQL test database itself (not migrated: each test's
/// store lives in its own schema).
async fn admin(base: &str, sql: &str) {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(base)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    pool.close().await;
}

fn random_suffix() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..12)
        .map(|_| char::from(b'a' + rng.random_range(0..26u8)))
        .collect()
}

/// The PostgreSQL base URL for tests, when configured. In CI it must be.
pub fn postgres_url() -> Option<String> {
    match std::env::var("SAHIFA_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "SAHIFA_TEST_DATABASE_URL must be set in CI so PostgreSQL tests run"
            );
            skipped_postgres_note();
            None
        }
    }
}

/// Says once per test run, on the real stderr (libtest captures `eprintln!` of passing
/// tests, which hid the note), that the PostgreSQL variants are not run.
fn skipped_postgres_note() {
    static NOTE: std::sync::Once = std::sync::Once::new();
    NOTE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nnote: SAHIFA_TEST_DATABASE_URL is not set: the PostgreSQL variants of the tests \
             were SKIPPED and only SQLite ran (set it, e.g. to \
             postgres://postgres@127.0.0.1:5432/test, to run both backends)\n"
        );
    });
}

/// Databases to run a backend-independent test on: SQLite always, PostgreSQL when set.
pub async fn databases(dir: &Path) -> Vec<TestDb> {
    let mut out = vec![TestDb {
        url: format!("sqlite://{}", dir.join("test.db").display()),
        name: "sqlite",
        schema: None,
    }];
    if let Some(base) = postgres_url() {
        let schema = format!("t_{}", random_suffix());
        admin(&base, &format!("CREATE SCHEMA {schema}")).await;
        let sep = if base.contains('?') { '&' } else { '?' };
        out.push(TestDb {
            url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
            name: "postgres",
            schema: Some((base, schema)),
        });
    }
    out
}

/// A running app on a random port.
pub struct TestApp {
    pub addr: String,
    pub state: AppState,
    pub client: reqwest::Client,
    pub _dir: tempfile::TempDir,
}

impl TestApp {
    /// Spawns the real router on an SQLite database in a fresh data folder.
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("app.db").display());
        TestApp::spawn_on(dir, &url).await
    }

    pub async fn spawn_on(dir: tempfile::TempDir, database_url: &str) -> TestApp {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            database_url: database_url.to_string(),
            secure_cookies: false,
            // Tests drive polls themselves (tests/it/sources_jobs.rs switches this on).
            poll_every_secs: 0,
            ..Config::default()
        };
        let state = AppState::build(config).await.expect("app state");
        // The job runner, as `serve` runs it (it lives as long as the test's runtime).
        drop(sahifa::jobs::start(&state, &sahifa::jobs::Shutdown::new()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = format!("http://{}", listener.local_addr().expect("addr"));
        let router = sahifa::web::router(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await;
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("client");
        TestApp {
            addr,
            state,
            client,
            _dir: dir,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.addr, path))
            .send()
            .await
            .expect("GET")
    }

    /// Loads records through the real pipeline.
    pub async fn ingest(&self, records: Vec<sahifa::ingest::Incoming>) {
        let r = self
            .state
            .newsroom
            .ingest_records(records, "test", "test")
            .await
            .expect("ingest");
        assert_eq!(r.rejected(), 0, "{:?}", r.rejections);
    }
}

/// The stored article (source, id), which the test expects to be there.
pub async fn stored_article(
    store: &sahifa::store::Store,
    source: &str,
    id: &str,
) -> sahifa::model::Article {
    store
        .article(source, id)
        .await
        .expect("read the article")
        .unwrap_or_else(|| panic!("{source}/{id} is not stored"))
}

/// Runs the binary twice with the same arguments (an idempotency check) off the async
/// runtime, and checks that the first run succeeded and printed `first`, the second `second`.
pub async fn sahifa_twice(data: &Path, db: &TestDb, args: &[&str], first: &str, second: &str) {
    let (data, url) = (data.to_path_buf(), db.url.clone());
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (one, two) = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        (
            sahifa(&data, Some(&url), &args),
            sahifa(&data, Some(&url), &args),
        )
    })
    .await
    .expect("join");
    assert!(one.status.success(), "{}: {}", db.name, stderr(&one));
    assert_eq!(stdout(&one).trim(), first, "{}", db.name);
    assert_eq!(stdout(&two).trim(), second, "{}", db.name);
}

/// Runs the real `sahifa` binary with `args` against data folder `data` (and DB `db`).
pub fn sahifa(data: &Path, db: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sahifa"));
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .env_remove("SAHIFA_DATABASE_URL");
    if let Some(db) = db {
        cmd.env("SAHIFA_DATABASE_URL", db);
    }
    cmd.output().expect("run sahifa")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `Set-Cookie` values of an answer.
pub fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(String::from))
        .collect()
}

/// Whether `BASE/healthz` answers within `tries` tenths of a second (a server started as
/// its own process).
pub async fn comes_up(client: &reqwest::Client, base: &str, tries: u32) -> bool {
    for _ in 0..tries {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}
